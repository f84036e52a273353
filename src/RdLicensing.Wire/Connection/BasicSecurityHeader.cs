namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.8.1.1.2.1 Basic (TS_SECURITY_HEADER): flags and flagsHi.</summary>
public sealed record BasicSecurityHeader(SecurityFlags Flags, ushort FlagsHi = 0)
{
    public const string Name = "TS_SECURITY_HEADER";

    public const int Size =
        2 /* flags */
        + 2; /* flagsHi */

    public int EncodedSize => Size;

    public static BasicSecurityHeader Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        return new BasicSecurityHeader((SecurityFlags)reader.ReadU16LE(Name, "flags"), reader.ReadU16LE(Name, "flagsHi"));
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE((ushort)Flags);
        writer.WriteU16LE(FlagsHi);
    }
}
