using System.Buffers.Binary;
using System.Security.Cryptography;
using RdLicensing.Crypto.Licensing;

namespace RdLicensing.Crypto.StandardSecurity;

/// <summary>
/// The server's Standard RDP Security state for one connection ([MS-RDPBCGR] 5.3.6, 5.3.7): one RC4 stream per
/// direction, the 8-byte MAC signature (5.3.6.1) or the salted one (5.3.6.1.1, SEC_SECURE_CHECKSUM), and the key
/// update after every 4096 packets in a direction. Decrypts client-to-server traffic and encrypts server-to-client
/// traffic. Not thread-safe: one connection, one session.
/// </summary>
public sealed class StandardSecuritySession
{
    /// <summary>The MAC signature on the wire is 8 bytes ([MS-RDPBCGR] 2.2.8.1.1.2.2 dataSignature).</summary>
    public const int SignatureSize = 8;

    /// <summary>Keys are updated after this many packets in a direction ([MS-RDPBCGR] 5.3.7).</summary>
    public const int KeyUpdateInterval = 4096;

    private readonly Direction _encrypt;
    private readonly Direction _decrypt;
    private readonly byte[] _macKey;

    /// <summary>Starts a session with the keys of [MS-RDPBCGR] 5.3.5.1.</summary>
    public StandardSecuritySession(StandardSecurityKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Method = keys.Method;
        _macKey = keys.MacKey.ToArray();
        _encrypt = new Direction(keys.EncryptKey.ToArray(), keys.Method);
        _decrypt = new Direction(keys.DecryptKey.ToArray(), keys.Method);
    }

    /// <summary>The negotiated encryption method.</summary>
    public EncryptionMethod Method { get; }

    /// <summary>Packets encrypted so far (server to client).</summary>
    public uint EncryptedCount => _encrypt.Total;

    /// <summary>Packets decrypted so far (client to server).</summary>
    public uint DecryptedCount => _decrypt.Total;

    /// <summary>
    /// The MAC signature of [MS-RDPBCGR] 5.3.6.1: First64Bits(MD5(MACKeyN + Pad2 + SHA(MACKeyN + Pad1 +
    /// DataLength + Data))), or with <paramref name="encryptionCount"/> the salted MAC of 5.3.6.1.1, where the
    /// little-endian count is appended after Data inside the SHA-1.
    /// </summary>
    public static void Signature(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> data, uint? encryptionCount, Span<byte> destination)
    {
        if (destination.Length < SignatureSize)
        {
            throw new ArgumentException("destination must hold 8 bytes", nameof(destination));
        }

        Span<byte> count = stackalloc byte[4];
        if (encryptionCount is uint n)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(count, n);
        }

        LicensingCrypto.MacCore(macKey, data, encryptionCount is null ? [] : count, destination[..SignatureSize]);
    }

    /// <summary>
    /// Encrypts one server-to-client PDU body: writes the 8-byte dataSignature then the RC4 ciphertext into
    /// <paramref name="destination"/> (8 + plaintext length bytes), as the security header is followed on the wire.
    /// </summary>
    /// <param name="plaintext">The data after the security header.</param>
    /// <param name="destination">Receives dataSignature + encrypted data.</param>
    /// <param name="saltedMac">True when SEC_SECURE_CHECKSUM is used (5.3.6.1.1).</param>
    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> destination, bool saltedMac = false)
    {
        if (destination.Length < SignatureSize + plaintext.Length)
        {
            throw new ArgumentException("destination must hold 8 + plaintext bytes", nameof(destination));
        }

        Signature(_macKey, plaintext, saltedMac ? _encrypt.Total : null, destination[..SignatureSize]);
        _encrypt.Process(plaintext, destination.Slice(SignatureSize, plaintext.Length));
    }

    /// <summary>Encrypts to a new array holding dataSignature + encrypted data.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, bool saltedMac = false)
    {
        byte[] result = new byte[SignatureSize + plaintext.Length];
        Encrypt(plaintext, result, saltedMac);
        return result;
    }

    /// <summary>
    /// Decrypts one client-to-server PDU body (the RC4 stream advances either way) and checks its dataSignature in
    /// constant time. Returns false when the signature does not match: the caller must drop the connection
    /// ([MS-RDPBCGR] 5.3.6.1).
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> dataSignature, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, bool saltedMac = false)
    {
        if (plaintext.Length < ciphertext.Length)
        {
            throw new ArgumentException("plaintext must hold the ciphertext's length", nameof(plaintext));
        }

        uint count = _decrypt.Total;
        _decrypt.Process(ciphertext, plaintext[..ciphertext.Length]);
        Span<byte> expected = stackalloc byte[SignatureSize];
        Signature(_macKey, plaintext[..ciphertext.Length], saltedMac ? count : null, expected);
        return dataSignature.Length == SignatureSize && CryptographicOperations.FixedTimeEquals(expected, dataSignature);
    }

    /// <summary>
    /// [MS-RDPBCGR] 5.3.7: TempKey128 = MD5(InitialKey + Pad2 + SHA(InitialKey + Pad1 + CurrentKey)) over the
    /// N-bit keys; NewKey = RC4(TempKey) applied to TempKey, salted again for 40/56-bit.
    /// </summary>
    public static byte[] UpdateKey(ReadOnlySpan<byte> initialKey, ReadOnlySpan<byte> currentKey, EncryptionMethod method)
    {
        Span<byte> pad = stackalloc byte[48];
        Span<byte> sha = stackalloc byte[20];
        using (IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
        {
            pad[..40].Fill(0x36);
            sha1.AppendData(initialKey);
            sha1.AppendData(pad[..40]);
            sha1.AppendData(currentKey);
            sha1.GetHashAndReset(sha);
        }

        byte[] temp;
        using (IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            pad.Fill(0x5C);
            md5.AppendData(initialKey);
            md5.AppendData(pad);
            md5.AppendData(sha);
            temp = md5.GetHashAndReset();
        }

        int length = StandardSecurityKeys.KeyLength(method);
        byte[] key = temp[..length];
        new Rc4(key).Process(key);
        return StandardSecurityKeys.Reduce(key, method);
    }

    /// <summary>One direction: its initial key, current key, RC4 state and packet counts.</summary>
    private sealed class Direction(byte[] initialKey, EncryptionMethod method)
    {
        private byte[] _currentKey = initialKey.ToArray();
        private Rc4 _rc4 = new(initialKey);
        private int _sinceUpdate;

        public uint Total { get; private set; }

        public void Process(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            if (_sinceUpdate == KeyUpdateInterval)
            {
                _currentKey = UpdateKey(initialKey, _currentKey, method);
                _rc4 = new Rc4(_currentKey);
                _sinceUpdate = 0;
            }

            _rc4.Process(source, destination);
            _sinceUpdate++;
            Total++;
        }
    }
}
