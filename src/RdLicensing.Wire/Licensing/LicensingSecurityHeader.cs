namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPBCGR] 2.2.8.1.1.2.1 Basic Security Header (TS_SECURITY_HEADER), as it precedes every licensing PDU
/// ([MS-RDPBCGR] 2.2.1.12: flags carries SEC_LICENSE_PKT).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr (section 2.2.8.1.1.2.1)
/// </summary>
/// <remarks>
/// Other flag bits are tolerated (IronRDP #1457: servers set SEC_LICENSE_ENCRYPT_SC and others beside
/// SEC_LICENSE_PKT). Whether the payload is encrypted (SEC_ENCRYPT) is for the connection layer to act on.
/// </remarks>
public sealed class LicensingSecurityHeader
{
    public const string Name = "TS_SECURITY_HEADER";

    /// <summary>SEC_ENCRYPT: the payload is encrypted with the Standard RDP Security session keys.</summary>
    public const ushort SecEncrypt = 0x0008;

    /// <summary>SEC_LICENSE_PKT: the payload is a licensing PDU.</summary>
    public const ushort SecLicensePkt = 0x0080;

    /// <summary>SEC_LICENSE_ENCRYPT_CS / SEC_LICENSE_ENCRYPT_SC: licensing PDUs may be (or are) encrypted.</summary>
    public const ushort SecLicenseEncrypt = 0x0200;

    /// <summary>The header a server puts on its licensing PDUs under TLS: flags SEC_LICENSE_PKT, flagsHi 0.</summary>
    public static readonly LicensingSecurityHeader Plain = new(SecLicensePkt, 0);

    public LicensingSecurityHeader(ushort flags, ushort flagsHi)
    {
        Flags = flags;
        FlagsHi = flagsHi;
    }

    public ushort Flags { get; }

    public ushort FlagsHi { get; }

    public bool IsEncrypted => (Flags & SecEncrypt) != 0;

    public int EncodedSize =>
        2 // flags
        + 2; // flagsHi

    /// <summary>Decodes the header; SEC_LICENSE_PKT must be set, other bits are kept as they are.</summary>
    public static LicensingSecurityHeader Decode(ref WireReader reader)
    {
        reader.Ensure(4, Name);
        ushort flags = reader.ReadU16LE(Name, "flags");
        ushort flagsHi = reader.ReadU16LE(Name, "flagsHi");

        // [MS-RDPBCGR] 2.2.1.12: the flags field of a licensing PDU's security header contains SEC_LICENSE_PKT.
        if ((flags & SecLicensePkt) == 0)
        {
            throw ProtocolException.InvalidField(Name, "flags", $"SEC_LICENSE_PKT (0x0080) is not set in 0x{flags:x4}");
        }

        return new LicensingSecurityHeader(flags, flagsHi);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(Flags);
        writer.WriteU16LE(FlagsHi);
    }
}
