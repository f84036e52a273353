namespace RdLicensing.Wire.Connection;

/// <summary>
/// The subset of ASN.1 BER ([X.690]) that [T.125] MCS Connect Initial/Response use ([MS-RDPBCGR] 2.2.1.3, 2.2.1.4):
/// definite lengths of up to two bytes, INTEGER up to 32 bits, BOOLEAN, ENUMERATED, OCTET STRING, SEQUENCE and the
/// two-byte application tags.
/// </summary>
internal static class Ber
{
    public const byte TagBoolean = 0x01;
    public const byte TagInteger = 0x02;
    public const byte TagOctetString = 0x04;
    public const byte TagEnumerated = 0x0A;
    public const byte TagSequence = 0x30;

    /// <summary>Reads a two-byte application tag (0x7F, number) and its length; the content must be present.</summary>
    public static int ReadApplicationTag(ref WireReader reader, byte number, string structure)
    {
        byte first = reader.ReadU8(structure, "tag");
        byte second = reader.ReadU8(structure, "tag");
        if (first != 0x7F || second != number)
        {
            throw ProtocolException.InvalidField(structure, "tag", $"expected application tag {number}, got 0x{first:x2}{second:x2}");
        }

        int length = ReadLength(ref reader, structure, "length");
        reader.Ensure(length, structure, "content");
        return length;
    }

    public static int ReadTag(ref WireReader reader, byte tag, string structure, string field)
    {
        byte actual = reader.ReadU8(structure, field);
        if (actual != tag)
        {
            throw ProtocolException.InvalidField(structure, field, $"expected ber tag 0x{tag:x2}, got 0x{actual:x2}");
        }

        int length = ReadLength(ref reader, structure, field);
        reader.Ensure(length, structure, field);
        return length;
    }

    public static int ReadLength(ref WireReader reader, string structure, string field)
    {
        byte first = reader.ReadU8(structure, field);
        return first switch
        {
            < 0x80 => first,
            0x81 => reader.ReadU8(structure, field),
            0x82 => reader.ReadU16BE(structure, field),
            _ => throw ProtocolException.InvalidField(structure, field, $"unsupported ber length form 0x{first:x2}"),
        };
    }

    public static uint ReadInteger(ref WireReader reader, string structure, string field)
    {
        int length = ReadTag(ref reader, TagInteger, structure, field);
        if (length is < 1 or > 5)
        {
            throw ProtocolException.InvalidField(structure, field, $"integer of {length} bytes is out of range");
        }

        ReadOnlySpan<byte> bytes = reader.ReadBytes(length, structure, field);
        if (length == 5 && bytes[0] != 0)
        {
            throw ProtocolException.InvalidField(structure, field, "integer does not fit in 32 bits");
        }

        // All [T.125] integers are non-negative; rdesktop writes 65535 as 02 02 ff ff (mcs.c mcs_out_domain_params),
        // which strict BER would read as -1, so the content is taken as unsigned, as every RDP peer does.
        uint value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    public static bool ReadBoolean(ref WireReader reader, string structure, string field)
    {
        int length = ReadTag(ref reader, TagBoolean, structure, field);
        if (length != 1)
        {
            throw ProtocolException.InvalidField(structure, field, $"boolean of {length} bytes");
        }

        return reader.ReadU8(structure, field) != 0;
    }

    public static byte ReadEnumerated(ref WireReader reader, string structure, string field)
    {
        int length = ReadTag(ref reader, TagEnumerated, structure, field);
        if (length != 1)
        {
            throw ProtocolException.InvalidField(structure, field, $"enumerated of {length} bytes");
        }

        return reader.ReadU8(structure, field);
    }

    public static ReadOnlySpan<byte> ReadOctetString(ref WireReader reader, string structure, string field)
    {
        int length = ReadTag(ref reader, TagOctetString, structure, field);
        return reader.ReadBytes(length, structure, field);
    }

    public static int LengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        _ => 3,
    };

    public static void WriteLength(ref WireWriter writer, int length)
    {
        if (length < 0x80)
        {
            writer.WriteU8((byte)length);
        }
        else if (length <= 0xFF)
        {
            writer.WriteU8(0x81);
            writer.WriteU8((byte)length);
        }
        else
        {
            writer.WriteU8(0x82);
            writer.WriteU16BE(checked((ushort)length));
        }
    }

    /// <summary>Content bytes of a minimal non-negative INTEGER encoding (a leading zero when the top bit is set).</summary>
    public static int IntegerContentSize(uint value)
    {
        int size = 1;
        while (size < 4 && value >= 1u << (8 * size - 1))
        {
            size++;
        }

        return size == 4 && value >= 1u << 31 ? 5 : size;
    }

    public static int IntegerSize(uint value) => 1 /* tag */ + 1 /* length */ + IntegerContentSize(value);

    public static void WriteInteger(ref WireWriter writer, uint value)
    {
        int size = IntegerContentSize(value);
        writer.WriteU8(TagInteger);
        writer.WriteU8((byte)size);
        for (int i = size - 1; i >= 0; i--)
        {
            writer.WriteU8(i >= 4 ? (byte)0 : (byte)(value >> (8 * i)));
        }
    }

    public static void WriteTagged(ref WireWriter writer, byte tag, ReadOnlySpan<byte> content)
    {
        writer.WriteU8(tag);
        WriteLength(ref writer, content.Length);
        writer.WriteBytes(content);
    }
}
