namespace RdLicensing.Domain;

/// <summary>CAL type of a key pack or an issued CAL.</summary>
public enum CalType
{
    PerDevice = 1,
    PerUser = 2,
}

/// <summary>
/// State of an issued CAL. Values are ours; <see cref="LicenseStatusExtensions.ToWmi"/> maps them to
/// Win32_TSIssuedLicense.LicenseStatus (1 temporary, 2 active/permanent, 4 revoked).
/// </summary>
public enum LicenseStatus
{
    Temporary = 1,
    Permanent = 2,
    Revoked = 4,
    Expired = 5,
}

/// <summary>
/// Licensing mode of a session host, with the values Windows stores in the registry, the GPO and ChangeMode
/// (rds-facts.md section 4): 2 per device, 4 per user, 5 not configured.
/// </summary>
public enum LicensingMode
{
    PerDevice = 2,
    PerUser = 4,
    NotConfigured = 5,
}

/// <summary>Activation state of a license server (Win32_TSLicenseServer / licmgr).</summary>
public enum ActivationState
{
    NotActivated = 0,
    Activated = 1,
    Deactivated = 2,
}

/// <summary>Connection method used for activation (licmgr Properties > Connection Method).</summary>
public enum ActivationMethod
{
    Automatic = 1,
    Web = 2,
    Telephone = 3,
}

/// <summary>Discovery scope (Win32_TSLicenseServer.ServerRole): 0 workgroup, 1 domain, 2 forest.</summary>
public enum DiscoveryScope
{
    Workgroup = 0,
    Domain = 1,
    Forest = 2,
}

/// <summary>License program a key pack was bought under (Install Licenses wizard).</summary>
public enum LicenseProgram
{
    Retail = 1,
    Open = 2,
    Select = 3,
    Enterprise = 4,
    Campus = 5,
    School = 6,
    ServicesProvider = 7,
    Other = 8,
}

public static class LicenseStatusExtensions
{
    /// <summary>Win32_TSIssuedLicense.LicenseStatus: 1 temporary, 2 active, 4 revoked; expired CALs are no longer listed by Windows (0 unknown).</summary>
    public static int ToWmi(this LicenseStatus status) => status switch
    {
        LicenseStatus.Temporary => 1,
        LicenseStatus.Permanent => 2,
        LicenseStatus.Revoked => 4,
        _ => 0,
    };
}
