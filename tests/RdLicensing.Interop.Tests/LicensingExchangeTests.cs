using System.Security.Cryptography;
using System.Text;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Server.SessionHost;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// Unmodified rdesktop 1.9 and xfreerdp 2.11, over TLS and Standard RDP Security, against the in-process listener
/// (rdpele.md section 5): the first connection runs NEW_LICENSE_REQUEST, PLATFORM_CHALLENGE, the response (MAC
/// verified), our decision and NEW_LICENSE, and the client stores the CAL byte for byte; the second connection
/// presents it in LICENSE_INFO with the same HWID and gets UPGRADE_LICENSE with a second CAL, which the client
/// stores in place of the first; the third presents that one and gets STATUS_VALID_CLIENT.
/// </summary>
public sealed class LicensingExchangeTests
{
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// rdesktop's store key: SHA1(client hostname NUL-padded to 16 bytes + its static salt), for "testclient"
    /// (rdpele.md section 5, computed from rdesktop.c save_licence).
    /// </summary>
    private const string RdesktopCalName = "196507780bf2e0cee8e0c3b77b59e18bb8122caf.cal";

    public static TheoryData<string, bool> Combinations => new()
    {
        { "rdesktop", false },
        { "rdesktop", true },
        { "xfreerdp", false },
        { "xfreerdp", true },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Client_obtains_stores_presents_and_upgrades_a_cal(string client, bool standardRdpSecurity)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] cal = Encoding.ASCII.GetBytes($"RdLicensing interop test CAL for {client} ({(standardRdpSecurity ? "rdp" : "tls")}) ")
            .Concat(RandomNumberGenerator.GetBytes(300)).ToArray();
        byte[] upgraded = Encoding.ASCII.GetBytes("upgraded ").Concat(RandomNumberGenerator.GetBytes(500)).ToArray();
        var licensing = new RecordingLicensing(request =>
            request.Kind == LicenseDecisionRequestKind.NewLicense ? LicenseDecision.IssueNewLicense(cal)
            : request.PresentedCal.AsSpan().SequenceEqual(cal) ? LicenseDecision.UpgradeLicense(upgraded)
            : LicenseDecision.ValidClient());
        ConnectionSecurity expectedSecurity = standardRdpSecurity ? ConnectionSecurity.StandardRdpSecurity : ConnectionSecurity.Tls;

        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using SessionHostHarness host = SessionHostHarness.Start(licensing, preferStandardRdpSecurity: client == "rdesktop" && standardRdpSecurity);
        string home = host.NewHome(client);

        // First connection: a new CAL.
        ClientProcess.Result first = await RunClientAsync(client, standardRdpSecurity, host, home, display, ct);
        string context = Context(host, first);
        (SessionLicenseRequest issueRequest, LicenseDecision issued) = Assert.Single(licensing.Log);
        Assert.Equal(LicenseDecisionRequestKind.NewLicense, issueRequest.Kind);
        Assert.Equal(LicenseDecisionKind.IssueNewLicense, issued.Kind);
        Assert.Equal("alice", issueRequest.ClientUser);
        Assert.Equal(ClientName(client), issueRequest.ClientMachine);
        Assert.Equal(expectedSecurity, issueRequest.Connection.Security);
        Assert.Equal("alice", issueRequest.Connection.UserName);
        Assert.Equal(ExpectedHardwareId(client), issueRequest.HardwareId.Bytes.ToArray());
        Assert.Null(issueRequest.PresentedCal);
        Assert.True(
            MessagesReceived(host, 1).SequenceEqual(["NewLicenseRequest", "PlatformChallengeResponse"]),
            context);
        Assert.True(Outcome(host, 1) == nameof(LicensingExchangeOutcome.NewLicenseIssued), context);
        string calFile = Assert.Single(CalFiles(client, home));
        Assert.Equal(cal, await File.ReadAllBytesAsync(calFile, ct));
        if (client == "rdesktop")
        {
            Assert.Equal(RdesktopCalName, Path.GetFileName(calFile));
        }
        else
        {
            string expected = Convert.ToHexString(SHA1.HashData(Encoding.ASCII.GetBytes("fclient")));
            Assert.Equal(expected + ".cal", Path.GetFileName(calFile), ignoreCase: true);
        }

        // Second connection: the stored CAL comes back in LICENSE_INFO with the same HWID and is upgraded.
        ClientProcess.Result second = await RunClientAsync(client, standardRdpSecurity, host, home, display, ct);
        context = Context(host, second);
        Assert.True(licensing.Log.Count == 2, context);
        (SessionLicenseRequest presentRequest, LicenseDecision upgrade) = licensing.Log[1];
        Assert.Equal(LicenseDecisionRequestKind.PresentedLicense, presentRequest.Kind);
        Assert.Equal(LicenseDecisionKind.UpgradeLicense, upgrade.Kind);
        Assert.Equal(cal, presentRequest.PresentedCal);
        Assert.Equal(issueRequest.HardwareId, presentRequest.HardwareId);
        Assert.Equal(ClientName(client), presentRequest.ClientMachine);
        Assert.Equal("alice", presentRequest.ClientUser);
        Assert.True(MessagesReceived(host, 2).SequenceEqual(["LicenseInfo"]), context);
        Assert.True(Outcome(host, 2) == nameof(LicensingExchangeOutcome.LicenseUpgraded), context);
        Assert.Equal(calFile, Assert.Single(CalFiles(client, home)));
        Assert.Equal(upgraded, await File.ReadAllBytesAsync(calFile, ct));

        // Third connection: the upgraded CAL is presented and the client is valid.
        ClientProcess.Result third = await RunClientAsync(client, standardRdpSecurity, host, home, display, ct);
        context = Context(host, third);
        Assert.True(licensing.Log.Count == 3, context);
        (SessionLicenseRequest thirdRequest, LicenseDecision valid) = licensing.Log[2];
        Assert.Equal(upgraded, thirdRequest.PresentedCal);
        Assert.Equal(issueRequest.HardwareId, thirdRequest.HardwareId);
        Assert.Equal(LicenseDecisionKind.ValidClient, valid.Kind);
        Assert.True(Outcome(host, 3) == nameof(LicensingExchangeOutcome.ValidClient), context);
    }

    [Theory]
    [InlineData("rdesktop")]
    [InlineData("xfreerdp")]
    public async Task A_refused_client_stores_nothing(string client)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var licensing = new RecordingLicensing(_ => LicenseDecision.Refuse(LicenseErrorCode.ErrNoLicenseServer, LicenseStateTransition.StTotalAbort));
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using SessionHostHarness host = SessionHostHarness.Start(licensing, preferStandardRdpSecurity: false);
        string home = host.NewHome(client);

        ClientProcess.Result run = await RunClientAsync(client, false, host, home, display, ct);
        string context = Context(host, run);
        // xfreerdp 2.11 connects once more after a licensing error even with -auto-reconnect; each attempt is refused.
        Assert.NotEmpty(licensing.Log);
        Assert.All(licensing.Log, entry =>
        {
            Assert.Equal(LicenseDecisionRequestKind.NewLicense, entry.Request.Kind);
            Assert.Equal(LicenseDecisionKind.Refuse, entry.Decision.Kind);
        });
        long[] connections = host.Events.Where(e => e.Kind == SessionHostEventKind.Decision).Select(e => e.ConnectionId).ToArray();
        Assert.All(connections, id => Assert.True(Outcome(host, id) == nameof(LicensingExchangeOutcome.Refused), context));
        SessionHostEvent sent = host.Events.Last(e => e.Kind == SessionHostEventKind.LicensingPduSent);
        Assert.Equal("ErrorAlert", sent.Detail);
        Assert.Equal([0xff, 0x03, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00], sent.Payload);
        Assert.Empty(CalFiles(client, home));
    }

    private static Task<ClientProcess.Result> RunClientAsync(
        string client, bool standardRdpSecurity, SessionHostHarness host, string home, XvfbDisplay display, CancellationToken ct) =>
        client == "rdesktop"
            ? ClientProcess.RunAsync(
                "rdesktop", ["-u", "alice", "-n", "testclient", $"127.0.0.1:{host.Port}"], home, display, "yes\n", ClientLimit, ct)
            : ClientProcess.RunAsync(
                "xfreerdp",
                [$"/v:127.0.0.1:{host.Port}", "/u:alice", "/p:x", "/cert:ignore", standardRdpSecurity ? "/sec:rdp" : "/sec:tls", "/client-hostname:fclient", "-auto-reconnect"],
                home,
                display,
                null,
                ClientLimit,
                ct);

    private static string ClientName(string client) => client == "rdesktop" ? "testclient" : "fclient";

    /// <summary>
    /// rdesktop: PlatformId 2 then the hostname NUL-padded to 16 bytes (licence.c licence_generate_hwid);
    /// FreeRDP: 0x04010000 then MD5 of the client hostname (license.c license_generate_hwid).
    /// </summary>
    private static byte[] ExpectedHardwareId(string client) => client == "rdesktop"
        ? [2, 0, 0, 0, .. Encoding.ASCII.GetBytes("testclient"), .. new byte[6]]
        : [0x00, 0x00, 0x01, 0x04, .. MD5.HashData(Encoding.ASCII.GetBytes("fclient"))];

    private static IEnumerable<string> CalFiles(string client, string home)
    {
        string directory = client == "rdesktop"
            ? Path.Combine(home, ".local", "share", "rdesktop", "licenses")
            : Path.Combine(home, ".config", "freerdp", "licenses");
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*.cal") : [];
    }

    private static IEnumerable<string> MessagesReceived(SessionHostHarness host, long connection) =>
        host.Events.Where(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingPduReceived).Select(e => e.Detail);

    private static string? Outcome(SessionHostHarness host, long connection) =>
        host.Events.LastOrDefault(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingFinished)?.Detail;

    private static string Context(SessionHostHarness host, ClientProcess.Result run) =>
        $"events:{Environment.NewLine}{host.Describe()}{Environment.NewLine}client exit {run.ExitCode}:{Environment.NewLine}{run.Output}";
}
