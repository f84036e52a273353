namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.2.2 RDP Negotiation Failure (RDP_NEG_FAILURE).</summary>
public sealed record RdpNegotiationFailure(RdpNegotiationFailureCode FailureCode)
{
    public const string Name = "RDP_NEG_FAILURE";

    /// <summary>TYPE_RDP_NEG_FAILURE.</summary>
    public const byte Type = 0x03;

    public const int Size =
        1 /* type */
        + 1 /* flags */
        + 2 /* length */
        + 4; /* failureCode */

    public int EncodedSize => Size;

    public static RdpNegotiationFailure Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        byte type = reader.ReadU8(Name, "type");
        if (type != Type)
        {
            throw ProtocolException.InvalidField(Name, "type", $"expected 0x03, got 0x{type:x2}");
        }

        reader.Skip(1, Name, "flags");
        ushort length = reader.ReadU16LE(Name, "length");
        if (length != Size)
        {
            throw ProtocolException.InvalidField(Name, "length", $"expected 8, got {length}");
        }

        return new RdpNegotiationFailure((RdpNegotiationFailureCode)reader.ReadU32LE(Name, "failureCode"));
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(Type);
        writer.WriteU8(0);
        writer.WriteU16LE(Size);
        writer.WriteU32LE((uint)FailureCode);
    }
}
