namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.1.1 RDP Negotiation Request (RDP_NEG_REQ).</summary>
public sealed record RdpNegotiationRequest(byte Flags, SecurityProtocols RequestedProtocols)
{
    public const string Name = "RDP_NEG_REQ";

    /// <summary>TYPE_RDP_NEG_REQ.</summary>
    public const byte Type = 0x01;

    /// <summary>CORRELATION_INFO_PRESENT: an RDP_NEG_CORRELATION_INFO follows (2.2.1.1.1).</summary>
    public const byte CorrelationInfoPresent = 0x08;

    public const int Size =
        1 /* type */
        + 1 /* flags */
        + 2 /* length */
        + 4; /* requestedProtocols */

    public int EncodedSize => Size;

    public static RdpNegotiationRequest Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        byte type = reader.ReadU8(Name, "type");
        if (type != Type)
        {
            throw ProtocolException.InvalidField(Name, "type", $"expected 0x01, got 0x{type:x2}");
        }

        byte flags = reader.ReadU8(Name, "flags");
        ushort length = reader.ReadU16LE(Name, "length");
        if (length != Size)
        {
            throw ProtocolException.InvalidField(Name, "length", $"expected 8, got {length}");
        }

        uint requested = reader.ReadU32LE(Name, "requestedProtocols");
        return new RdpNegotiationRequest(flags, (SecurityProtocols)requested);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(Type);
        writer.WriteU8(Flags);
        writer.WriteU16LE(Size);
        writer.WriteU32LE((uint)RequestedProtocols);
    }
}
