using System.Buffers.Binary;
using System.Security.Cryptography;
using RdLicensing.Domain;

namespace RdLicensing.Server;

/// <summary>
/// The randomness the server gives the domain: the operating system's cryptographic generator (thread-safe), drawn a
/// block at a time. A license id takes twelve draws, and each <see cref="RandomNumberGenerator.GetInt32(int, int)"/> is
/// one call into OpenSSL's generator (its locks and its AES-CTR DRBG) for four bytes: about 20 µs per CAL, inside the
/// store's serialized write unit. Here each thread refills a 256-byte block in one call and takes four bytes per draw
/// (each used byte is cleared), with the same rejection sampling as the BCL, so every value stays uniform.
/// </summary>
public sealed class CryptoRandomness : IRandomness
{
    private const int BlockSize = 256;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_next;

    public int NextInt(int minInclusive, int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minInclusive, maxExclusive);
        uint range = (uint)((long)maxExclusive - minInclusive - 1); // the largest offset, 0 … uint.MaxValue - 1
        if (range == 0)
        {
            return minInclusive;
        }

        // Draw under the smallest all-ones mask that covers the range and reject what falls beyond it: uniform, and on
        // average fewer than two draws.
        uint mask = uint.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount(range);
        while (true)
        {
            uint offset = NextUInt32() & mask;
            if (offset <= range)
            {
                return (int)(minInclusive + offset);
            }
        }
    }

    private static uint NextUInt32()
    {
        byte[]? block = t_block;
        if (block is null || t_next > BlockSize - sizeof(uint))
        {
            block = t_block ??= new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            t_next = 0;
        }

        Span<byte> taken = block.AsSpan(t_next, sizeof(uint));
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(taken);
        taken.Clear();
        t_next += sizeof(uint);
        return value;
    }
}
