namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3.1 User Data Header (TS_UD_HEADER): the type and the length (header included) of one GCC
/// settings data block.
/// </summary>
public sealed record UserDataHeader(ushort Type, ushort Length)
{
    public const string Name = "TS_UD_HEADER";

    public const ushort CsCore = 0xC001;
    public const ushort CsSecurity = 0xC002;
    public const ushort CsNet = 0xC003;
    public const ushort CsCluster = 0xC004;
    public const ushort ScCore = 0x0C01;
    public const ushort ScSecurity = 0x0C02;
    public const ushort ScNet = 0x0C03;

    public const int Size =
        2 /* type */
        + 2; /* length */

    public int EncodedSize => Size;

    /// <summary>Reads a header whose block (length − 4 bytes) is present in the input.</summary>
    public static UserDataHeader Decode(ref WireReader reader)
    {
        ushort type = reader.ReadU16LE(Name, "type");
        ushort length = reader.ReadU16LE(Name, "length");
        if (length < Size)
        {
            throw ProtocolException.InvalidField(Name, "length", $"{length} is shorter than the header");
        }

        reader.Ensure(length - Size, Name, "length");
        return new UserDataHeader(type, length);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(Type);
        writer.WriteU16LE(Length);
    }
}
