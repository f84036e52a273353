namespace RdLicensing.Domain;

/// <summary>
/// The only source of randomness the domain uses (server ids, license ids, permanent CAL lifetimes). The edge passes a
/// cryptographic source; tests pass a seeded one. Implementations must be safe to call from several threads.
/// </summary>
public interface IRandomness
{
    /// <summary>A uniformly distributed integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    int NextInt(int minInclusive, int maxExclusive);
}

/// <summary>Helpers that turn <see cref="IRandomness"/> into identifiers.</summary>
public static class RandomIds
{
    /// <summary>Upper-case letters and digits: the alphabet of Windows license server ids and key pack ids.</summary>
    public const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A string of <paramref name="length"/> characters drawn uniformly from <paramref name="alphabet"/>.</summary>
    public static string Next(IRandomness random, int length, string alphabet = Alphanumerics)
    {
        ArgumentNullException.ThrowIfNull(random);
        return string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.NextInt(0, state.alphabet.Length)];
            }
        });
    }
}
