namespace RdLicensing.Wire.Connection;

/// <summary>
/// The subset of ASN.1 aligned PER ([X.691]) that [T.125] domain PDUs and the [T.124] GCC Conference Create
/// Request/Response use ([MS-RDPBCGR] 2.2.1.3 to 2.2.1.9): length determinants up to 0x3FFF (fragmentation is
/// rejected), user ids offset by 1001 and unconstrained integers of 1 to 4 bytes.
/// </summary>
internal static class Per
{
    /// <summary>[T.125] UserId is a DynamicChannelId constrained to 1001..65535 and encoded as the offset from 1001.</summary>
    public const ushort UserIdBase = 1001;

    public static int ReadLength(ref WireReader reader, string structure, string field)
    {
        byte first = reader.ReadU8(structure, field);
        if ((first & 0x80) == 0)
        {
            return first;
        }

        if ((first & 0x40) != 0)
        {
            throw ProtocolException.InvalidField(structure, field, "fragmented per length is not supported");
        }

        byte second = reader.ReadU8(structure, field);
        return ((first & 0x3F) << 8) | second;
    }

    public static int LengthSize(int length) => length < 0x80 ? 1 : 2;

    public static void WriteLength(ref WireWriter writer, int length)
    {
        if (length < 0x80)
        {
            writer.WriteU8((byte)length);
        }
        else if (length <= 0x3FFF)
        {
            writer.WriteU16BE((ushort)(0x8000 | length));
        }
        else
        {
            throw new ArgumentException($"a per length of {length} needs fragmentation, which is not supported", nameof(length));
        }
    }

    public static ushort ReadUserId(ref WireReader reader, string structure, string field)
    {
        ushort offset = reader.ReadU16BE(structure, field);
        if (offset > ushort.MaxValue - UserIdBase)
        {
            throw ProtocolException.InvalidField(structure, field, $"user id offset {offset} exceeds 65535");
        }

        return (ushort)(offset + UserIdBase);
    }

    public static void WriteUserId(ref WireWriter writer, ushort userId)
    {
        if (userId < UserIdBase)
        {
            throw new ArgumentOutOfRangeException(nameof(userId), userId, "a user id is at least 1001");
        }

        writer.WriteU16BE((ushort)(userId - UserIdBase));
    }

    public static uint ReadInteger(ref WireReader reader, string structure, string field)
    {
        int length = ReadLength(ref reader, structure, field);
        if (length is < 1 or > 4)
        {
            throw ProtocolException.InvalidField(structure, field, $"integer of {length} bytes is out of range");
        }

        uint value = 0;
        foreach (byte b in reader.ReadBytes(length, structure, field))
        {
            value = (value << 8) | b;
        }

        return value;
    }

    public static int IntegerSize(uint value) => 1 /* length */ + (value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : 4);

    public static void WriteInteger(ref WireWriter writer, uint value)
    {
        if (value <= 0xFF)
        {
            writer.WriteU8(1);
            writer.WriteU8((byte)value);
        }
        else if (value <= 0xFFFF)
        {
            writer.WriteU8(2);
            writer.WriteU16BE((ushort)value);
        }
        else
        {
            writer.WriteU8(4);
            writer.WriteU32BE(value);
        }
    }
}
