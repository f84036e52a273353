using RdLicensing.Protocol.Connection;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// Milestone 1: unmodified rdesktop 1.9 and xfreerdp 2.11 get through the [MS-RDPBCGR] connection sequence of our
/// listener (TLS and Standard RDP Security), and answer our SERVER_LICENSE_REQUEST with their first licensing PDU
/// (rdpele.md section 5).
/// </summary>
public sealed class ReachLicensingTests
{
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false, ConnectionSecurity.Tls)]
    [InlineData(true, ConnectionSecurity.StandardRdpSecurity)]
    public async Task Rdesktop_reaches_licensing(bool preferStandardRdpSecurity, ConnectionSecurity expected)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using SessionHostHarness host = SessionHostHarness.Start(new RecordingLicensing(_ => LicenseDecision.ValidClient), preferStandardRdpSecurity);

        ClientProcess.Result run = await ClientProcess.RunAsync(
            "rdesktop",
            ["-u", "alice", "-n", "testclient", $"127.0.0.1:{host.Port}"],
            host.NewHome("rdesktop"),
            display,
            "yes\n",
            ClientLimit,
            ct);

        AssertReachedLicensing(host, run, "alice", "testclient", expected);
    }

    [Theory]
    [InlineData("tls", ConnectionSecurity.Tls)]
    [InlineData("rdp", ConnectionSecurity.StandardRdpSecurity)]
    public async Task Xfreerdp_reaches_licensing(string security, ConnectionSecurity expected)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using SessionHostHarness host = SessionHostHarness.Start(new RecordingLicensing(_ => LicenseDecision.ValidClient), false);

        ClientProcess.Result run = await ClientProcess.RunAsync(
            "xfreerdp",
            [$"/v:127.0.0.1:{host.Port}", "/u:alice", "/p:x", "/cert:ignore", $"/sec:{security}", "/client-hostname:fclient", "-auto-reconnect"],
            host.NewHome("xfreerdp"),
            display,
            null,
            ClientLimit,
            ct);

        AssertReachedLicensing(host, run, "alice", "fclient", expected);
    }

    private static void AssertReachedLicensing(SessionHostHarness host, ClientProcess.Result run, string user, string clientName, ConnectionSecurity security)
    {
        string context = $"events:{Environment.NewLine}{host.Describe()}{Environment.NewLine}client exit {run.ExitCode}:{Environment.NewLine}{run.Output}";
        SessionHostEvent reached = Assert.Single(host.Events, e => e.Kind == SessionHostEventKind.ReachedLicensing);
        Assert.True(reached.Client is not null, context);
        Assert.Equal(user, reached.Client!.UserName);
        Assert.Equal(clientName, reached.Client.ClientName);
        Assert.Equal(security, reached.Client.Security);
        SessionHostEvent received = Assert.Single(host.Events, e => e.Kind == SessionHostEventKind.LicensingPduReceived);
        Assert.True(received.Detail == "NewLicenseRequest", context);
    }
}
