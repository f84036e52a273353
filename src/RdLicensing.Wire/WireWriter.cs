using System.Buffers.Binary;

namespace RdLicensing.Wire;

/// <summary>
/// A forward-only writer over a destination span sized by the caller from the structure's exact EncodedSize.
/// Writing past the end is a bug in the caller (ArgumentException), not a protocol error.
/// </summary>
public ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public WireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly Span<byte> Written => _buffer[.._position];

    public void WriteU8(byte value) => Reserve(1)[0] = value;

    public void WriteU16LE(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteU16BE(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteU32LE(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteU32BE(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteU64LE(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    public void WriteZeros(int count) => Reserve(count).Clear();

    private Span<byte> Reserve(int count)
    {
        if (count < 0 || Remaining < count)
        {
            throw new ArgumentException($"write of {count} bytes past the end of the buffer ({Remaining} left): EncodedSize is wrong");
        }

        Span<byte> slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }
}
