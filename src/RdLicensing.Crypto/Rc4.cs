namespace RdLicensing.Crypto;

/// <summary>
/// The RC4 stream cipher, which .NET does not provide. [MS-RDPELE] 5.1.3/5.1.4 use it with a fresh state per
/// licensing blob (<see cref="Transform"/>); [MS-RDPBCGR] 5.3.6 keeps one state per direction for the whole
/// connection (an instance). Pinned by the RFC 6229 test vectors.
/// </summary>
public sealed class Rc4
{
    private readonly byte[] _s = new byte[256];
    private int _i;
    private int _j;

    /// <summary>Creates a cipher keyed with <paramref name="key"/> (1 to 256 bytes).</summary>
    public Rc4(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty || key.Length > 256)
        {
            throw new ArgumentException($"rc4 key must be 1 to 256 bytes, got {key.Length}", nameof(key));
        }

        for (int i = 0; i < 256; i++)
        {
            _s[i] = (byte)i;
        }

        int j = 0;
        for (int i = 0; i < 256; i++)
        {
            j = (j + _s[i] + key[i % key.Length]) & 0xFF;
            (_s[i], _s[j]) = (_s[j], _s[i]);
        }
    }

    /// <summary>
    /// XORs <paramref name="source"/> with the next keystream bytes into <paramref name="destination"/>
    /// (which may be the same memory). Encryption and decryption are the same operation.
    /// </summary>
    public void Process(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }

        int i = _i;
        int j = _j;
        for (int k = 0; k < source.Length; k++)
        {
            i = (i + 1) & 0xFF;
            j = (j + _s[i]) & 0xFF;
            (_s[i], _s[j]) = (_s[j], _s[i]);
            destination[k] = (byte)(source[k] ^ _s[(_s[i] + _s[j]) & 0xFF]);
        }

        _i = i;
        _j = j;
    }

    /// <summary>Processes <paramref name="buffer"/> in place.</summary>
    public void Process(Span<byte> buffer) => Process(buffer, buffer);

    /// <summary>One-shot RC4 with a fresh state: the licensing blob encryption of [MS-RDPELE] 5.1.3.</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination) =>
        new Rc4(key).Process(source, destination);

    /// <summary>One-shot RC4 with a fresh state, returning a new array.</summary>
    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source)
    {
        byte[] result = new byte[source.Length];
        Transform(key, source, result);
        return result;
    }
}
