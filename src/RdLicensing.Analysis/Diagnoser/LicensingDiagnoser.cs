using RdLicensing.Domain;
using RdLicensing.Registry.Host;

namespace RdLicensing.Analysis.Diagnoser;

/// <summary>
/// The RD Licensing Diagnoser (lsdiag.msc) as a pure function: host configuration, grace state and what each license
/// server reported go in; the problems, each with its stable code, Windows event, cause and resolution, and the number
/// of licenses available for clients come out. Codes and rules: docs/diagnoser.md.
/// </summary>
public static class LicensingDiagnoser
{
    /// <summary>The grace period counts as "ending soon" (event 1129) from this many days left.</summary>
    public const int GraceWarningDays = 14;

    private const string Rcm = WindowsEventIds.RcmSource;
    private const string Licensing = WindowsEventIds.LicensingSource;

    /// <summary>Runs the diagnosis.</summary>
    public static Diagnosis Run(DiagnoserInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        HostConfiguration host = input.Host;
        ProductVersion hostVersion = input.HostVersion;
        GraceState grace = host.Grace(input.Now);
        var problems = new List<DiagnoserProblem>();

        foreach (string warning in host.Warnings)
        {
            problems.Add(Problem(ProblemCodes.InvalidRegistryValue, ProblemSeverity.Warning, null, null, [], null,
                "a licensing value in the registry is not what Windows writes",
                warning,
                "set the value again with 'rdlic host config set' (or Server Manager / Group Policy on Windows) so it has the right type and number"));
        }

        CheckPolicyOverrides(host, problems);

        bool modeConfigured = host.Mode is LicensingMode.PerDevice or LicensingMode.PerUser;
        if (host.LicenseServers.Count == 0)
        {
            problems.Add(Problem(ProblemCodes.NoLicenseServer, grace.Expired ? ProblemSeverity.Error : ProblemSeverity.Warning,
                WindowsEventIds.NoLicenseServerSpecified, Rcm, [], null,
                "the session host has no license server specified",
                grace.Expired
                    ? "the grace period is over: connections will be denied unless a license server is configured"
                    : "once the grace period ends, connections will be denied unless a license server is configured",
                "specify license servers: 'rdlic host config set --license-servers NAME', the policy \"Use the specified Remote Desktop license servers\", or Server Manager (RD Licensing)"));
        }

        var usable = new List<LicenseServerObservation>();
        foreach (LicenseServerObservation server in input.Servers)
        {
            if (!server.Reachable)
            {
                problems.Add(Problem(ProblemCodes.ServerUnreachable, ProblemSeverity.Error, WindowsEventIds.LicenseServerUnreachable, Rcm, [], server.Name,
                    $"the license server {server.Name} is not available",
                    "the session host could not contact it" + (server.Error is null ? "" : $": {server.Error}") + " (service stopped, network or firewall, or the name does not resolve)",
                    "check that the license server is running and reachable from the session host by that name, and that its port is open"));
                continue;
            }

            if (server.Status is not { } status)
            {
                problems.Add(Problem(ProblemCodes.ServerCredentialsRequired, ProblemSeverity.Warning, null, null, [], server.Name,
                    $"credentials are required to diagnose the license server {server.Name}",
                    "it answered but refused to show its status and key packs" + (server.Error is null ? "" : $": {server.Error}"),
                    "run the diagnoser with an admin or auditor key of that license server (--token)"));
                continue;
            }

            bool supportsHost = status.Version is null || status.Version.ServerSupportsHost(hostVersion);
            if (!supportsHost)
            {
                problems.Add(Problem(ProblemCodes.ServerOlderThanHost, ProblemSeverity.Error, WindowsEventIds.LicenseServerOlderThanHost, Rcm, [], server.Name,
                    $"the license server {server.Name} ({status.VersionText}) does not support this session host ({hostVersion.Name})",
                    "a license server must be the session host's version or newer, or it cannot hold or issue the CALs the host needs",
                    $"upgrade the license server to {hostVersion.Name} or later, or point the host at one that is"));
            }

            bool activated = status.Activation == ActivationState.Activated;
            if (!activated)
            {
                problems.Add(Problem(ProblemCodes.ServerNotActivated, ProblemSeverity.Error, WindowsEventIds.ServerNotActivated, Licensing, [], server.Name,
                    $"the license server {server.Name} is not activated",
                    "a license server that is not activated issues temporary CALs only and cannot install key packs",
                    "activate it: 'rdlic server activate' (or Licensing Manager > Activate Server), then install CALs"));
            }

            if (supportsHost && activated)
            {
                usable.Add(server);
            }
        }

        int available = 0;
        bool licensed = false;
        if (!modeConfigured)
        {
            problems.Add(grace.Expired
                ? Problem(ProblemCodes.ModeNotConfiguredGraceExpired, ProblemSeverity.Error, WindowsEventIds.GraceExpiredModeNotConfigured, Rcm, [WindowsEventIds.GraceExpired], null,
                    "the licensing mode is not configured and the grace period is over",
                    "the session host does not know which CALs to ask for, and the grace period no longer admits clients without them",
                    "set the licensing mode: 'rdlic host config set --mode per-device|per-user', the policy \"Set the Remote Desktop licensing mode\", or Server Manager")
                : Problem(ProblemCodes.ModeNotConfigured, ProblemSeverity.Warning, WindowsEventIds.ModeNotConfigured, Rcm, [], null,
                    "the licensing mode is not configured",
                    grace.Started
                        ? $"clients are admitted only during the grace period, which ends in {grace.DaysLeft} days"
                        : "clients are admitted only during the grace period",
                    "set the licensing mode: 'rdlic host config set --mode per-device|per-user', the policy \"Set the Remote Desktop licensing mode\", or Server Manager"));
        }
        else
        {
            CalType calType = host.Mode == LicensingMode.PerDevice ? CalType.PerDevice : CalType.PerUser;
            string mode = WireNames.Of(host.Mode);
            List<(LicenseServerObservation Server, KeyPackFacts Pack)> packs =
                usable.SelectMany(s => s.KeyPacks.Where(p => p.Total > 0).Select(p => (s, p))).ToList();
            var ofType = packs.Where(x => x.Pack.Type == calType).ToList();
            var compatible = ofType.Where(x => x.Pack.Version is { } v && hostVersion.HostAccepts(v)).ToList();
            available = compatible.Sum(x => Math.Max(0, x.Pack.Available));
            licensed = compatible.Count > 0;
            if (usable.Count > 0 && ofType.Count == 0)
            {
                var otherTypes = packs.Select(x => WireNames.Of(x.Pack.Type)).Distinct().ToList();
                problems.Add(Problem(ProblemCodes.NoCalsForMode, ProblemSeverity.Error, WindowsEventIds.NoPermanentCals, Licensing, [WindowsEventIds.CannotIssueClientLicense], null,
                    $"no {mode} CALs are installed on the license servers the host uses",
                    otherTypes.Count > 0
                        ? $"the host is in {mode} mode but the license servers hold only {string.Join(" and ", otherTypes)} CALs: the licensing mode and the CAL type do not match"
                        : $"the host is in {mode} mode and the license servers hold no CALs",
                    otherTypes.Count > 0
                        ? $"set the host's licensing mode to match the CALs you own, or install {mode} CALs (or convert them)"
                        : $"install {mode} CALs of {hostVersion.Name} or later on a license server"));
            }
            else if (ofType.Count > 0 && compatible.Count == 0)
            {
                string versions = string.Join(", ", ofType.Select(x => x.Pack.VersionText).Distinct());
                problems.Add(Problem(ProblemCodes.NoCompatibleVersion, ProblemSeverity.Error, WindowsEventIds.NoCalsForProduct, Licensing, [WindowsEventIds.CannotIssueClientLicense], null,
                    $"no {mode} CALs of {hostVersion.Name} or later are installed",
                    $"the installed {mode} CALs are for {versions}; a session host accepts CALs of its own version or newer only",
                    $"install {mode} CALs of {hostVersion.Name} or later"));
            }
            else if (compatible.Count > 0 && available == 0)
            {
                problems.Add(Problem(ProblemCodes.AllCalsIssued, calType == CalType.PerDevice ? ProblemSeverity.Error : ProblemSeverity.Warning,
                    WindowsEventIds.NotEnoughCals, Licensing, [WindowsEventIds.NoPermanentCals], null,
                    $"every {mode} CAL is issued",
                    calType == CalType.PerDevice
                        ? "new devices get temporary CALs only, and are refused once those expire"
                        : "per-user CALs are not enforced: users still connect, but the deployment is out of compliance",
                    calType == CalType.PerDevice
                        ? "install more CALs, or revoke CALs of devices that are gone ('rdlic licenses revoke', at most 20% per version)"
                        : "install more per-user CALs"));
            }

            bool workgroup = input.HostInWorkgroup == true
                || input.Servers.Any(s => s.Status is { Scope: DiscoveryScope.Workgroup });
            if (host.Mode == LicensingMode.PerUser && workgroup)
            {
                problems.Add(Problem(ProblemCodes.PerUserInWorkgroup, ProblemSeverity.Warning, null, null, [], null,
                    "the host is in per-user mode in a workgroup",
                    "per-user CALs are tracked in Active Directory; in a workgroup they cannot be tracked or reported",
                    "use per-device mode in a workgroup, or join the host and the license server to a domain"));
            }
        }

        // The grace period ends early once the host reaches a license server with installed licenses of its type and
        // version (events 1128/1129 wording); then it no longer matters.
        if (modeConfigured && !licensed && grace.Started)
        {
            if (grace.Expired)
            {
                problems.Add(Problem(ProblemCodes.GraceExpired, ProblemSeverity.Error, WindowsEventIds.GraceExpired, Rcm, [], null,
                    "the licensing grace period is over",
                    "the session host has not reached a license server with installed licenses, so clients without a valid CAL are refused",
                    "make a license server with installed CALs of the host's type and version reachable from the host"));
            }
            else if (grace.DaysLeft <= GraceWarningDays)
            {
                problems.Add(Problem(ProblemCodes.GraceEndingSoon, ProblemSeverity.Warning, WindowsEventIds.GraceEndingSoon, Rcm, [], null,
                    $"the licensing grace period ends in {grace.DaysLeft} days ({grace.End:yyyy-MM-dd})",
                    "the session host has not reached a license server with installed licenses; after the grace period clients without a valid CAL are refused",
                    "make a license server with installed CALs of the host's type and version reachable from the host before the grace period ends"));
            }
        }

        return new Diagnosis(
            host.Mode, host.ModeSource, host.LicenseServers, host.LicenseServersSource, hostVersion, grace,
            input.Servers, problems, available);
    }

    private static void CheckPolicyOverrides(HostConfiguration host, List<DiagnoserProblem> problems)
    {
        if (host.PolicyMode is { } policyMode && host.LocalMode is { } localMode && policyMode != localMode)
        {
            problems.Add(Problem(ProblemCodes.PolicyOverridesLocal, ProblemSeverity.Information, null, null, [], null,
                $"Group Policy sets the licensing mode to {WireNames.Of(policyMode)}; the local setting {WireNames.Of(localMode)} is ignored",
                "the policy \"Set the Remote Desktop licensing mode\" wins over Server Manager and the local registry",
                "change the mode in the Group Policy object, or remove the policy to use the local setting"));
        }

        if (host.PolicyLicenseServers.Count > 0 && host.LocalLicenseServers.Count > 0
            && !host.PolicyLicenseServers.SequenceEqual(host.LocalLicenseServers, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(Problem(ProblemCodes.PolicyOverridesLocal, ProblemSeverity.Information, null, null, [], null,
                $"Group Policy sets the license servers to {string.Join(", ", host.PolicyLicenseServers)}; the local list {string.Join(", ", host.LocalLicenseServers)} is ignored",
                "the policy \"Use the specified Remote Desktop license servers\" wins over Server Manager and the local registry",
                "change the servers in the Group Policy object, or remove the policy to use the local list"));
        }
    }

    private static DiagnoserProblem Problem(
        string code, ProblemSeverity severity, int? eventId, string? source, IReadOnlyList<int> related, string? server,
        string problem, string cause, string resolution) =>
        new(code, severity, eventId, source, related, server, problem, cause, resolution);
}
