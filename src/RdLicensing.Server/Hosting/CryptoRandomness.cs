using System.Security.Cryptography;
using RdLicensing.Domain;

namespace RdLicensing.Server;

/// <summary>The randomness the server gives the domain: the operating system's cryptographic generator (thread-safe).</summary>
public sealed class CryptoRandomness : IRandomness
{
    public int NextInt(int minInclusive, int maxExclusive) => RandomNumberGenerator.GetInt32(minInclusive, maxExclusive);
}
