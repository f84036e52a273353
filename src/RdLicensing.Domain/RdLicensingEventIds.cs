namespace RdLicensing.Domain;

/// <summary>
/// Events RdLicensing records for the audit trail where Windows has no documented event id (rds-facts.md section 6 names
/// none for them; we do not invent Windows ids). They carry <see cref="Source"/>, never the Windows licensing source, and
/// live in a range Windows' licensing sources do not use.
/// </summary>
public static class RdLicensingEventIds
{
    public const string Source = "RdLicensing";

    public const int CalRevoked = 10001;
    public const int KeyPackInstalled = 10002;
    public const int KeyPackRemoved = 10003;
    public const int ServerDeactivated = 10004;
    public const int SettingsChanged = 10005;
    public const int CalExpired = 10006;
}
