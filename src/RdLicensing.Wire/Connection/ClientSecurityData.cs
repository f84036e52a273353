namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.3.3 Client Security Data (TS_UD_CS_SEC), without its TS_UD_HEADER.</summary>
public sealed record ClientSecurityData(EncryptionMethods EncryptionMethods, EncryptionMethods ExtEncryptionMethods)
{
    public const string Name = "TS_UD_CS_SEC";

    public const int Size =
        4 /* encryptionMethods */
        + 4; /* extEncryptionMethods */

    public int EncodedSize => Size;

    public static ClientSecurityData Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        var data = new ClientSecurityData(
            (EncryptionMethods)reader.ReadU32LE(Name, "encryptionMethods"),
            (EncryptionMethods)reader.ReadU32LE(Name, "extEncryptionMethods"));
        reader.EnsureEnd(Name);
        return data;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE((uint)EncryptionMethods);
        writer.WriteU32LE((uint)ExtEncryptionMethods);
    }
}
