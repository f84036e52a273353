namespace RdLicensing.Analysis.Findings;

/// <summary>Tuning of the issued-license analysis; the defaults follow the CAL lifecycle (rds-facts.md section 1).</summary>
/// <param name="AsOf">The moment the export describes ("now" of the analysis); the clock's now when null.</param>
/// <param name="ChurnThreshold">Hardware ids under one computer name from which it is churn rather than a rebuild.</param>
/// <param name="RateWindow">How far back the issuance rate of the exhaustion forecast looks.</param>
/// <param name="ExhaustionHorizon">A forecast of exhaustion within this time is a finding.</param>
public sealed record AnalysisOptions(
    DateTimeOffset? AsOf = null,
    int ChurnThreshold = 3,
    TimeSpan? RateWindow = null,
    TimeSpan? ExhaustionHorizon = null)
{
    /// <summary>The defaults: churn from 3 hardware ids, a 30-day rate, a 90-day horizon.</summary>
    public static AnalysisOptions Default { get; } = new();

    internal TimeSpan Window => RateWindow ?? TimeSpan.FromDays(30);

    internal TimeSpan Horizon => ExhaustionHorizon ?? TimeSpan.FromDays(90);
}

/// <summary>The outcome of analysing every issued per-device CAL of one license server.</summary>
/// <param name="AsOf">The moment the analysis describes.</param>
/// <param name="Rows">Issued CALs read.</param>
/// <param name="LiveCals">CALs neither revoked nor expired at <paramref name="AsOf"/>.</param>
/// <param name="Devices">Distinct (computer name, hardware id) pairs.</param>
/// <param name="RevocationEvaluated">False when the product version of some wasted CAL is unknown (no key packs given).</param>
/// <param name="ExhaustionEvaluated">False when no key packs were given.</param>
/// <param name="Limitations">What the analysis could not evaluate, and why; empty when it evaluated everything.</param>
/// <param name="Findings">The findings, exhaustion first, then by CALs wasted.</param>
/// <param name="RevocationBudgets">The 20% rule per product version, with what this plan uses of it.</param>
/// <param name="CalsWasted">Distinct CALs wasted over all findings.</param>
/// <param name="RevocableNow">Wasted CALs that can be revoked now within the 20% rule.</param>
public sealed record AnalysisResult(
    DateTimeOffset AsOf,
    long Rows,
    long LiveCals,
    long Devices,
    bool RevocationEvaluated,
    bool ExhaustionEvaluated,
    IReadOnlyList<string> Limitations,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RevocationBudget> RevocationBudgets,
    int CalsWasted,
    int RevocableNow);

/// <summary>One finding.</summary>
/// <param name="Kind">One of <see cref="FindingKinds"/>.</param>
/// <param name="Summary">One line for people.</param>
/// <param name="Cause">The cause, after seed 002.</param>
/// <param name="Resolution">What to do, after seed 002.</param>
/// <param name="Devices">The (computer, hardware id) pairs involved.</param>
/// <param name="LicenseIds">Every live CAL of those devices.</param>
/// <param name="CalsWasted">CALs held that no machine uses.</param>
/// <param name="WastedCals">Those CALs, each revocable now or free on its expiry date.</param>
/// <param name="FreeOn">When the last wasted CAL returns to the pool without revocation.</param>
/// <param name="Exhaustion">The forecast, for <see cref="FindingKinds.Exhaustion"/>.</param>
public sealed record Finding(
    string Kind,
    string Summary,
    string Cause,
    string Resolution,
    IReadOnlyList<FindingDevice> Devices,
    IReadOnlyList<string> LicenseIds,
    int CalsWasted,
    IReadOnlyList<WastedCal> WastedCals,
    DateTimeOffset? FreeOn = null,
    ExhaustionForecast? Exhaustion = null);

/// <summary>A (computer name, hardware id) pair in a finding.</summary>
/// <param name="Computer">sIssuedToComputer.</param>
/// <param name="HardwareId">sHardwareId.</param>
/// <param name="Role">"current" (the newest hardware id of the name), "stale" (stopped renewing), "renewing" or "sharing".</param>
/// <param name="FirstIssued">Earliest IssueDate of its CALs.</param>
/// <param name="LastActivity">Latest moment it provably got or renewed a CAL.</param>
/// <param name="LiveCals">Its CALs neither revoked nor expired.</param>
/// <param name="LicenseIds">Those CALs.</param>
public sealed record FindingDevice(
    string Computer,
    string HardwareId,
    string Role,
    DateTimeOffset FirstIssued,
    DateTimeOffset LastActivity,
    int LiveCals,
    IReadOnlyList<string> LicenseIds);

/// <summary>A CAL held that no machine uses.</summary>
/// <param name="LicenseId">LicenseId.</param>
/// <param name="KeyPackId">KeyPackId.</param>
/// <param name="Computer">sIssuedToComputer.</param>
/// <param name="HardwareId">sHardwareId.</param>
/// <param name="Version">Product version key ("2022"), or null when unknown.</param>
/// <param name="Status">"temporary", "active", … (Win32_TSIssuedLicense.LicenseStatus).</param>
/// <param name="ExpiresOn">When it returns to the pool by itself.</param>
/// <param name="RevocableNow">Whether revoking it now stays within the 20% rule (this plan's earlier CALs counted).</param>
/// <param name="Note">Why it cannot be revoked now, when it cannot.</param>
public sealed record WastedCal(
    string LicenseId,
    string KeyPackId,
    string Computer,
    string HardwareId,
    string? Version,
    string Status,
    DateTimeOffset ExpiresOn,
    bool RevocableNow,
    string? Note);

/// <summary>
/// The 20% rule for one product version: at any time revoked, unexpired CALs may not exceed max(20% of the installed
/// per-device CALs, 1).
/// </summary>
/// <param name="Version">Product version key.</param>
/// <param name="InstalledPerDeviceCals">TotalLicenses of the purchased per-device key packs of the version.</param>
/// <param name="Limit">max(floor(20% of installed), 1).</param>
/// <param name="AlreadyRevoked">Revoked CALs of the version not yet past their expiry date.</param>
/// <param name="Room">How many more may be revoked now.</param>
/// <param name="PlannedNow">How many wasted CALs this plan revokes now.</param>
/// <param name="NextRevokeAllowedOn">When the next revocation beyond the plan becomes possible (a revoked CAL expires).</param>
public sealed record RevocationBudget(
    string Version,
    long InstalledPerDeviceCals,
    long Limit,
    long AlreadyRevoked,
    long Room,
    long PlannedNow,
    DateTimeOffset? NextRevokeAllowedOn);

/// <summary>When a version's available per-device CALs reach zero at the recent issuance rate.</summary>
/// <param name="Version">Product version key.</param>
/// <param name="Installed">TotalLicenses of its purchased per-device key packs.</param>
/// <param name="Available">AvailableLicenses of those packs.</param>
/// <param name="IssuedInWindow">Permanent CALs of the version issued within the window.</param>
/// <param name="WindowDays">The window, in days.</param>
/// <param name="PerDay">Issued per day over the window.</param>
/// <param name="ExhaustedOn">The forecast date; now when none are available.</param>
/// <param name="TemporaryCals">Live temporary CALs (clients waiting for a permanent one).</param>
public sealed record ExhaustionForecast(
    string Version,
    long Installed,
    long Available,
    int IssuedInWindow,
    double WindowDays,
    double PerDay,
    DateTimeOffset ExhaustedOn,
    int TemporaryCals);
