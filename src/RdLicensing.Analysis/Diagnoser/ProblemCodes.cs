namespace RdLicensing.Analysis.Diagnoser;

/// <summary>The diagnoser's stable problem codes (docs/diagnoser.md). Never rename one: scripts match on them.</summary>
public static class ProblemCodes
{
    /// <summary>Licensing mode not configured (host event 1068).</summary>
    public const string ModeNotConfigured = "mode-not-configured";

    /// <summary>Licensing mode not configured and the grace period is over (host event 1069).</summary>
    public const string ModeNotConfiguredGraceExpired = "mode-not-configured-grace-expired";

    /// <summary>No license server specified (host event 1130).</summary>
    public const string NoLicenseServer = "no-license-server";

    /// <summary>A license server could not be contacted (host event 1131).</summary>
    public const string ServerUnreachable = "server-unreachable";

    /// <summary>A license server answered but refused our credentials (needs an admin or auditor key).</summary>
    public const string ServerCredentialsRequired = "server-credentials-required";

    /// <summary>A license server is older than the host (host event 1132).</summary>
    public const string ServerOlderThanHost = "server-older-than-host";

    /// <summary>A license server is not activated (server event 18).</summary>
    public const string ServerNotActivated = "server-not-activated";

    /// <summary>No CALs of the host's type: the mode/CAL type mismatch (server event 21, host event 1004).</summary>
    public const string NoCalsForMode = "no-cals-for-mode";

    /// <summary>CALs of the host's type exist, but none of the host's version or newer (server event 22, host event 1004).</summary>
    public const string NoCompatibleVersion = "no-compatible-version";

    /// <summary>Every compatible CAL is issued (server event 20).</summary>
    public const string AllCalsIssued = "all-cals-issued";

    /// <summary>The grace period is over and no license server with licenses is reachable (host event 1128).</summary>
    public const string GraceExpired = "grace-expired";

    /// <summary>The grace period ends within 14 days and no license server with licenses is reachable (host event 1129).</summary>
    public const string GraceEndingSoon = "grace-ending-soon";

    /// <summary>A Group Policy setting overrides a different local setting.</summary>
    public const string PolicyOverridesLocal = "policy-overrides-local";

    /// <summary>Per-user mode in a workgroup, where per-user CALs cannot be tracked.</summary>
    public const string PerUserInWorkgroup = "per-user-in-workgroup";

    /// <summary>A licensing value in the registry has the wrong type or an unknown number and is ignored.</summary>
    public const string InvalidRegistryValue = "invalid-registry-value";
}
