using System.Buffers.Binary;

namespace RdLicensing.Wire;

/// <summary>
/// A forward-only reader over a byte span. Every read checks the remaining length first and throws
/// <see cref="ProtocolException"/> naming the structure and field; nothing is allocated by an untrusted length
/// except a slice of bytes that are already present.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool IsEmpty => Remaining == 0;

    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    /// <summary>Throws unless at least <paramref name="count"/> bytes remain.</summary>
    public readonly void Ensure(int count, string structure, string? field = null)
    {
        if (count < 0 || Remaining < count)
        {
            throw ProtocolException.NotEnoughBytes(structure, field, count, Remaining);
        }
    }

    public byte ReadU8(string structure, string field)
    {
        Ensure(1, structure, field);
        return _buffer[_position++];
    }

    public ushort ReadU16LE(string structure, string field)
    {
        Ensure(2, structure, field);
        ushort value = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[_position..]);
        _position += 2;
        return value;
    }

    public ushort ReadU16BE(string structure, string field)
    {
        Ensure(2, structure, field);
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadU32LE(string structure, string field)
    {
        Ensure(4, structure, field);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    public uint ReadU32BE(string structure, string field)
    {
        Ensure(4, structure, field);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    public ulong ReadU64LE(string structure, string field)
    {
        Ensure(8, structure, field);
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>Returns a slice of <paramref name="count"/> bytes that are present in the input (no allocation).</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string structure, string field)
    {
        Ensure(count, structure, field);
        ReadOnlySpan<byte> slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    public void Skip(int count, string structure, string field)
    {
        Ensure(count, structure, field);
        _position += count;
    }

    /// <summary>Throws <see cref="DecodeErrorKind.TrailingBytes"/> unless the input is fully consumed.</summary>
    public readonly void EnsureEnd(string structure)
    {
        if (Remaining != 0)
        {
            throw new ProtocolException(DecodeErrorKind.TrailingBytes, structure, null, $"{Remaining} unexpected trailing bytes");
        }
    }
}
