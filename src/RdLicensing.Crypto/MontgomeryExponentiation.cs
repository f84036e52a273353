using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RdLicensing.Crypto;

/// <summary>
/// Modular exponentiation for odd moduli (RSA moduli and primes) by Montgomery multiplication over 64-bit limbs
/// (coarsely integrated operand scanning) with a fixed 4-bit window. <see cref="BigInteger.ModPow"/> reduces by long
/// division after every product; on the session host that made the two 512-bit private-key operations of every
/// connection the largest cost of the connection. The result is the same number; only the route differs (the tests
/// compare both on random inputs).
/// <para>
/// The route does not depend on the exponent's value (it is a private key's CRT exponent): every 4-bit digit costs four
/// squarings and one multiplication, a digit's table entry is read by scanning all sixteen entries with masks, the
/// secret exponent is walked over at least as many digits as the modulus has (leading zero digits included), and the final
/// subtraction of each Montgomery product is always computed and kept or dropped by a mask. What is left to the
/// platform: the CPU's multiply instructions, and BigInteger conversions at the two ends.
/// </para>
/// </summary>
internal static class MontgomeryExponentiation
{
    private const int WindowBits = 4;
    private const int WindowSize = 1 << WindowBits;

    /// <summary>
    /// value^exponent mod modulus. Odd moduli above 1 with 0 &lt;= value &lt; modulus take the Montgomery route;
    /// anything else is handed to <see cref="BigInteger.ModPow"/>. <paramref name="secretExponent"/>: a private key's
    /// exponent, walked over the modulus' full length; a public one (65537) only over its own digits.
    /// </summary>
    public static BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus, bool secretExponent)
    {
        if (modulus.IsEven || modulus <= BigInteger.One || exponent.Sign < 0 || value.Sign < 0 || value >= modulus)
        {
            return BigInteger.ModPow(value, exponent, modulus);
        }

        int n = (int)((modulus.GetBitLength() + 63) / 64);
        ulong[] m = ToLimbs(modulus, n);
        ulong mInverse = NegativeInverse(m[0]);

        // R = 2^(64n); R² mod m takes values into Montgomery form, one division for the whole exponentiation.
        ulong[] rSquared = ToLimbs(BigInteger.Remainder(BigInteger.One << (128 * n), modulus), n);
        ulong[] scratch = new ulong[n + 2];

        // table[i] = value^i · R mod m.
        ulong[] table = new ulong[WindowSize * n];
        ulong[] one = new ulong[n];
        one[0] = 1;
        Multiply(one, rSquared, m, mInverse, scratch, table.AsSpan(0, n));
        Multiply(ToLimbs(value, n), rSquared, m, mInverse, scratch, table.AsSpan(n, n));
        for (int i = 2; i < WindowSize; i++)
        {
            Multiply(table.AsSpan((i - 1) * n, n), table.AsSpan(n, n), m, mInverse, scratch, table.AsSpan(i * n, n));
        }

        // Left to right over the exponent's 4-bit digits: four squarings, then one multiplication by the digit's entry
        // (the entry for 0 is R mod m, Montgomery's one, so every digit costs the same).
        // A secret exponent's bytes padded to the modulus' length (a CRT exponent is below its prime), so the number of
        // digits walked does not tell its length.
        int length = exponent.GetByteCount(isUnsigned: true);
        byte[] digits = new byte[secretExponent ? Math.Max(n * 8, length) : length];
        bool written = exponent.TryWriteBytes(digits, out _, isUnsigned: true, isBigEndian: false);
        Debug.Assert(written, "the digits hold the exponent");
        ulong[] x = table.AsSpan(0, n).ToArray();
        ulong[] t = new ulong[n];
        ulong[] entry = new ulong[n];
        for (int w = (digits.Length * 2) - 1; w >= 0; w--)
        {
            for (int s = 0; s < WindowBits; s++)
            {
                Multiply(x, x, m, mInverse, scratch, t);
                t.CopyTo(x, 0);
            }

            int digit = (digits[w / 2] >> (WindowBits * (w % 2))) & (WindowSize - 1);
            Select(table, digit, entry);
            Multiply(x, entry, m, mInverse, scratch, t);
            t.CopyTo(x, 0);
        }

        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(table.AsSpan()));
        CryptographicOperations.ZeroMemory(digits);

        // Out of Montgomery form: x · 1 · R⁻¹.
        Multiply(x, one, m, mInverse, scratch, t);
        return FromLimbs(t);
    }

    /// <summary>
    /// result = a · b · R⁻¹ mod m for a, b &lt; m (R = 2^(64n)); <paramref name="t"/> is n + 2 limbs of scratch.
    /// <paramref name="result"/> may not overlap <paramref name="a"/> or <paramref name="b"/>.
    /// </summary>
    internal static void Multiply(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> m, ulong mInverse, Span<ulong> t, Span<ulong> result)
    {
        int n = m.Length;
        Debug.Assert(a.Length == n && b.Length == n && result.Length == n && t.Length == n + 2, "limb counts");
        t.Clear();
        for (int i = 0; i < n; i++)
        {
            // t += a[i] · b
            ulong carry = 0;
            for (int j = 0; j < n; j++)
            {
                UInt128 sum = ((UInt128)a[i] * b[j]) + t[j] + carry;
                t[j] = (ulong)sum;
                carry = (ulong)(sum >> 64);
            }

            UInt128 top = (UInt128)t[n] + carry;
            t[n] = (ulong)top;
            t[n + 1] = (ulong)(top >> 64);

            // t = (t + u · m) / 2^64, with u chosen so that the low limb becomes zero.
            ulong u = unchecked(t[0] * mInverse);
            UInt128 reduced = ((UInt128)u * m[0]) + t[0];
            carry = (ulong)(reduced >> 64);
            for (int j = 1; j < n; j++)
            {
                reduced = ((UInt128)u * m[j]) + t[j] + carry;
                t[j - 1] = (ulong)reduced;
                carry = (ulong)(reduced >> 64);
            }

            top = (UInt128)t[n] + carry;
            t[n - 1] = (ulong)top;
            t[n] = t[n + 1] + (ulong)(top >> 64);
            t[n + 1] = 0;
        }

        // INVARIANT: t < 2m here, so subtracting m once brings it below m when it is not already. The subtraction is
        // always made; t - m is kept when t[n] is set (then t >= R > m) or when it did not borrow.
        ulong borrow = 0;
        for (int j = 0; j < n; j++)
        {
            UInt128 difference = unchecked((UInt128)t[j] - m[j] - borrow);
            result[j] = (ulong)difference;
            borrow = (ulong)(difference >> 127);
        }

        ulong keep = unchecked(0UL - (t[n] | (borrow ^ 1)));
        for (int j = 0; j < n; j++)
        {
            result[j] = (result[j] & keep) | (t[j] & ~keep);
        }
    }

    /// <summary>
    /// entry = table[index] (entries of entry.Length limbs), reading every entry and keeping the one asked for by a mask,
    /// so which entry was read does not show in the memory accesses.
    /// </summary>
    internal static void Select(ReadOnlySpan<ulong> table, int index, Span<ulong> entry)
    {
        int n = entry.Length;
        entry.Clear();
        for (int i = 0; i < WindowSize; i++)
        {
            // All ones for the entry asked for, 0 otherwise, without a branch: (i ^ index) - 1 is negative only at 0.
            ulong mask = (ulong)((long)((i ^ index) - 1) >> 63);
            ReadOnlySpan<ulong> candidate = table.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                entry[j] |= candidate[j] & mask;
            }
        }
    }

    /// <summary>-m0⁻¹ mod 2^64 for odd m0, by Newton's iteration (each step doubles the correct low bits).</summary>
    internal static ulong NegativeInverse(ulong m0)
    {
        Debug.Assert((m0 & 1) == 1, "odd modulus");
        ulong inverse = m0; // correct to 3 bits: m0 · m0 ≡ 1 (mod 8) for odd m0
        for (int i = 0; i < 5; i++)
        {
            inverse = unchecked(inverse * (2 - (m0 * inverse)));
        }

        return unchecked(0 - inverse);
    }

    private static ulong[] ToLimbs(BigInteger value, int n)
    {
        Span<byte> bytes = new byte[n * 8];
        bool written = value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        Debug.Assert(written, "value fits the modulus' limbs");
        ulong[] limbs = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            limbs[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8, 8));
        }

        return limbs;
    }

    private static BigInteger FromLimbs(ReadOnlySpan<ulong> limbs)
    {
        byte[] bytes = new byte[limbs.Length * 8];
        for (int i = 0; i < limbs.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8, 8), limbs[i]);
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }
}
