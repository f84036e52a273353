namespace RdLicensing.Wire.Connection;

/// <summary>
/// [T.123] section 8 TPKT header (also [MS-RDPBCGR] 2.2.1.1 tpktHeader): version 3, a reserved byte and the
/// big-endian length of the whole packet, header included.
/// </summary>
public sealed record TpktHeader(ushort Length)
{
    public const string Name = "TPKT";

    /// <summary>The only TPKT version [T.123] defines.</summary>
    public const byte Version = 3;

    public const int Size =
        1 /* version */
        + 1 /* reserved */
        + 2; /* length */

    public int EncodedSize => Size;

    public static TpktHeader Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        byte version = reader.ReadU8(Name, "version");
        if (version != Version)
        {
            throw ProtocolException.InvalidField(Name, "version", $"expected 3, got {version}");
        }

        reader.Skip(1, Name, "reserved");
        ushort length = reader.ReadU16BE(Name, "length");
        if (length < Size)
        {
            throw ProtocolException.InvalidField(Name, "length", $"{length} is shorter than the header");
        }

        return new TpktHeader(length);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(Version);
        writer.WriteU8(0);
        writer.WriteU16BE(Length);
    }

    /// <summary>
    /// Frames one TPKT packet from a stream buffer: true with the packet length when the whole packet is present,
    /// false when more bytes are needed. Throws on a malformed header or a packet longer than
    /// <paramref name="maxPacketSize"/>.
    /// </summary>
    public static bool TryGetPacketLength(ReadOnlySpan<byte> buffer, int maxPacketSize, out int packetLength)
    {
        packetLength = 0;
        if (buffer.Length < Size)
        {
            return false;
        }

        var reader = new WireReader(buffer);
        TpktHeader header = Decode(ref reader);
        if (header.Length > maxPacketSize)
        {
            throw ProtocolException.InvalidField(Name, "length", $"{header.Length} exceeds the limit of {maxPacketSize}");
        }

        if (buffer.Length < header.Length)
        {
            return false;
        }

        packetLength = header.Length;
        return true;
    }

    /// <summary>Wraps <paramref name="payload"/> in a TPKT packet.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> payload)
    {
        int total = Size + payload.Length;
        if (total > ushort.MaxValue)
        {
            throw new ArgumentException($"a tpkt packet cannot carry {payload.Length} bytes", nameof(payload));
        }

        byte[] packet = new byte[total];
        var writer = new WireWriter(packet);
        new TpktHeader((ushort)total).Encode(ref writer);
        writer.WriteBytes(payload);
        return packet;
    }

    /// <summary>Decodes the header of a complete packet and returns its payload; the length must match exactly.</summary>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> packet)
    {
        var reader = new WireReader(packet);
        TpktHeader header = Decode(ref reader);
        if (header.Length != packet.Length)
        {
            throw ProtocolException.InvalidField(Name, "length", $"{header.Length} does not match the packet size {packet.Length}");
        }

        return reader.RemainingSpan;
    }
}
