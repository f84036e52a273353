using System.Security.Cryptography;
using RdLicensing.Crypto.StandardSecurity;
using RdLicensing.Wire;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Connection;

/// <summary>
/// Standard RDP Security for one connection ([MS-RDPBCGR] 5.3) as the acceptor uses it: the client random from the
/// Security Exchange, the session keys and the RC4 streams of both directions (RdLicensing.Crypto), applied to the
/// TS_SECURITY_HEADER1 framing (2.2.8.1.1.2.2).
/// </summary>
internal sealed class RdpSecuritySession
{
    private readonly StandardSecuritySession _session;

    public RdpSecuritySession(byte[] clientRandom, byte[] serverRandom, EncryptionMethods method)
    {
        EncryptionMethod cryptoMethod = method switch
        {
            EncryptionMethods.Bit40 => EncryptionMethod.Bits40,
            EncryptionMethods.Bit56 => EncryptionMethod.Bits56,
            EncryptionMethods.Bit128 => EncryptionMethod.Bits128,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not an rc4 encryption method"),
        };
        _session = new StandardSecuritySession(StandardSecurityKeys.Derive(clientRandom, serverRandom, cryptoMethod));
    }

    /// <summary>[MS-RDPBCGR] 5.3.4.2: the client random is the first 32 bytes of the raw-RSA-decrypted value.</summary>
    public static byte[] DecryptClientRandom(byte[] encrypted, RSAParameters key) =>
        StandardSecurityKeys.DecryptClientRandom(encrypted, key);

    /// <summary>Security header with SEC_ENCRYPT and <paramref name="flags"/>, the signature, then the encrypted data.</summary>
    public byte[] Seal(SecurityFlags flags, ReadOnlySpan<byte> data)
    {
        byte[] result = new byte[BasicSecurityHeader.Size + NonFipsSecurityHeader.SignatureSize + data.Length];
        var writer = new WireWriter(result);
        new BasicSecurityHeader(flags | SecurityFlags.Encrypt).Encode(ref writer);
        _session.Encrypt(data, result.AsSpan(BasicSecurityHeader.Size));
        return result;
    }

    /// <summary>
    /// Decrypts the data after a TS_SECURITY_HEADER1 (the whole user data, header included) and checks its
    /// signature (salted when SEC_SECURE_CHECKSUM is set, 5.3.6.1.1).
    /// </summary>
    public byte[] Open(SecurityFlags flags, byte[] userData)
    {
        var reader = new WireReader(userData);
        NonFipsSecurityHeader header = NonFipsSecurityHeader.Decode(ref reader);
        ReadOnlySpan<byte> ciphertext = reader.RemainingSpan;
        byte[] plaintext = new byte[ciphertext.Length];
        bool salted = (flags & SecurityFlags.SecureChecksum) != 0;
        if (!_session.TryDecrypt(header.DataSignature, ciphertext, plaintext, salted))
        {
            throw ProtocolException.InvalidField(NonFipsSecurityHeader.Name, "dataSignature", "the mac signature does not match the decrypted data");
        }

        return plaintext;
    }
}
