using System.Text;
using RdLicensing.Analysis.Diagnoser;
using RdLicensing.Domain;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;

namespace RdLicensing.Analysis.Tests.Diagnoser;

public sealed class DiagnoserTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Mode = "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\n";
    private const string Servers = "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\TermService\\Parameters\\LicenseServers]\n";
    private const string Policy = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]\n";
    private const string Grace = "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\GracePeriod]\n";

    // ls1.contoso.com as REG_MULTI_SZ.
    private const string Ls1 = "\"SpecifiedLicenseServers\"=hex(7):6c,00,73,00,31,00,2e,00,63,00,6f,00,6e,00,74,00,6f,00,73,00,6f,00,2e,00,63,00,6f,00,6d,00,00,00,00,00\n";

    private const string PerDeviceHost = Mode + "\"LicensingMode\"=dword:00000002\n\n" + Servers + Ls1 + "\n";

    /// <summary>A .reg export of a host's licensing keys (version 5.00, as regedit writes it), read as the host's configuration.</summary>
    private static HostConfiguration Host(string regBody, double? graceDaysLeft = 20)
    {
        string grace = graceDaysLeft is { } days ? Grace + GraceLine(Now.AddDays(days)) + "\n" : "";
        string text = "Windows Registry Editor Version 5.00\n\n" + regBody + grace;
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))];
        return HostConfiguration.Read(RegistryModel.FromRegFile(RegFile.Parse(bytes)));
    }

    private static string GraceLine(DateTimeOffset end) =>
        "\"L$RTMTIMEBOMB_1320153D-8DA3-4e8e-B27B-0D888223A588\"=hex:"
        + string.Join(",", BitConverter.GetBytes(end.UtcDateTime.ToFileTimeUtc()).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static LicenseServerObservation Server(
        string version = "2025", ActivationState activation = ActivationState.Activated, DiscoveryScope scope = DiscoveryScope.Domain,
        string name = "ls1.contoso.com", params KeyPackFacts[] packs) =>
        LicenseServerObservation.Reached(name, new LicenseServerFacts(ProductVersions.Parse(version), version, activation, scope),
            packs.Length == 0 ? [Pack()] : packs);

    private static KeyPackFacts Pack(CalType type = CalType.PerDevice, string version = "2022", int total = 50, int issued = 10) =>
        new(type, ProductVersions.Parse(version), version, total, issued, total - issued);

    private static Diagnosis Run(HostConfiguration host, bool? workgroup = null, params LicenseServerObservation[] servers) =>
        LicensingDiagnoser.Run(new DiagnoserInput(host, ProductVersions.V2022, Now, servers, workgroup));

    private static DiagnoserProblem Only(Diagnosis diagnosis, string code, int? eventId)
    {
        DiagnoserProblem problem = Assert.Single(diagnosis.Problems, p => p.Code == code);
        Assert.Equal(eventId, problem.EventId);
        Assert.False(string.IsNullOrWhiteSpace(problem.Problem));
        Assert.False(string.IsNullOrWhiteSpace(problem.Resolution));
        return problem;
    }

    [Fact]
    public void A_healthy_configuration_reports_no_problem()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, Server());

        Assert.Empty(diagnosis.Problems);
        Assert.Equal(40, diagnosis.LicensesAvailable);
        Assert.Equal("licenses available for clients: 40", diagnosis.Summary);
        Assert.Equal((LicensingMode.PerDevice, SettingSource.Local), (diagnosis.Mode, diagnosis.ModeSource));
    }

    [Fact]
    public void Mode_not_configured_is_1068()
    {
        Diagnosis diagnosis = Run(Host(Servers + Ls1 + "\n"), null, Server());

        Only(diagnosis, ProblemCodes.ModeNotConfigured, 1068);
        Assert.Single(diagnosis.Problems);
        Assert.Equal(0, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void Mode_not_configured_after_the_grace_period_is_1069_instead()
    {
        Diagnosis diagnosis = Run(Host(Servers + Ls1 + "\n", graceDaysLeft: -3), null, Server());

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.ModeNotConfiguredGraceExpired, 1069);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Single(diagnosis.Problems);
    }

    [Fact]
    public void No_license_server_specified_is_1130()
    {
        Diagnosis diagnosis = Run(Host(Mode + "\"LicensingMode\"=dword:00000002\n\n"));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.NoLicenseServer, 1130);
        Assert.Equal(WindowsEventIds.RcmSource, problem.EventSource);
    }

    [Fact]
    public void An_unreachable_server_is_1131()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, LicenseServerObservation.Unreachable("ls1.contoso.com", "connection refused"));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.ServerUnreachable, 1131);
        Assert.Equal("ls1.contoso.com", problem.Server);
        Assert.Contains("connection refused", problem.Cause, StringComparison.Ordinal);
        Assert.Equal(0, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void A_server_older_than_the_host_is_1132_and_its_cals_do_not_count()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, Server(version: "2019", packs: Pack(version: "2019")));

        Only(diagnosis, ProblemCodes.ServerOlderThanHost, 1132);
        Assert.Equal(0, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void A_server_not_activated_is_18()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, Server(activation: ActivationState.NotActivated));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.ServerNotActivated, 18);
        Assert.Equal(WindowsEventIds.LicensingSource, problem.EventSource);
        Assert.Equal(0, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void Per_user_mode_with_per_device_cals_is_the_mismatch_21_with_1004()
    {
        string host = Mode + "\"LicensingMode\"=dword:00000004\n\n" + Servers + Ls1 + "\n";

        Diagnosis diagnosis = Run(Host(host), null, Server(packs: Pack(CalType.PerDevice)));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.NoCalsForMode, 21);
        Assert.Equal([1004], problem.RelatedEventIds);
        Assert.Contains("per-device", problem.Cause, StringComparison.Ordinal);
        Assert.Equal(0, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void Cals_older_than_the_host_are_no_compatible_version()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, Server(packs: Pack(version: "2016")));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.NoCompatibleVersion, 22);
        Assert.Contains("2016", problem.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_cal_issued_is_20()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, Server(packs: Pack(total: 5, issued: 5)));

        Only(diagnosis, ProblemCodes.AllCalsIssued, 20);
        Assert.Equal("licenses available for clients: 0", diagnosis.Summary);
    }

    [Fact]
    public void Grace_over_without_a_licensed_server_is_1128()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost, graceDaysLeft: -1), null, LicenseServerObservation.Unreachable("ls1.contoso.com", "timeout"));

        Only(diagnosis, ProblemCodes.GraceExpired, 1128);
        Only(diagnosis, ProblemCodes.ServerUnreachable, 1131);
    }

    [Fact]
    public void Grace_ending_within_14_days_without_a_licensed_server_is_1129()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost, graceDaysLeft: 10), null, Server(packs: Pack(CalType.PerUser)));

        DiagnoserProblem problem = Only(diagnosis, ProblemCodes.GraceEndingSoon, 1129);
        Assert.Contains("10 days", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grace_period_does_not_matter_once_a_licensed_server_is_reached()
    {
        Assert.Empty(Run(Host(PerDeviceHost, graceDaysLeft: -30), null, Server()).Problems);
        Assert.Empty(Run(Host(PerDeviceHost, graceDaysLeft: 3), null, Server()).Problems);
    }

    [Fact]
    public void A_policy_overriding_the_local_setting_is_reported_without_an_event()
    {
        string host = PerDeviceHost + Policy + "\"LicensingMode\"=dword:00000004\n\"LicenseServers\"=\"ls2.contoso.com\"\n\n";

        Diagnosis diagnosis = Run(Host(host), null, Server(name: "ls2.contoso.com", packs: Pack(CalType.PerUser)));

        Assert.Equal(2, diagnosis.Problems.Count(p => p.Code == ProblemCodes.PolicyOverridesLocal));
        Assert.All(diagnosis.Problems, p => Assert.Equal((ProblemCodes.PolicyOverridesLocal, (int?)null, ProblemSeverity.Information), (p.Code, p.EventId, p.Severity)));
        Assert.Equal((LicensingMode.PerUser, SettingSource.Policy), (diagnosis.Mode, diagnosis.ModeSource));
        Assert.Equal(["ls2.contoso.com"], diagnosis.LicenseServers);
        Assert.Equal(40, diagnosis.LicensesAvailable);
    }

    [Fact]
    public void Per_user_mode_in_a_workgroup_is_reported_from_a_host_fact_or_the_servers_scope()
    {
        string host = Mode + "\"LicensingMode\"=dword:00000004\n\n" + Servers + Ls1 + "\n";

        Only(Run(Host(host), true, Server(packs: Pack(CalType.PerUser))), ProblemCodes.PerUserInWorkgroup, null);
        Only(Run(Host(host), null, Server(scope: DiscoveryScope.Workgroup, packs: Pack(CalType.PerUser))), ProblemCodes.PerUserInWorkgroup, null);
        Assert.Empty(Run(Host(PerDeviceHost), true, Server(scope: DiscoveryScope.Workgroup)).Problems);
    }

    [Fact]
    public void An_odd_registry_value_is_reported()
    {
        string host = Mode + "\"LicensingMode\"=\"2\"\n\n" + Servers + Ls1 + "\n";

        Diagnosis diagnosis = Run(Host(host), null, Server());

        Only(diagnosis, ProblemCodes.InvalidRegistryValue, null);
        Only(diagnosis, ProblemCodes.ModeNotConfigured, 1068);
    }

    [Fact]
    public void A_server_that_refuses_our_key_asks_for_credentials()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null, LicenseServerObservation.Refused("ls1.contoso.com", "401 unauthorized"));

        Only(diagnosis, ProblemCodes.ServerCredentialsRequired, null);
    }

    [Fact]
    public void Available_licenses_add_up_over_usable_servers_of_the_hosts_type_and_version()
    {
        Diagnosis diagnosis = Run(Host(PerDeviceHost), null,
            Server(packs: [Pack(total: 10, issued: 3), Pack(version: "2025", total: 5, issued: 0), Pack(version: "2016", total: 100, issued: 0), Pack(CalType.PerUser, total: 100, issued: 0)]),
            Server(name: "ls2", packs: Pack(total: 4, issued: 0)),
            Server(name: "ls3", activation: ActivationState.NotActivated, packs: Pack(total: 1000, issued: 0)));

        Assert.Equal(7 + 5 + 4, diagnosis.LicensesAvailable);
        Assert.Equal([ProblemCodes.ServerNotActivated], diagnosis.Problems.Select(p => p.Code));
    }

    [Fact]
    public void Every_code_is_documented()
    {
        string docs = File.ReadAllText(FindRepoFile("docs/diagnoser.md"));
        string[] codes = typeof(ProblemCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        Assert.Equal(15, codes.Length);
        Assert.All(codes, code => Assert.Contains($"`{code}`", docs, StringComparison.Ordinal));
    }

    private static string FindRepoFile(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
