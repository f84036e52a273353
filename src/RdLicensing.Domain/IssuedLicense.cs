namespace RdLicensing.Domain;

/// <summary>
/// An issued CAL (Win32_TSIssuedLicense for per device; the per-user record Windows keeps in AD for per user).
/// Moves: temporary → (validated) → permanent → renewed … → expired; permanent → revoked. Each move is a method here;
/// which move happens when is decided by <see cref="LicensingEngine"/>.
/// </summary>
public sealed class IssuedLicense
{
    private IssuedLicense(string licenseId, CalType type, ProductVersion version, DateTimeOffset issuedOn, DateTimeOffset expiresOn)
    {
        LicenseId = licenseId;
        Type = type;
        Version = version;
        IssuedOn = issuedOn;
        ExpiresOn = expiresOn;
    }

    public string LicenseId { get; }

    /// <summary>The key pack the CAL was taken from; null for temporary CALs and untracked per-user records.</summary>
    public string? KeyPackId { get; private set; }

    public CalType Type { get; }

    public LicenseStatus Status { get; private set; }

    /// <summary>INVARIANT: true exactly when the CAL was issued temporary and never upgraded (kept after it expires).</summary>
    public bool Temporary { get; private set; }

    public ProductVersion Version { get; private set; }

    public string? Machine { get; private set; }

    public string? User { get; private set; }

    /// <summary>INVARIANT: non-null for per-device CALs: one device is one hardware id.</summary>
    public HardwareId? Hwid { get; private init; }

    public DateTimeOffset IssuedOn { get; private set; }

    public DateTimeOffset ExpiresOn { get; private set; }

    /// <summary>The host reported a successful logon with this CAL (per device).</summary>
    public bool Validated { get; private set; }

    public DateTimeOffset? RevokedOn { get; private set; }

    public string? IssuedToHost { get; private set; }

    /// <summary>Temporary or permanent, and not past its expiry at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Status is LicenseStatus.Temporary or LicenseStatus.Permanent && ExpiresOn > now;

    internal static IssuedLicense NewTemporary(string licenseId, HardwareId hwid, string? machine, string? user, ProductVersion version, string? host, DateTimeOffset now) =>
        new(licenseId, CalType.PerDevice, version, now, now + LicensingEngine.TemporaryLifetime)
        {
            Status = LicenseStatus.Temporary,
            Temporary = true,
            Hwid = hwid,
            Machine = machine,
            User = user,
            IssuedToHost = host,
        };

    internal static IssuedLicense NewPermanentDevice(string licenseId, KeyPack pack, HardwareId hwid, string? machine, string? user, string? host, DateTimeOffset now, DateTimeOffset expiresOn) =>
        new(licenseId, CalType.PerDevice, pack.Version, now, expiresOn)
        {
            Status = LicenseStatus.Permanent,
            KeyPackId = pack.KeyPackId,
            Validated = true,
            Hwid = hwid,
            Machine = machine,
            User = user,
            IssuedToHost = host,
        };

    internal static IssuedLicense NewPerUser(string licenseId, KeyPack? pack, ProductVersion version, string user, HardwareId? hwid, string? machine, string? host, DateTimeOffset now) =>
        new(licenseId, CalType.PerUser, pack?.Version ?? version, now, now + LicensingEngine.PerUserLifetime)
        {
            Status = LicenseStatus.Permanent,
            KeyPackId = pack?.KeyPackId,
            Validated = true,
            User = user,
            Hwid = hwid,
            Machine = machine,
            IssuedToHost = host,
        };

    /// <summary>Rebuilds a stored CAL (for stores).</summary>
    public static IssuedLicense Restore(
        string licenseId, string? keyPackId, CalType type, LicenseStatus status, bool temporary, ProductVersion version,
        string? machine, string? user, HardwareId? hwid, DateTimeOffset issuedOn, DateTimeOffset expiresOn, bool validated,
        DateTimeOffset? revokedOn, string? issuedToHost) =>
        new(licenseId, type, version, issuedOn, expiresOn)
        {
            KeyPackId = keyPackId,
            Status = status,
            Temporary = temporary,
            Machine = machine,
            User = user,
            Hwid = hwid,
            Validated = validated,
            RevokedOn = revokedOn,
            IssuedToHost = issuedToHost,
        };

    internal void MarkValidated() => Validated = true;

    internal void UpgradeToPermanent(KeyPack pack, DateTimeOffset now, DateTimeOffset expiresOn, string? machine, string? host)
    {
        Status = LicenseStatus.Permanent;
        Temporary = false;
        KeyPackId = pack.KeyPackId;
        Version = pack.Version;
        IssuedOn = now;
        ExpiresOn = expiresOn;
        Validated = true;
        Touch(machine, host);
    }

    internal void Renew(DateTimeOffset expiresOn, string? machine, string? host)
    {
        ExpiresOn = expiresOn;
        Touch(machine, host);
    }

    internal void Revoke(DateTimeOffset now)
    {
        Status = LicenseStatus.Revoked;
        RevokedOn = now;
    }

    internal void Expire() => Status = LicenseStatus.Expired;

    internal void Touch(string? machine, string? host)
    {
        Machine = machine ?? Machine;
        IssuedToHost = host ?? IssuedToHost;
    }
}
