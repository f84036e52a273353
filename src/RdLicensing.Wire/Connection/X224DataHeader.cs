namespace RdLicensing.Wire.Connection;

/// <summary>
/// [X.224] 13.7 Class 0 Data TPDU header (x224Data in [MS-RDPBCGR] 2.2.1.3 and later): length indicator 2,
/// code 0xF0 (DT) and 0x80 (EOT, TPDU-NR 0).
/// </summary>
public static class X224DataHeader
{
    public const string Name = "X224_DATA";

    public const int Size =
        1 /* lengthIndicator */
        + 1 /* code */
        + 1; /* eot */

    public static void Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        byte lengthIndicator = reader.ReadU8(Name, "lengthIndicator");
        if (lengthIndicator != 2)
        {
            throw ProtocolException.InvalidField(Name, "lengthIndicator", $"expected 2, got {lengthIndicator}");
        }

        byte code = reader.ReadU8(Name, "code");
        if (code != 0xF0)
        {
            throw new ProtocolException(DecodeErrorKind.UnexpectedMessageType, Name, "code", $"expected a data tpdu (0xf0), got 0x{code:x2}");
        }

        byte eot = reader.ReadU8(Name, "eot");
        if (eot != 0x80)
        {
            throw ProtocolException.InvalidField(Name, "eot", $"expected 0x80, got 0x{eot:x2}");
        }
    }

    public static void Encode(ref WireWriter writer)
    {
        writer.WriteU8(2);
        writer.WriteU8(0xF0);
        writer.WriteU8(0x80);
    }
}
