namespace RdLicensing.Domain;

/// <summary>
/// Windows event ids that RdLicensing records with its decisions (rds-facts.md section 6). Sources:
/// "TerminalServices-Licensing" for the license server, "TerminalServices-RemoteConnectionManager" for the session host.
/// </summary>
public static class WindowsEventIds
{
    public const string LicensingSource = "Microsoft-Windows-TerminalServices-Licensing";
    public const string RcmSource = "Microsoft-Windows-TerminalServices-RemoteConnectionManager";

    // License server (TerminalServices-Licensing)
    public const int ServiceStarted = 0;
    public const int ServerActivated = 4;
    public const int ExpiredCalNotReturned = 16;
    public const int CertificatesCorrupt = 17;
    public const int ServerNotActivated = 18;
    public const int NotEnoughCals = 20;
    public const int NoPermanentCals = 21;
    public const int NoCalsForProduct = 22;
    public const int RevocationLimitReached = 81;
    public const int CalUpgradedToNewerVersion = 82;
    public const int DatabaseCorrupt = 4100;
    public const int CalReportingInfo = 4106;
    public const int HostAccessDenied = 4141;
    public const int PerUserCalUpgraded = 4144;

    // Session host (RemoteConnectionManager)
    public const int InvalidClientLicense = 1003;
    public const int CannotIssueClientLicense = 1004;
    public const int TemporaryLicenseExpired = 1011;
    public const int LicenseNotRenewed = 1028;
    public const int HostNotInEndpointServersGroup = 1043;
    public const int ModeNotConfigured = 1068;
    public const int GraceExpiredModeNotConfigured = 1069;
    public const int GraceExpired = 1128;
    public const int GraceEndingSoon = 1129;
    public const int NoLicenseServerSpecified = 1130;
    public const int LicenseServerUnreachable = 1131;
    public const int LicenseServerOlderThanHost = 1132;
    public const int HostCertificateInvalid = 1133;
}
