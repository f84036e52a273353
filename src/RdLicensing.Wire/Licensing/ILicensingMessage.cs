namespace RdLicensing.Wire.Licensing;

/// <summary>
/// A licensing message: what follows the LICENSE_PREAMBLE ([MS-RDPELE] 2.2.2 Licensing PDU (TS_LICENSING_PDU)).
/// <see cref="LicensingPdu"/> puts the preamble in front and dispatches on its bMsgType.
/// </summary>
public interface ILicensingMessage
{
    /// <summary>The bMsgType that announces this message.</summary>
    LicensingMessageType MessageType { get; }

    /// <summary>The exact number of bytes <see cref="Encode"/> writes.</summary>
    int EncodedSize { get; }

    void Encode(ref WireWriter writer);
}
