using RdLicensing.Domain;
using RdLicensing.Registry.Host;

namespace RdLicensing.Analysis.Diagnoser;

/// <summary>What the diagnoser looks at: the host's configuration, its version, the time, and each license server as contacted.</summary>
/// <param name="Host">The host's licensing configuration (from its registry or .reg exports).</param>
/// <param name="HostVersion">The host's product version (CALs must be this version or newer; servers too).</param>
/// <param name="Now">The moment of the diagnosis (grace period arithmetic).</param>
/// <param name="Servers">Each license server the host names or the admin added, in order, as contacted.</param>
/// <param name="HostInWorkgroup">True when the host is known to be in a workgroup; null when unknown.</param>
public sealed record DiagnoserInput(
    HostConfiguration Host,
    ProductVersion HostVersion,
    DateTimeOffset Now,
    IReadOnlyList<LicenseServerObservation> Servers,
    bool? HostInWorkgroup = null);

/// <summary>A license server as the diagnoser found it.</summary>
/// <param name="Name">The name the host uses for it (or the address the admin gave).</param>
/// <param name="Reachable">False when it could not be contacted.</param>
/// <param name="Error">Why it could not be contacted or queried.</param>
/// <param name="Status">Its status; null when unreachable or when it refused our credentials.</param>
/// <param name="KeyPacks">Its installed key packs (empty when unknown).</param>
public sealed record LicenseServerObservation(
    string Name,
    bool Reachable,
    string? Error,
    LicenseServerFacts? Status,
    IReadOnlyList<KeyPackFacts> KeyPacks)
{
    /// <summary>A server that could not be contacted.</summary>
    public static LicenseServerObservation Unreachable(string name, string error) => new(name, false, error, null, []);

    /// <summary>A server that answered but refused to show its status (no or wrong credentials).</summary>
    public static LicenseServerObservation Refused(string name, string error) => new(name, true, error, null, []);

    /// <summary>A server that answered with its status and key packs.</summary>
    public static LicenseServerObservation Reached(string name, LicenseServerFacts status, IReadOnlyList<KeyPackFacts> keyPacks) =>
        new(name, true, null, status, keyPacks);
}

/// <summary>A license server's status (GET /api/server, Win32_TSLicenseServer).</summary>
/// <param name="Version">Its product version, or null when it reports one we do not know.</param>
/// <param name="VersionText">The version as reported.</param>
/// <param name="Activation">Activated or not.</param>
/// <param name="Scope">Its discovery scope (workgroup, domain, forest).</param>
public sealed record LicenseServerFacts(ProductVersion? Version, string VersionText, ActivationState Activation, DiscoveryScope Scope);

/// <summary>An installed key pack (GET /api/keypacks, Win32_TSLicenseKeyPack).</summary>
/// <param name="Type">Per device or per user.</param>
/// <param name="Version">The CALs' product version, or null when unknown.</param>
/// <param name="VersionText">The version as reported.</param>
/// <param name="Total">CALs installed.</param>
/// <param name="Issued">CALs issued.</param>
/// <param name="Available">CALs left.</param>
public sealed record KeyPackFacts(CalType Type, ProductVersion? Version, string VersionText, int Total, int Issued, int Available);

/// <summary>How serious a problem is.</summary>
public enum ProblemSeverity
{
    /// <summary>Clients are, or will be, refused.</summary>
    Error,

    /// <summary>Something will break or is degraded.</summary>
    Warning,

    /// <summary>Worth knowing; nothing is broken by it alone.</summary>
    Information,
}

/// <summary>One finding, as the RD Licensing Diagnoser lists it: problem, cause, suggested resolution, and the Windows event.</summary>
/// <param name="Code">Stable code (docs/diagnoser.md); scripts depend on it.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="EventId">The Windows event id that reports the same condition, or null when Windows logs none.</param>
/// <param name="EventSource">The event's source (RemoteConnectionManager for the host, TerminalServices-Licensing for a server).</param>
/// <param name="RelatedEventIds">Other events that go with it (e.g. host 1004 with server 21).</param>
/// <param name="Server">The license server concerned, if one.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Cause">Why it matters.</param>
/// <param name="Resolution">What to do.</param>
public sealed record DiagnoserProblem(
    string Code,
    ProblemSeverity Severity,
    int? EventId,
    string? EventSource,
    IReadOnlyList<int> RelatedEventIds,
    string? Server,
    string Problem,
    string Cause,
    string Resolution);

/// <summary>The diagnosis: the host's licensing state, the problems found and the licenses available for clients.</summary>
public sealed record Diagnosis(
    LicensingMode Mode,
    SettingSource ModeSource,
    IReadOnlyList<string> LicenseServers,
    SettingSource LicenseServersSource,
    ProductVersion HostVersion,
    GraceState Grace,
    IReadOnlyList<LicenseServerObservation> Servers,
    IReadOnlyList<DiagnoserProblem> Problems,
    int LicensesAvailable)
{
    /// <summary>The summary line: "licenses available for clients: N".</summary>
    public string Summary => $"licenses available for clients: {LicensesAvailable}";

    /// <summary>The diagnoser's headline.</summary>
    public string Headline => (LicensesAvailable, Problems.Count(p => p.Severity != ProblemSeverity.Information)) switch
    {
        ( > 0, 0) => "licenses are available for this session host and no licensing problems were found",
        ( > 0, _) => "licenses are available for this session host, but licensing problems were found",
        (_, 0) => "no licenses are available for this session host",
        _ => "licenses are not available for this session host, and licensing problems were found",
    };
}
