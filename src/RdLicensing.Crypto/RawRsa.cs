using System.Numerics;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto;

/// <summary>
/// Textbook RSA without padding over little-endian byte strings, as RDP uses it for the Security Exchange client
/// random ([MS-RDPBCGR] 5.3.4.1) and the licensing premaster secret ([MS-RDPELE] 5.1.1.1). Keys are
/// <see cref="RSAParameters"/> (big-endian, as .NET exports them).
/// </summary>
public static class RawRsa
{
    /// <summary>The zero padding appended to every RSA-encrypted value on the wire ([MS-RDPBCGR] 5.3.4.1).</summary>
    public const int WirePaddingSize = 8;

    private const string Structure = "RSA ciphertext";

    /// <summary>
    /// Encrypts a little-endian integer with the public key and returns the little-endian result of the modulus'
    /// length followed by <see cref="WirePaddingSize"/> zero bytes: the wire form of [MS-RDPBCGR] 5.3.4.1.
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> littleEndianPlaintext, RSAParameters publicKey)
    {
        (BigInteger modulus, int modulusLength) = Modulus(publicKey);
        BigInteger exponent = FromBigEndian(publicKey.Exponent ?? throw new ArgumentException("public exponent missing", nameof(publicKey)));
        BigInteger m = new(littleEndianPlaintext, isUnsigned: true, isBigEndian: false);
        if (m >= modulus)
        {
            throw new ArgumentException("plaintext is not less than the modulus", nameof(littleEndianPlaintext));
        }

        byte[] result = new byte[modulusLength + WirePaddingSize];
        MontgomeryExponentiation.ModPow(m, exponent, modulus, secretExponent: false).TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
        return result;
    }

    /// <summary>
    /// Decrypts a little-endian ciphertext with the private key and returns the little-endian plaintext, exactly the
    /// modulus' length. The ciphertext may be shorter than the modulus, zero, or carry the trailing wire padding
    /// (rdesktop sends 64 zero bytes plus 8 pad bytes and no real encryption); a value not below the modulus is
    /// malformed and raises <see cref="ProtocolException"/>. A key that carries its primes (P, Q, DP, DQ, InverseQ, as
    /// <see cref="RSA.ExportParameters(bool)"/> gives them) is used through the Chinese remainder theorem, two
    /// exponentiations of half the size; the result is the same c^d mod n.
    /// </summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> littleEndianCiphertext, RSAParameters privateKey)
    {
        (BigInteger modulus, int modulusLength) = Modulus(privateKey);
        BigInteger d = FromBigEndian(privateKey.D ?? throw new ArgumentException("private exponent missing", nameof(privateKey)));
        ReadOnlySpan<byte> significant = littleEndianCiphertext.TrimEnd((byte)0);
        if (significant.Length > modulusLength)
        {
            throw ProtocolException.InvalidField(Structure, "value", $"{significant.Length} significant bytes exceed the {modulusLength}-byte modulus");
        }

        BigInteger c = new(significant, isUnsigned: true, isBigEndian: false);
        if (c >= modulus)
        {
            throw ProtocolException.InvalidField(Structure, "value", "not less than the modulus");
        }

        byte[] result = new byte[modulusLength];
        BigInteger plain = TryCrtParts(privateKey, modulus) is { } crt
            ? PrivateWithCrt(c, crt)
            : MontgomeryExponentiation.ModPow(c, d, modulus, secretExponent: true);
        plain.TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
        return result;
    }

    /// <summary><see cref="Encrypt(ReadOnlySpan{byte}, RSAParameters)"/> with the public key of <paramref name="rsa"/>.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> littleEndianPlaintext, RSA rsa) =>
        Encrypt(littleEndianPlaintext, rsa.ExportParameters(includePrivateParameters: false));

    /// <summary><see cref="Decrypt(ReadOnlySpan{byte}, RSAParameters)"/> with the private key of <paramref name="rsa"/>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> littleEndianCiphertext, RSA rsa) =>
        Decrypt(littleEndianCiphertext, rsa.ExportParameters(includePrivateParameters: true));

    /// <summary>
    /// c^d mod n from the primes: m1 = c^dP mod p, m2 = c^dQ mod q, h = qInv · (m1 - m2) mod p, m = m2 + h · q
    /// ([RFC 8017] 5.1.2, two primes).
    /// </summary>
    private static BigInteger PrivateWithCrt(BigInteger c, CrtParts key)
    {
        BigInteger m1 = MontgomeryExponentiation.ModPow(c % key.P, key.DP, key.P, secretExponent: true);
        BigInteger m2 = MontgomeryExponentiation.ModPow(c % key.Q, key.DQ, key.Q, secretExponent: true);
        BigInteger h = key.InverseQ * (m1 - m2) % key.P;
        if (h.Sign < 0)
        {
            h += key.P;
        }

        return m2 + (h * key.Q);
    }

    /// <summary>The key's CRT parameters, or null when any is missing or the primes do not multiply to the modulus.</summary>
    private static CrtParts? TryCrtParts(RSAParameters key, BigInteger modulus)
    {
        if (key.P is not { } p || key.Q is not { } q || key.DP is not { } dp || key.DQ is not { } dq || key.InverseQ is not { } qInv)
        {
            return null;
        }

        var parts = new CrtParts(FromBigEndian(p), FromBigEndian(q), FromBigEndian(dp), FromBigEndian(dq), FromBigEndian(qInv));
        return parts.P * parts.Q == modulus ? parts : null;
    }

    private sealed record CrtParts(BigInteger P, BigInteger Q, BigInteger DP, BigInteger DQ, BigInteger InverseQ);

    private static (BigInteger Modulus, int Length) Modulus(RSAParameters key)
    {
        byte[] n = key.Modulus ?? throw new ArgumentException("modulus missing", nameof(key));
        BigInteger modulus = FromBigEndian(n);
        if (modulus.IsZero)
        {
            throw new ArgumentException("modulus is zero", nameof(key));
        }

        return (modulus, n.AsSpan().TrimStart((byte)0).Length);
    }

    private static BigInteger FromBigEndian(byte[] value) => new(value, isUnsigned: true, isBigEndian: true);
}
