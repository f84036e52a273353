namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.8.1.1.2.2 Non-FIPS (TS_SECURITY_HEADER1): the basic header followed by the 8-byte MAC
/// signature of the encrypted data (5.3.6.1). Used when SEC_ENCRYPT is set under Standard RDP Security.
/// </summary>
public sealed class NonFipsSecurityHeader
{
    public const string Name = "TS_SECURITY_HEADER1";

    public const int SignatureSize = 8;

    public const int Size =
        2 /* flags */
        + 2 /* flagsHi */
        + SignatureSize; /* dataSignature */

    public SecurityFlags Flags { get; init; }

    public ushort FlagsHi { get; init; }

    public required byte[] DataSignature { get; init; }

    public int EncodedSize => Size;

    public static NonFipsSecurityHeader Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        var flags = (SecurityFlags)reader.ReadU16LE(Name, "flags");
        ushort flagsHi = reader.ReadU16LE(Name, "flagsHi");
        byte[] signature = reader.ReadBytes(SignatureSize, Name, "dataSignature").ToArray();
        return new NonFipsSecurityHeader { Flags = flags, FlagsHi = flagsHi, DataSignature = signature };
    }

    public void Encode(ref WireWriter writer)
    {
        if (DataSignature.Length != SignatureSize)
        {
            throw new InvalidOperationException("the data signature is 8 bytes");
        }

        writer.WriteU16LE((ushort)Flags);
        writer.WriteU16LE(FlagsHi);
        writer.WriteBytes(DataSignature);
    }
}
