using System.Security.Cryptography;
using RdLicensing.Crypto.Licensing;

namespace RdLicensing.Crypto.StandardSecurity;

/// <summary>
/// The session keys of Standard RDP Security from the server's point of view ([MS-RDPBCGR] 5.3.5.1): the MAC key
/// and the initial encryption (server to client) and decryption (client to server) keys, each 8 bytes for 40/56-bit
/// and 16 bytes for 128-bit encryption.
/// </summary>
/// <param name="Method">The negotiated encryption method.</param>
/// <param name="MacKey">MACKeyN.</param>
/// <param name="EncryptKey">InitialServerEncryptKeyN (= the client's decrypt key).</param>
/// <param name="DecryptKey">InitialServerDecryptKeyN (= the client's encrypt key).</param>
public sealed record StandardSecurityKeys(EncryptionMethod Method, byte[] MacKey, byte[] EncryptKey, byte[] DecryptKey)
{
    /// <summary>The client random in the Security Exchange PDU is 32 bytes ([MS-RDPBCGR] 2.2.1.10.1).</summary>
    public const int ClientRandomSize = 32;

    /// <summary>
    /// The server side of [MS-RDPBCGR] 5.3.4.1/5.3.4.2: the Security Exchange PDU's encryptedClientRandom, raw RSA
    /// (little-endian, no padding) under the server's private key; the client random is the first 32 bytes.
    /// </summary>
    public static byte[] DecryptClientRandom(ReadOnlySpan<byte> encryptedClientRandom, RSAParameters serverPrivateKey)
    {
        byte[] plain = RawRsa.Decrypt(encryptedClientRandom, serverPrivateKey);
        if (plain.Length < ClientRandomSize)
        {
            throw new ArgumentException("the rsa key is too small to carry a 32-byte client random", nameof(serverPrivateKey));
        }

        return plain[..ClientRandomSize];
    }

    /// <summary>
    /// [MS-RDPBCGR] 5.3.5.1 (non-FIPS): PreMasterSecret = First192Bits(ClientRandom) + First192Bits(ServerRandom);
    /// MasterSecret = PreMasterHash("A" "BB" "CCC"); SessionKeyBlob = MasterHash("X" "YY" "ZZZ"), SaltedHash over
    /// ClientRandom + ServerRandom throughout; MACKey128 = First128Bits(SessionKeyBlob);
    /// InitialServerEncryptKey128 = FinalHash(Second128Bits), InitialServerDecryptKey128 = FinalHash(Third128Bits),
    /// FinalHash(K) = MD5(K + ClientRandom + ServerRandom). 40-bit keys are 0xD1269E + the last 40 of the first
    /// 64 bits, 56-bit keys 0xD1 + the last 56 of the first 64 bits.
    /// </summary>
    public static StandardSecurityKeys Derive(ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, EncryptionMethod method)
    {
        if (clientRandom.Length != ClientRandomSize || serverRandom.Length != ClientRandomSize)
        {
            throw new ArgumentException("client and server randoms must be 32 bytes");
        }

        if (method is not (EncryptionMethod.Bits40 or EncryptionMethod.Bits56 or EncryptionMethod.Bits128))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "unsupported encryption method");
        }

        Span<byte> preMaster = stackalloc byte[48];
        clientRandom[..24].CopyTo(preMaster);
        serverRandom[..24].CopyTo(preMaster[24..]);

        Span<byte> master = stackalloc byte[48];
        LicensingCrypto.SaltedHash(preMaster, "A"u8, clientRandom, serverRandom, master[..16]);
        LicensingCrypto.SaltedHash(preMaster, "BB"u8, clientRandom, serverRandom, master[16..32]);
        LicensingCrypto.SaltedHash(preMaster, "CCC"u8, clientRandom, serverRandom, master[32..]);

        Span<byte> blob = stackalloc byte[48];
        LicensingCrypto.SaltedHash(master, "X"u8, clientRandom, serverRandom, blob[..16]);
        LicensingCrypto.SaltedHash(master, "YY"u8, clientRandom, serverRandom, blob[16..32]);
        LicensingCrypto.SaltedHash(master, "ZZZ"u8, clientRandom, serverRandom, blob[32..]);

        byte[] macKey = blob[..16].ToArray();
        byte[] encryptKey = FinalHash(blob[16..32], clientRandom, serverRandom);
        byte[] decryptKey = FinalHash(blob[32..], clientRandom, serverRandom);
        CryptographicOperations.ZeroMemory(preMaster);
        CryptographicOperations.ZeroMemory(master);
        CryptographicOperations.ZeroMemory(blob);
        return new StandardSecurityKeys(method, Reduce(macKey, method), Reduce(encryptKey, method), Reduce(decryptKey, method));
    }

    /// <summary>The key length for <paramref name="method"/>: 8 bytes for 40/56-bit, 16 for 128-bit.</summary>
    public static int KeyLength(EncryptionMethod method) => method == EncryptionMethod.Bits128 ? 16 : 8;

    /// <summary>Applies the 40/56-bit salt to the first 8 bytes of a 128-bit key ([MS-RDPBCGR] 5.3.5.1, 5.3.7).</summary>
    internal static byte[] Reduce(ReadOnlySpan<byte> key128, EncryptionMethod method)
    {
        switch (method)
        {
            case EncryptionMethod.Bits40:
                byte[] key40 = key128[..8].ToArray();
                key40[0] = 0xD1;
                key40[1] = 0x26;
                key40[2] = 0x9E;
                return key40;
            case EncryptionMethod.Bits56:
                byte[] key56 = key128[..8].ToArray();
                key56[0] = 0xD1;
                return key56;
            default:
                return key128[..16].ToArray();
        }
    }

    private static byte[] FinalHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        using IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(key);
        md5.AppendData(clientRandom);
        md5.AppendData(serverRandom);
        return md5.GetHashAndReset();
    }
}
