using System.Security.Cryptography;
using CsCheck;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Tests;

public sealed class RawRsaTests
{
    private static readonly RSAParameters Key512 = CreateKey(512);

    [Fact]
    public void Raw_rsa_round_trips_any_value_below_the_modulus() =>
        Gen.Byte.Array[0, 63].Sample(plain =>
        {
            byte[] encrypted = RawRsa.Encrypt(plain, Key512);
            byte[] decrypted = RawRsa.Decrypt(encrypted, Key512);
            return encrypted.Length == 72
                && encrypted.AsSpan(64).IndexOfAnyExcept((byte)0) < 0
                && decrypted.Length == 64
                && decrypted.AsSpan(0, plain.Length).SequenceEqual(plain)
                && decrypted.AsSpan(plain.Length).IndexOfAnyExcept((byte)0) < 0;
        });

    [Fact]
    public void Raw_rsa_is_little_endian_textbook_rsa()
    {
        // m = 2 (little-endian 02 00 ...), so c = 2^e mod n; with e = 65537 and a 512-bit n, 2^65537 mod n.
        byte[] encrypted = RawRsa.Encrypt([0x02], Key512);
        System.Numerics.BigInteger n = new(Key512.Modulus, isUnsigned: true, isBigEndian: true);
        System.Numerics.BigInteger expected = System.Numerics.BigInteger.ModPow(2, 65537, n);

        Assert.Equal(expected, new System.Numerics.BigInteger(encrypted, isUnsigned: true, isBigEndian: false));
    }

    [Fact]
    public void Plaintext_not_below_the_modulus_is_a_caller_error() =>
        Assert.Throws<ArgumentException>(() => RawRsa.Encrypt(Enumerable.Repeat((byte)0xFF, 64).ToArray(), Key512));

    [Fact]
    public void Oversized_ciphertext_is_a_protocol_error()
    {
        byte[] tooLong = new byte[80];
        tooLong[70] = 1;

        ProtocolException e = Assert.Throws<ProtocolException>(() => RawRsa.Decrypt(tooLong, Key512));
        Assert.Equal("value", e.Field);
    }

    private static RSAParameters CreateKey(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        return rsa.ExportParameters(true);
    }
}
