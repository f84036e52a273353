using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using LicenseDecision = RdLicensing.Protocol.Licensing.LicenseDecision;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.SessionHost;
using RdLicensing.Server.SessionHost.Licensing;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Server.Tests;

/// <summary>
/// The session host's decisions against a real license server over REST (the host-only deployment), without RDP
/// clients: the licensing mode from the host registry (policy wins), failover with back-off, event 1068 once.
/// </summary>
public sealed class SessionHostLicensingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rdlic-shl-").FullName;

    [Fact]
    public async Task Policy_per_user_mode_wins_and_records_a_per_user_cal()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 3, type: "per-user");
        var registry = new HostRegistryStore(_data, TimeProvider.System);
        registry.Apply(HostChange.SetMode(LicensingMode.PerDevice));
        string policy = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]\r\n\"LicensingMode\"=dword:00000004\r\n";
        registry.Import(RegFile.Parse([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(policy)]));
        await using SessionHostLicensing licensing = Host(registry, [server.BaseAddress.ToString()], await server.CreateKeyAsync("rdsh", "host"), TimeProvider.System);

        LicenseDecision decision = await licensing.DecideAsync(NewClient(1), ct);

        Assert.Equal(LicenseDecisionKind.IssueNewLicense, decision.Kind);
        using var client = new LicensingClient(server.BaseAddress, server.AdminKey);
        LicenseDto license = Assert.Single(await client.ListAllLicensesAsync(cancellationToken: ct));
        Assert.Equal("per-user", license.Type);
        Assert.Equal("alice", license.User);
        Assert.Equal("rdsh", license.IssuedToHost);
        Assert.Equal(license.LicenseId, Crypto.Cal.ClientLicenseReader.Read(decision.License).LicenseId);
    }

    [Fact]
    public async Task A_down_server_is_skipped_for_its_back_off_and_probed_again_after_it()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 3);
        string dead = $"http://127.0.0.1:{ClosedPort()}";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var registry = new HostRegistryStore(_data, time);
        registry.Apply(HostChange.SetLicenseServers([dead, server.BaseAddress.ToString().TrimEnd('/')]));
        await using SessionHostLicensing licensing = Host(registry, [], await server.CreateKeyAsync("rdsh", "host"), time);

        Assert.Equal(LicenseDecisionKind.IssueNewLicense, (await licensing.DecideAsync(NewClient(1), ct)).Kind);
        Assert.True(licensing.Pool.IsBackingOff(dead));
        Assert.False(licensing.Pool.IsBackingOff(server.BaseAddress.ToString().TrimEnd('/')));
        time.Advance(TimeSpan.FromSeconds(16));
        Assert.False(licensing.Pool.IsBackingOff(dead));

        // Probed again and still down: the back-off doubles.
        Assert.Equal(LicenseDecisionKind.IssueNewLicense, (await licensing.DecideAsync(NewClient(2), ct)).Kind);
        time.Advance(TimeSpan.FromSeconds(16));
        Assert.True(licensing.Pool.IsBackingOff(dead));
        int[] events = [.. FileHostEventLog.Read(Path.Combine(_data, FileHostEventLog.FileName)).Select(e => e.EventId)];
        Assert.Equal(2, events.Count(id => id == WindowsEventIds.LicenseServerUnreachable));
        Assert.Equal(1, events.Count(id => id == WindowsEventIds.ModeNotConfigured));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private SessionHostLicensing Host(HostRegistryStore registry, string[] servers, string key, TimeProvider time) => new(
        new SessionHostLicensingOptions { HostName = "rdsh", HostVersion = ProductVersions.V2022, DefaultLicenseServers = servers, HostKey = key },
        registry,
        inProcess: null,
        address => new RemoteLicenseServer(address, key),
        new FileHostEventLog(_data),
        time);

    private static SessionLicenseRequest NewClient(int device) => new(
        LicenseDecisionRequestKind.NewLicense,
        HardwareId.Parse(Api.Hwid(device)),
        0x04010000,
        $"PC{device}",
        "alice",
        null,
        new ClientConnectionInfo($"PC{device}", "alice", "", ConnectionSecurity.Tls, SecurityProtocols.Ssl, null));

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
