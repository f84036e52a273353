using System.Numerics;
using System.Security.Cryptography;
using CsCheck;

namespace RdLicensing.Crypto.Tests;

/// <summary>The Montgomery route and the CRT route give what plain <see cref="BigInteger.ModPow"/> gives.</summary>
public sealed class MontgomeryExponentiationTests
{
    private static readonly Gen<(BigInteger Value, BigInteger Exponent, BigInteger Modulus)> OddModulusCase =
        from modulusBytes in Gen.Byte.Array[1, 300]
        from valueBytes in Gen.Byte.Array[0, 300]
        from exponentBytes in Gen.Byte.Array[0, 300]
        let modulus = new BigInteger(modulusBytes, isUnsigned: true) | BigInteger.One
        where modulus > BigInteger.One
        select (new BigInteger(valueBytes, isUnsigned: true) % modulus, new BigInteger(exponentBytes, isUnsigned: true), modulus);

    [Fact]
    public void Montgomery_mod_pow_equals_big_integer_mod_pow_for_random_odd_moduli() =>
        OddModulusCase.Sample(
            c => MontgomeryExponentiation.ModPow(c.Value, c.Exponent, c.Modulus, secretExponent: false) == BigInteger.ModPow(c.Value, c.Exponent, c.Modulus)
                && MontgomeryExponentiation.ModPow(c.Value, c.Exponent, c.Modulus, secretExponent: true) == BigInteger.ModPow(c.Value, c.Exponent, c.Modulus),
            iter: 2_000);

    [Theory]
    [InlineData(3)]
    [InlineData(64)] // one full limb below 2^64
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Edge_values_match_big_integer_mod_pow(int bits)
    {
        // 2^bits - 1 (all limbs full) and 2^(bits-1) + 1 (top limb nearly empty) as moduli; 0, 1, m-1 as values;
        // exponents 0, 1, 2, m-2 and an all-ones exponent.
        foreach (BigInteger modulus in new[] { (BigInteger.One << bits) - 1, (BigInteger.One << (bits - 1)) + 1 })
        {
            foreach (BigInteger value in new[] { BigInteger.Zero, BigInteger.One, modulus - 1 })
            {
                foreach (BigInteger exponent in new[] { BigInteger.Zero, BigInteger.One, new BigInteger(2), modulus - 2, (BigInteger.One << (bits + 7)) - 1 })
                {
                    Assert.Equal(BigInteger.ModPow(value, exponent, modulus), MontgomeryExponentiation.ModPow(value, exponent, modulus, secretExponent: false));
                    Assert.Equal(BigInteger.ModPow(value, exponent, modulus), MontgomeryExponentiation.ModPow(value, exponent, modulus, secretExponent: true));
                }
            }
        }
    }

    [Fact]
    public void Even_moduli_and_out_of_range_values_fall_back_to_big_integer_mod_pow()
    {
        Assert.Equal(BigInteger.ModPow(7, 13, 100), MontgomeryExponentiation.ModPow(7, 13, 100, secretExponent: true));
        Assert.Equal(BigInteger.ModPow(1234, 13, 101), MontgomeryExponentiation.ModPow(1234, 13, 101, secretExponent: true));
        Assert.Equal(BigInteger.Zero, MontgomeryExponentiation.ModPow(5, 3, BigInteger.One, secretExponent: true));
    }

    [Fact]
    public void Select_reads_the_entry_asked_for_out_of_all_sixteen()
    {
        ulong[] table = [.. Enumerable.Range(0, 16 * 3).Select(i => unchecked((ulong)i * 0x9E3779B97F4A7C15UL))];
        ulong[] entry = new ulong[3];
        for (int index = 0; index < 16; index++)
        {
            MontgomeryExponentiation.Select(table, index, entry);
            Assert.Equal(table.AsSpan(index * 3, 3).ToArray(), entry);
        }
    }

    [Fact]
    public void Montgomery_products_reduce_below_the_modulus_whether_or_not_they_subtract_it()
    {
        // a · b · R⁻¹ mod m for operands near 0 and near m, where the last subtraction is and is not due.
        Gen<(BigInteger A, BigInteger B, BigInteger M)> cases =
            from bytes in Gen.Byte.Array[8, 64]
            from nearTop in Gen.Bool
            from offsets in Gen.Select(Gen.UInt, Gen.UInt)
            let m = new BigInteger(bytes, isUnsigned: true) | BigInteger.One | (BigInteger.One << ((bytes.Length * 8) - 1))
            let a = nearTop ? m - 1 - (offsets.Item1 % m) : offsets.Item1 % m
            let b = nearTop ? m - 1 - (offsets.Item2 % m) : offsets.Item2 % m
            select (a, b, m);
        cases.Sample(
            c =>
            {
                int n = (int)((c.M.GetBitLength() + 63) / 64);
                ulong[] m = Limbs(c.M, n);
                ulong[] result = new ulong[n];
                MontgomeryExponentiation.Multiply(Limbs(c.A, n), Limbs(c.B, n), m, MontgomeryExponentiation.NegativeInverse(m[0]), new ulong[n + 2], result);
                // result = a · b · R⁻¹ mod m  ⇔  result < m and result · R ≡ a · b (mod m).
                var got = new BigInteger(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()), isUnsigned: true);
                return got < c.M && ((got << (64 * n)) - (c.A * c.B)) % c.M == 0;
            },
            iter: 1_000);
    }

    private static ulong[] Limbs(BigInteger value, int n)
    {
        byte[] bytes = new byte[n * 8];
        Assert.True(value.TryWriteBytes(bytes, out _, isUnsigned: true));
        return [.. Enumerable.Range(0, n).Select(i => BitConverter.ToUInt64(bytes, i * 8))];
    }

    [Fact]
    public void Negative_inverse_is_the_inverse_of_the_low_limb() =>
        Gen.ULong.Sample(x =>
        {
            ulong odd = x | 1;
            return unchecked(odd * MontgomeryExponentiation.NegativeInverse(odd)) == ulong.MaxValue;
        });

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Crt_decrypt_equals_plain_mod_pow_decrypt(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        RSAParameters full = rsa.ExportParameters(true);
        RSAParameters withoutPrimes = new() { Modulus = full.Modulus, Exponent = full.Exponent, D = full.D };
        BigInteger n = new(full.Modulus, isUnsigned: true, isBigEndian: true);
        BigInteger d = new(full.D, isUnsigned: true, isBigEndian: true);
        int length = full.Modulus!.Length;

        Gen.Byte.Array[length].Sample(
            bytes =>
            {
                BigInteger c = new BigInteger(bytes, isUnsigned: true) % n;
                byte[] ciphertext = new byte[length];
                c.TryWriteBytes(ciphertext, out _, isUnsigned: true, isBigEndian: false);
                byte[] expected = new byte[length];
                BigInteger.ModPow(c, d, n).TryWriteBytes(expected, out _, isUnsigned: true, isBigEndian: false);
                return RawRsa.Decrypt(ciphertext, full).AsSpan().SequenceEqual(expected)
                    && RawRsa.Decrypt(ciphertext, withoutPrimes).AsSpan().SequenceEqual(expected);
            },
            iter: bits == 2048 ? 20 : 200);
    }

    [Fact]
    public void Primes_that_do_not_match_the_modulus_are_not_used()
    {
        using RSA rsa = RSA.Create(512);
        using RSA other = RSA.Create(512);
        RSAParameters key = rsa.ExportParameters(true);
        RSAParameters foreign = other.ExportParameters(true);
        RSAParameters mixed = key with { P = foreign.P, Q = foreign.Q, DP = foreign.DP, DQ = foreign.DQ, InverseQ = foreign.InverseQ };
        byte[] plain = RandomNumberGenerator.GetBytes(32);
        byte[] encrypted = RawRsa.Encrypt(plain, key);

        Assert.Equal(RawRsa.Decrypt(encrypted, key), RawRsa.Decrypt(encrypted, mixed));
        Assert.True(RawRsa.Decrypt(encrypted, key).AsSpan(0, 32).SequenceEqual(plain));
    }
}
