namespace RdLicensing.Domain;

/// <summary>
/// A license server id (rds-facts.md section 9): 35 upper-case alphanumerics, displayed as 7 groups of 5 separated by
/// hyphens and entered without them (Win32_TSLicenseServer.ActivateServer takes the 35 characters).
/// </summary>
public sealed record LicenseServerId
{
    public const int Length = 35;

    private LicenseServerId(string value) => Value = value;

    /// <summary>INVARIANT: exactly 35 characters of A–Z and 0–9.</summary>
    public string Value { get; }

    /// <summary>The 7 groups of 5, hyphenated: "ABCDE-FGHIJ-…".</summary>
    public string Display => string.Join('-', Enumerable.Range(0, 7).Select(i => Value.Substring(i * 5, 5)));

    /// <summary>A new id from injected randomness.</summary>
    public static LicenseServerId New(IRandomness random) => new(RandomIds.Next(random, Length));

    /// <summary>Accepts the compact 35-character form or the displayed 7×5 form (case-insensitive).</summary>
    public static bool TryParse(string? text, out LicenseServerId id)
    {
        id = null!;
        string? compact = KeyPackCode.CompactAlphanumerics(text, groups: 7, groupSize: 5);
        if (compact is null)
        {
            return false;
        }

        id = new LicenseServerId(compact);
        return true;
    }

    public static LicenseServerId Parse(string text) =>
        TryParse(text, out LicenseServerId id)
            ? id
            : throw LicensingException.Invalid("serverId", $"a license server id is 35 letters or digits (7 groups of 5), got '{text}'");

    public override string ToString() => Value;
}
