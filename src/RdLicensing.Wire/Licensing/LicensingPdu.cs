using System.Diagnostics;

namespace RdLicensing.Wire.Licensing;

/// <summary>
/// A licensing PDU as it follows the security header: [MS-RDPBCGR] 2.2.1.12.1.1 LICENSE_PREAMBLE, then the
/// licensing message its bMsgType names ([MS-RDPELE] 2.2.2 Licensing PDU (TS_LICENSING_PDU)).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/dfeaae30-7fa2-48a1-abc6-8c027e413c16
/// </summary>
/// <remarks>
/// Decoding takes exactly wMsgSize bytes and requires the message to fill them. Messages of either direction
/// decode, so the same dispatcher serves the server and test clients.
/// </remarks>
public sealed class LicensingPdu
{
    public const string Name = "TS_LICENSING_PDU";

    public LicensingPdu(LicensePreamble preamble, ILicensingMessage message)
    {
        Preamble = preamble;
        Message = message;
    }

    public LicensePreamble Preamble { get; }

    public ILicensingMessage Message { get; }

    public int EncodedSize =>
        LicensePreamble.Size // preamble
        + Message.EncodedSize; // LicensingMessage

    /// <summary>
    /// Wraps <paramref name="message"/> in a preamble with flags <paramref name="flags"/> (version 3 by default;
    /// a server must not set EXTENDED_ERROR_MSG_SUPPORTED) and the right wMsgSize.
    /// </summary>
    public static LicensingPdu Create(ILicensingMessage message, byte flags = LicensePreamble.PreambleVersion3)
    {
        int size = LicensePreamble.Size + message.EncodedSize;
        if (size > ushort.MaxValue)
        {
            throw new ArgumentException($"a licensing message of {size} bytes does not fit wMsgSize", nameof(message));
        }

        return new LicensingPdu(new LicensePreamble(message.MessageType, flags, (ushort)size), message);
    }

    /// <summary>Encodes <paramref name="message"/> with its preamble: the bytes that follow the security header.</summary>
    public static byte[] Serialize(ILicensingMessage message, byte flags = LicensePreamble.PreambleVersion3) => Create(message, flags).ToBytes();

    /// <summary>Decodes a licensing payload that must hold exactly one PDU.</summary>
    public static LicensingPdu Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        LicensingPdu pdu = Decode(ref reader);
        reader.EnsureEnd(Name);
        return pdu;
    }

    /// <summary>Decodes one PDU (wMsgSize bytes); on failure the position of <paramref name="reader"/> is unchanged.</summary>
    public static LicensingPdu Decode(ref WireReader reader)
    {
        WireReader attempt = reader;
        LicensePreamble preamble = LicensePreamble.Decode(ref attempt);
        ReadOnlySpan<byte> body = attempt.ReadBytes(preamble.WMsgSize - LicensePreamble.Size, LicensePreamble.Name, "wMsgSize");
        var bodyReader = new WireReader(body);
        ILicensingMessage message = preamble.BMsgType switch
        {
            LicensingMessageType.LicenseRequest => ServerLicenseRequest.Decode(ref bodyReader),
            LicensingMessageType.PlatformChallenge => ServerPlatformChallenge.Decode(ref bodyReader),
            LicensingMessageType.NewLicense => ServerNewLicense.Decode(ref bodyReader),
            LicensingMessageType.UpgradeLicense => ServerUpgradeLicense.Decode(ref bodyReader),
            LicensingMessageType.LicenseInfo => ClientLicenseInfo.Decode(ref bodyReader),
            LicensingMessageType.NewLicenseRequest => ClientNewLicenseRequest.Decode(ref bodyReader),
            LicensingMessageType.PlatformChallengeResponse => ClientPlatformChallengeResponse.Decode(ref bodyReader),
            LicensingMessageType.ErrorAlert => LicenseErrorMessage.Decode(ref bodyReader),
            _ => throw new ProtocolException(
                DecodeErrorKind.UnexpectedMessageType, LicensePreamble.Name, "bMsgType", $"unknown licensing message type 0x{(byte)preamble.BMsgType:x2}"),
        };

        // [MS-RDPBCGR] 2.2.1.12.1.1: wMsgSize covers the preamble and the message, nothing more.
        bodyReader.EnsureEnd(StructureName(preamble.BMsgType));
        reader = attempt;
        return new LicensingPdu(preamble, message);
    }

    public void Encode(ref WireWriter writer)
    {
        int start = writer.Position;
        Preamble.Encode(ref writer);
        Message.Encode(ref writer);
        Debug.Assert(writer.Position - start == EncodedSize, "EncodedSize must match the bytes written");
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        var writer = new WireWriter(bytes);
        Encode(ref writer);
        return bytes;
    }

    private static string StructureName(LicensingMessageType type) => type switch
    {
        LicensingMessageType.LicenseRequest => ServerLicenseRequest.Name,
        LicensingMessageType.PlatformChallenge => ServerPlatformChallenge.Name,
        LicensingMessageType.NewLicense => ServerNewLicense.Name,
        LicensingMessageType.UpgradeLicense => ServerUpgradeLicense.Name,
        LicensingMessageType.LicenseInfo => ClientLicenseInfo.Name,
        LicensingMessageType.NewLicenseRequest => ClientNewLicenseRequest.Name,
        LicensingMessageType.PlatformChallengeResponse => ClientPlatformChallengeResponse.Name,
        _ => LicenseErrorMessage.Name,
    };
}
