using System.Buffers.Binary;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Licensing;

/// <summary>
/// The licensing keys of one licensing exchange ([MS-RDPELE] 5.1.2): the MAC salt key (for <see cref="LicensingCrypto.Mac(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>)
/// and the licensing encryption key (for RC4, 5.1.3).
/// </summary>
public sealed record LicensingKeys(byte[] MacSaltKey, byte[] LicensingEncryptionKey);

/// <summary>
/// Licensing key derivation, MAC and encryption, [MS-RDPELE] 5.1. Small pure functions over spans named after the
/// spec; every one is pinned by a known-answer test. The premaster secret arrives RSA-encrypted (5.1.1.1,
/// [MS-RDPBCGR] 5.3.4.1) in CLIENT_NEW_LICENSE_REQUEST and CLIENT_LICENSE_INFO.
/// </summary>
public static class LicensingCrypto
{
    /// <summary>ClientRandom and ServerRandom are 32 bytes ([MS-RDPELE] 2.2.2.1, 2.2.2.2).</summary>
    public const int RandomSize = 32;

    /// <summary>The premaster secret is 48 bytes ([MS-RDPELE] 5.1.1.1).</summary>
    public const int PremasterSecretSize = 48;

    /// <summary>MasterSecret and SessionKeyBlob are 384 bits ([MS-RDPELE] 5.1.2).</summary>
    public const int SecretSize = 48;

    /// <summary>The MAC salt key and the licensing encryption key are 128 bits ([MS-RDPELE] 5.1.2).</summary>
    public const int KeySize = 16;

    /// <summary>MACData is 16 bytes ([MS-RDPELE] 5.1.5).</summary>
    public const int MacSize = 16;

    private const int HashSize = 16;

    /// <summary>
    /// SaltedHash(S, I) = MD5(S + SHA-1(I + S + first + second)) ([MS-RDPELE] 5.1.2; the master secret passes
    /// (ClientRandom, ServerRandom), the session key blob (ServerRandom, ClientRandom)). Writes 16 bytes.
    /// </summary>
    public static void SaltedHash(
        ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<byte> firstRandom,
        ReadOnlySpan<byte> secondRandom,
        Span<byte> destination)
    {
        RequireLength(destination.Length >= HashSize, nameof(destination), "16 bytes");
        using IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(salt);
        sha1.AppendData(secret);
        sha1.AppendData(firstRandom);
        sha1.AppendData(secondRandom);
        Span<byte> inner = stackalloc byte[20];
        sha1.GetHashAndReset(inner);

        using IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(secret);
        md5.AppendData(inner);
        md5.GetHashAndReset(destination[..HashSize]);
    }

    /// <summary>
    /// MasterSecret = PreMasterHash("A") + PreMasterHash("BB") + PreMasterHash("CCC"), where
    /// PreMasterHash(I) = SaltedHash(PremasterSecret, I) over ClientRandom + ServerRandom ([MS-RDPELE] 5.1.2 step 1).
    /// </summary>
    public static void MasterSecret(
        ReadOnlySpan<byte> premasterSecret,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom,
        Span<byte> destination)
    {
        RequireRandoms(clientRandom, serverRandom);
        RequireLength(premasterSecret.Length == PremasterSecretSize, nameof(premasterSecret), "48 bytes");
        TripleSaltedHash(premasterSecret, clientRandom, serverRandom, destination);
    }

    /// <summary>
    /// SessionKeyBlob = MasterHash("A") + MasterHash("BB") + MasterHash("CCC"), where
    /// MasterHash(I) = SaltedHash2(MasterSecret, I) over ServerRandom + ClientRandom: the randoms are swapped
    /// ([MS-RDPELE] 5.1.2 step 2).
    /// </summary>
    public static void SessionKeyBlob(
        ReadOnlySpan<byte> masterSecret,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom,
        Span<byte> destination)
    {
        RequireRandoms(clientRandom, serverRandom);
        RequireLength(masterSecret.Length == SecretSize, nameof(masterSecret), "48 bytes");
        TripleSaltedHash(masterSecret, serverRandom, clientRandom, destination);
    }

    /// <summary>MAC-salt-key = First128Bits(SessionKeyBlob) ([MS-RDPELE] 5.1.2 step 3).</summary>
    public static void MacSaltKey(ReadOnlySpan<byte> sessionKeyBlob, Span<byte> destination)
    {
        RequireLength(sessionKeyBlob.Length == SecretSize, nameof(sessionKeyBlob), "48 bytes");
        RequireLength(destination.Length >= KeySize, nameof(destination), "16 bytes");
        sessionKeyBlob[..KeySize].CopyTo(destination);
    }

    /// <summary>
    /// LicensingEncryptionKey = MD5(Second128Bits(SessionKeyBlob) + ClientRandom + ServerRandom)
    /// ([MS-RDPELE] 5.1.2 step 5).
    /// </summary>
    public static void LicensingEncryptionKey(
        ReadOnlySpan<byte> sessionKeyBlob,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom,
        Span<byte> destination)
    {
        RequireRandoms(clientRandom, serverRandom);
        RequireLength(sessionKeyBlob.Length == SecretSize, nameof(sessionKeyBlob), "48 bytes");
        RequireLength(destination.Length >= KeySize, nameof(destination), "16 bytes");
        using IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(sessionKeyBlob.Slice(KeySize, KeySize));
        md5.AppendData(clientRandom);
        md5.AppendData(serverRandom);
        md5.GetHashAndReset(destination[..KeySize]);
    }

    /// <summary>The whole of [MS-RDPELE] 5.1.2: premaster secret and randoms to the two licensing keys.</summary>
    public static LicensingKeys DeriveKeys(
        ReadOnlySpan<byte> premasterSecret,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom)
    {
        Span<byte> master = stackalloc byte[SecretSize];
        Span<byte> blob = stackalloc byte[SecretSize];
        MasterSecret(premasterSecret, clientRandom, serverRandom, master);
        SessionKeyBlob(master, clientRandom, serverRandom, blob);
        byte[] macSaltKey = new byte[KeySize];
        byte[] encryptionKey = new byte[KeySize];
        MacSaltKey(blob, macSaltKey);
        LicensingEncryptionKey(blob, clientRandom, serverRandom, encryptionKey);
        CryptographicOperations.ZeroMemory(master);
        CryptographicOperations.ZeroMemory(blob);
        return new LicensingKeys(macSaltKey, encryptionKey);
    }

    /// <summary>
    /// MACData = MD5(key + pad2 + SHA-1(key + pad1 + length + data)) with pad1 = 0x36 × 40, pad2 = 0x5C × 48 and
    /// length a little-endian u32 ([MS-RDPELE] 5.1.5, the construction of [MS-RDPBCGR] 5.3.6.1). Writes 16 bytes.
    /// </summary>
    public static void Mac(ReadOnlySpan<byte> macSaltKey, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        RequireLength(destination.Length >= MacSize, nameof(destination), "16 bytes");
        MacCore(macSaltKey, data, ReadOnlySpan<byte>.Empty, destination[..MacSize]);
    }

    /// <summary>The 16-byte MACData of [MS-RDPELE] 5.1.5 as a new array.</summary>
    public static byte[] Mac(ReadOnlySpan<byte> macSaltKey, ReadOnlySpan<byte> data)
    {
        byte[] mac = new byte[MacSize];
        Mac(macSaltKey, data, mac);
        return mac;
    }

    /// <summary>Checks a received MACData in constant time.</summary>
    public static bool VerifyMac(ReadOnlySpan<byte> macSaltKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[MacSize];
        Mac(macSaltKey, data, expected);
        return mac.Length == MacSize && CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    /// <summary>
    /// RC4 with the licensing encryption key and a fresh state per blob ([MS-RDPELE] 5.1.3 encryption and 5.1.4
    /// decryption are the same operation).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> licensingEncryptionKey, ReadOnlySpan<byte> plaintext) =>
        Rc4.Transform(licensingEncryptionKey, plaintext);

    /// <summary>The inverse of <see cref="Encrypt"/> (RC4 is symmetric; [MS-RDPELE] 5.1.4).</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> licensingEncryptionKey, ReadOnlySpan<byte> ciphertext) =>
        Rc4.Transform(licensingEncryptionKey, ciphertext);

    /// <summary>
    /// The server side of [MS-RDPELE] 5.1.1.1: raw RSA (little-endian, no padding) decryption of
    /// EncryptedPreMasterSecret; the premaster secret is the first 48 bytes of the plaintext. Tolerates rdesktop's
    /// all-zero ciphertext (its plaintext is 0, so its premaster secret is 48 zero bytes).
    /// </summary>
    public static byte[] DecryptPremasterSecret(ReadOnlySpan<byte> encryptedPremasterSecret, RSAParameters privateKey)
    {
        byte[] plain = RawRsa.Decrypt(encryptedPremasterSecret, privateKey);
        if (plain.Length < PremasterSecretSize)
        {
            throw new ArgumentException("the rsa key is too small to carry a 48-byte premaster secret", nameof(privateKey));
        }

        byte[] premaster = plain[..PremasterSecretSize];
        CryptographicOperations.ZeroMemory(plain);
        return premaster;
    }

    /// <summary><see cref="DecryptPremasterSecret(ReadOnlySpan{byte}, RSAParameters)"/> with the private key of <paramref name="privateKey"/>.</summary>
    public static byte[] DecryptPremasterSecret(ReadOnlySpan<byte> encryptedPremasterSecret, RSA privateKey) =>
        DecryptPremasterSecret(encryptedPremasterSecret, privateKey.ExportParameters(includePrivateParameters: true));

    /// <summary>
    /// The client side of [MS-RDPELE] 5.1.1.1 (for tests and tools): the 48-byte premaster secret RSA-encrypted to
    /// the server's key, little-endian, followed by 8 zero bytes.
    /// </summary>
    public static byte[] EncryptPremasterSecret(ReadOnlySpan<byte> premasterSecret, RSAParameters publicKey)
    {
        RequireLength(premasterSecret.Length == PremasterSecretSize, nameof(premasterSecret), "48 bytes");
        return RawRsa.Encrypt(premasterSecret, publicKey);
    }

    internal static void MacCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> destination)
    {
        Span<byte> pad = stackalloc byte[48];
        Span<byte> length = stackalloc byte[4];
        Span<byte> inner = stackalloc byte[20];
        Span<byte> outer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)data.Length);

        using IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        pad[..40].Fill(0x36);
        sha1.AppendData(key);
        sha1.AppendData(pad[..40]);
        sha1.AppendData(length);
        sha1.AppendData(data);
        sha1.AppendData(suffix);
        sha1.GetHashAndReset(inner);

        using IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        pad.Fill(0x5C);
        md5.AppendData(key);
        md5.AppendData(pad);
        md5.AppendData(inner);
        md5.GetHashAndReset(outer);
        outer[..destination.Length].CopyTo(destination);
    }

    private static void TripleSaltedHash(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        RequireLength(destination.Length >= SecretSize, nameof(destination), "48 bytes");
        SaltedHash(secret, "A"u8, first, second, destination[..16]);
        SaltedHash(secret, "BB"u8, first, second, destination[16..32]);
        SaltedHash(secret, "CCC"u8, first, second, destination[32..48]);
    }

    private static void RequireRandoms(ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        RequireLength(clientRandom.Length == RandomSize, nameof(clientRandom), "32 bytes");
        RequireLength(serverRandom.Length == RandomSize, nameof(serverRandom), "32 bytes");
    }

    private static void RequireLength(bool ok, string name, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"{name} must be {expected}", name);
        }
    }
}
