using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;

namespace RdLicensing.Crypto;

/// <summary>
/// Modular exponentiation for odd moduli (RSA moduli and primes) by Montgomery multiplication over 64-bit limbs
/// (coarsely integrated operand scanning) with a fixed 4-bit window. <see cref="BigInteger.ModPow"/> reduces by long
/// division after every product; on the session host that made the two 512-bit private-key operations of every
/// connection the largest cost of the connection. The result is the same number; only the route differs (the tests
/// compare both on random inputs).
/// </summary>
internal static class MontgomeryExponentiation
{
    private const int WindowBits = 4;
    private const int WindowSize = 1 << WindowBits;

    /// <summary>
    /// value^exponent mod modulus. Odd moduli above 1 with 0 &lt;= value &lt; modulus take the Montgomery route;
    /// anything else is handed to <see cref="BigInteger.ModPow"/>.
    /// </summary>
    public static BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus)
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
        byte[] digits = exponent.ToByteArray(isUnsigned: true, isBigEndian: false);
        ulong[] x = table.AsSpan(0, n).ToArray();
        ulong[] t = new ulong[n];
        for (int w = (digits.Length * 2) - 1; w >= 0; w--)
        {
            for (int s = 0; s < WindowBits; s++)
            {
                Multiply(x, x, m, mInverse, scratch, t);
                t.CopyTo(x, 0);
            }

            int digit = (digits[w / 2] >> (WindowBits * (w % 2))) & (WindowSize - 1);
            Multiply(x, table.AsSpan(digit * n, n), m, mInverse, scratch, t);
            t.CopyTo(x, 0);
        }

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

        // INVARIANT: t < 2m here, so one conditional subtraction brings it below m.
        if (t[n] != 0 || !IsLess(t[..n], m))
        {
            ulong borrow = 0;
            for (int j = 0; j < n; j++)
            {
                ulong difference = unchecked(t[j] - m[j] - borrow);
                borrow = (t[j] < m[j] || (t[j] == m[j] && borrow != 0)) ? 1UL : 0UL;
                result[j] = difference;
            }
        }
        else
        {
            t[..n].CopyTo(result);
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

    private static bool IsLess(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right)
    {
        for (int j = left.Length - 1; j >= 0; j--)
        {
            if (left[j] != right[j])
            {
                return left[j] < right[j];
            }
        }

        return false;
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
