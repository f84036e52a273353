namespace RdLicensing.Domain;

/// <summary>
/// What a session host asks the license server when a client connects (POST /api/licenses/request, or an in-process
/// session host). Per device the device is its hardware id (plus the machine name it reports); per user the user name.
/// </summary>
public sealed record CalRequest
{
    public const int MaxNameLength = 256;

    private CalRequest()
    {
    }

    public LicensingMode Mode { get; private init; }

    /// <summary>INVARIANT: non-null when <see cref="Mode"/> is per device.</summary>
    public HardwareId? Hwid { get; private init; }

    public string? Machine { get; private init; }

    /// <summary>INVARIANT: non-null when <see cref="Mode"/> is per user.</summary>
    public string? User { get; private init; }

    public ProductVersion HostVersion { get; private init; } = ProductVersions.Latest;

    public string? PresentedLicenseId { get; private init; }

    public string? HostName { get; private init; }

    /// <summary>Validates the text fields of a request; throws <see cref="LicensingException"/> naming the bad field.</summary>
    public static CalRequest Parse(string? machine, string? hwid, string? user, string? hostVersion, string? mode, string? presentedLicenseId, string? hostName)
    {
        LicensingMode parsedMode = LicensingMode.PerDevice;
        if (!string.IsNullOrWhiteSpace(mode) && (!WireNames.TryParse(mode, out parsedMode) || parsedMode == LicensingMode.NotConfigured))
        {
            throw LicensingException.Invalid("mode", $"mode must be per-device or per-user, got '{mode}'");
        }

        if (!ProductVersions.TryParse(hostVersion, out ProductVersion version))
        {
            throw LicensingException.Invalid("hostVersion", $"unknown product version '{hostVersion}': expected one of {string.Join(", ", ProductVersions.All.Select(v => v.Key))}");
        }

        HardwareId? id = null;
        if (!string.IsNullOrWhiteSpace(hwid))
        {
            id = HardwareId.TryParse(hwid, out HardwareId parsed)
                ? parsed
                : throw LicensingException.Invalid("hwid", $"a hardware id is {HardwareId.Size * 2} hex digits, got '{hwid}'");
        }

        string? userName = Name(user, "user");
        if (parsedMode == LicensingMode.PerDevice && id is null)
        {
            throw LicensingException.Invalid("hwid", "a per-device request needs the client's hardware id");
        }

        if (parsedMode == LicensingMode.PerUser && userName is null)
        {
            throw LicensingException.Invalid("user", "a per-user request needs the user name");
        }

        return new CalRequest
        {
            Mode = parsedMode,
            Hwid = id,
            Machine = Name(machine, "machine"),
            User = userName,
            HostVersion = version,
            PresentedLicenseId = Name(presentedLicenseId, "presentedLicenseId"),
            HostName = Name(hostName, "hostName"),
        };
    }

    private static string? Name(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim();
        return trimmed.Length <= MaxNameLength
            ? trimmed
            : throw LicensingException.Invalid(field, $"{field} is longer than {MaxNameLength} characters");
    }
}

/// <summary>What a CAL request came to (LicenseResponse.Outcome).</summary>
public enum LicenseOutcome
{
    /// <summary>A new temporary per-device CAL (90 days).</summary>
    IssuedTemporary = 1,

    /// <summary>A validated temporary CAL became permanent.</summary>
    Upgraded = 2,

    /// <summary>A permanent CAL within 7 days of expiry got a new random 52–89 days.</summary>
    Renewed = 3,

    /// <summary>The device holds a usable CAL; nothing changed.</summary>
    Valid = 4,

    /// <summary>A per-user CAL was recorded or its 60 days extended.</summary>
    PerUserRecorded = 5,

    /// <summary>No CAL can be issued and the device holds none it may use.</summary>
    Refused = 6,

    /// <summary>A device whose earlier CAL expired or was revoked got a new permanent CAL directly.</summary>
    IssuedPermanent = 7,

    /// <summary>Per user on a server that is not activated: nothing recorded, not enforced (event 18).</summary>
    PerUserNotTracked = 8,
}

/// <summary>The answer to a <see cref="CalRequest"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="License">The CAL the device or user now holds; null when refused or not tracked.</param>
/// <param name="EventId">The Windows event id recorded with the decision, if any.</param>
/// <param name="Message">A lower-case explanation for admins.</param>
public sealed record LicenseDecision(LicenseOutcome Outcome, IssuedLicense? License, int? EventId, string? Message)
{
    /// <summary>True when the host must hand the client a (new) signed CAL.</summary>
    public bool CarriesCal => Outcome is LicenseOutcome.IssuedTemporary or LicenseOutcome.Upgraded or LicenseOutcome.Renewed
        or LicenseOutcome.IssuedPermanent or LicenseOutcome.PerUserRecorded;
}

/// <summary>The 20 % rule at one moment for one product version.</summary>
public sealed record RevocationAllowance(ProductVersion Version, int RevokedCount, int InstalledCount, int Limit, int RevocableCals, DateTimeOffset? NextRevokeAllowedOn);

/// <summary>The result of a revocation: done, or refused by the 20 % rule (event 81).</summary>
public sealed record RevocationResult(bool Revoked, IssuedLicense License, RevocationAllowance Allowance);
