namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.12.1.1 Licensing Preamble (LICENSE_PREAMBLE).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/73170ca2-5f82-4a2d-9d1b-b439f3d8dadc
/// </summary>
public sealed class LicensePreamble
{
    public const string Name = "LICENSE_PREAMBLE";

    /// <summary>The fixed size of the preamble, which wMsgSize includes.</summary>
    public const int Size =
        1 // bMsgType
        + 1 // flags
        + 2; // wMsgSize

    /// <summary>PREAMBLE_VERSION_2_0: RDP 4.0 (rdesktop -4).</summary>
    public const byte PreambleVersion2 = 0x02;

    /// <summary>PREAMBLE_VERSION_3_0: RDP 5.0 and later; what a server sends.</summary>
    public const byte PreambleVersion3 = 0x03;

    /// <summary>LicenseProtocolVersionMask: the low nibble of flags.</summary>
    public const byte LicenseProtocolVersionMask = 0x0F;

    /// <summary>
    /// EXTENDED_ERROR_MSG_SUPPORTED. A server must not set it: FreeRDP notes it crashes mstsc
    /// (libfreerdp/core/license.c license_send).
    /// </summary>
    public const byte ExtendedErrorMsgSupported = 0x80;

    public LicensePreamble(LicensingMessageType bMsgType, byte flags, ushort wMsgSize)
    {
        BMsgType = bMsgType;
        Flags = flags;
        WMsgSize = wMsgSize;
    }

    public LicensingMessageType BMsgType { get; }

    public byte Flags { get; }

    /// <summary>The size of the whole licensing message, preamble included.</summary>
    public ushort WMsgSize { get; }

    public byte Version => (byte)(Flags & LicenseProtocolVersionMask);

    public int EncodedSize => Size;

    public static LicensePreamble Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        var type = (LicensingMessageType)reader.ReadU8(Name, "bMsgType");
        byte flags = reader.ReadU8(Name, "flags");
        ushort size = reader.ReadU16LE(Name, "wMsgSize");

        // [MS-RDPBCGR] 2.2.1.12.1.1: the version in the low nibble is PREAMBLE_VERSION_2_0 or PREAMBLE_VERSION_3_0.
        byte version = (byte)(flags & LicenseProtocolVersionMask);
        if (version is not (PreambleVersion2 or PreambleVersion3))
        {
            throw new ProtocolException(DecodeErrorKind.UnsupportedVersion, Name, "flags", $"licensing protocol version {version} is not 2 or 3");
        }

        // [MS-RDPBCGR] 2.2.1.12.1.1: wMsgSize is the size of the whole message, this preamble included.
        if (size < Size)
        {
            throw ProtocolException.InvalidField(Name, "wMsgSize", $"{size} is smaller than the preamble");
        }

        return new LicensePreamble(type, flags, size);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)BMsgType);
        writer.WriteU8(Flags);
        writer.WriteU16LE(WMsgSize);
    }
}
