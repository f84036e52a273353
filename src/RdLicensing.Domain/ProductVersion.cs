namespace RdLicensing.Domain;

/// <summary>
/// A Windows Server / RDS product version that CALs, key packs, session hosts and license servers carry
/// (rds-facts.md section 2). Versions are data: a new Windows release is a new row in <see cref="ProductVersions"/>.
/// </summary>
/// <param name="Key">Stable short key used in the CLI, the API and the store: "2008R2", "2012", … "2025".</param>
/// <param name="Name">Display name, e.g. "Windows Server 2022".</param>
/// <param name="Rank">Ordering: a higher rank is a newer version. INVARIANT: unique within the catalog.</param>
/// <param name="WmiProductVersionId">Win32_TSLicenseKeyPack.ProductVersionID (2 = 2008, 3 = 2008 R2, 4 = 2012, … 7 = 2022; 8 for 2025 is our assumption).</param>
public sealed record ProductVersion(string Key, string Name, int Rank, int WmiProductVersionId)
{
    /// <summary>A session host of this version accepts a CAL of <paramref name="calVersion"/> (CAL version ≥ host version).</summary>
    public bool HostAccepts(ProductVersion calVersion) => calVersion.Rank >= Rank;

    /// <summary>A license server of this version can serve a host of <paramref name="hostVersion"/> (server ≥ host).</summary>
    public bool ServerSupportsHost(ProductVersion hostVersion) => Rank >= hostVersion.Rank;

    public override string ToString() => Key;
}

/// <summary>The catalog of known product versions, oldest first.</summary>
public static class ProductVersions
{
    public static readonly ProductVersion V2008R2 = new("2008R2", "Windows Server 2008 R2", 3, 3);
    public static readonly ProductVersion V2012 = new("2012", "Windows Server 2012", 4, 4);
    public static readonly ProductVersion V2016 = new("2016", "Windows Server 2016", 5, 5);
    public static readonly ProductVersion V2019 = new("2019", "Windows Server 2019", 6, 6);
    public static readonly ProductVersion V2022 = new("2022", "Windows Server 2022", 7, 7);
    public static readonly ProductVersion V2025 = new("2025", "Windows Server 2025", 8, 8);

    /// <summary>All known versions, oldest first.</summary>
    public static IReadOnlyList<ProductVersion> All { get; } = [V2008R2, V2012, V2016, V2019, V2022, V2025];

    /// <summary>The newest known version: what our own license server and session host report themselves as.</summary>
    public static ProductVersion Latest => All[^1];

    /// <summary>Parses "2022", "2008R2", "2008 R2", "2008-r2", "Windows Server 2022" (case-insensitive).</summary>
    public static bool TryParse(string? text, out ProductVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string normalized = text.Trim();
        if (normalized.StartsWith("Windows Server ", StringComparison.OrdinalIgnoreCase))
        {
            normalized = normalized["Windows Server ".Length..];
        }

        normalized = normalized.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        foreach (ProductVersion candidate in All)
        {
            if (string.Equals(candidate.Key, normalized, StringComparison.OrdinalIgnoreCase))
            {
                version = candidate;
                return true;
            }
        }

        return false;
    }

    public static ProductVersion Parse(string text) =>
        TryParse(text, out ProductVersion version)
            ? version
            : throw new FormatException($"unknown product version '{text}': expected one of {string.Join(", ", All.Select(v => v.Key))}");

    public static ProductVersion? FromWmiId(int id) => All.FirstOrDefault(v => v.WmiProductVersionId == id);
}
