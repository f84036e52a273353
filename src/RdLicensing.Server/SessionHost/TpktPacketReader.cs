using RdLicensing.Wire.Connection;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// Reads whole TPKT packets ([T.123] 8) from a stream, with a cap on the packet size and on the bytes one
/// connection may send in total.
/// </summary>
internal sealed class TpktPacketReader
{
    private readonly byte[] _buffer;
    private readonly long _maxTotalBytes;
    private int _count;
    private long _totalBytes;

    public TpktPacketReader(int maxPacketSize, long maxTotalBytes)
    {
        _buffer = new byte[maxPacketSize];
        _maxTotalBytes = maxTotalBytes;
    }

    /// <summary>Bytes read but not yet returned as a packet.</summary>
    public int Buffered => _count;

    /// <summary>Returns the next packet, or null when the peer closed the stream cleanly between packets.</summary>
    public async Task<byte[]?> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TpktHeader.TryGetPacketLength(_buffer.AsSpan(0, _count), _buffer.Length, out int length))
            {
                byte[] packet = _buffer.AsSpan(0, length).ToArray();
                _buffer.AsSpan(length, _count - length).CopyTo(_buffer);
                _count -= length;
                return packet;
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return _count == 0 ? null : throw new EndOfStreamException($"the client closed the connection inside a packet ({_count} bytes buffered)");
            }

            _totalBytes += read;
            if (_totalBytes > _maxTotalBytes)
            {
                throw new InvalidDataException($"the client sent more than {_maxTotalBytes} bytes");
            }

            _count += read;
        }
    }
}
