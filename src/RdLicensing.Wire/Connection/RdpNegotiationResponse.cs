namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.2.1 RDP Negotiation Response (RDP_NEG_RSP).</summary>
public sealed record RdpNegotiationResponse(byte Flags, SecurityProtocols SelectedProtocol)
{
    public const string Name = "RDP_NEG_RSP";

    /// <summary>TYPE_RDP_NEG_RSP.</summary>
    public const byte Type = 0x02;

    public const int Size =
        1 /* type */
        + 1 /* flags */
        + 2 /* length */
        + 4; /* selectedProtocol */

    public int EncodedSize => Size;

    public static RdpNegotiationResponse Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        byte type = reader.ReadU8(Name, "type");
        if (type != Type)
        {
            throw ProtocolException.InvalidField(Name, "type", $"expected 0x02, got 0x{type:x2}");
        }

        byte flags = reader.ReadU8(Name, "flags");
        ushort length = reader.ReadU16LE(Name, "length");
        if (length != Size)
        {
            throw ProtocolException.InvalidField(Name, "length", $"expected 8, got {length}");
        }

        return new RdpNegotiationResponse(flags, (SecurityProtocols)reader.ReadU32LE(Name, "selectedProtocol"));
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(Type);
        writer.WriteU8(Flags);
        writer.WriteU16LE(Size);
        writer.WriteU32LE((uint)SelectedProtocol);
    }
}
