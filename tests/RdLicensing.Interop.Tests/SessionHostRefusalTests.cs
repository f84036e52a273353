using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.SessionHost;
using RdLicensing.Server.SessionHost.Licensing;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// Issue 3 refusals with real clients, each with its licensing error and Windows event: a CAL presented by a client
/// whose HWID does not match it (1003), a CAL signed by a deployment this host does not trust (1003), and a host past
/// its grace period with no reachable license server (ERR_NO_LICENSE_SERVER, 1128; within the grace period the client
/// is admitted, 1131). Issue 7 item 3: a host-only session host fails over to the next license server and returns to
/// the first once it is back.
/// </summary>
public sealed class SessionHostRefusalTests
{
    /// <summary>LICENSE_ERROR_MESSAGE: preamble ERROR_ALERT v3, size 16, the error code, ST_TOTAL_ABORT, an empty error blob.</summary>
    private static byte[] ErrorAlert(byte code) => [0xff, 0x03, 0x10, 0x00, code, 0, 0, 0, 0x01, 0, 0, 0, 0x04, 0, 0, 0];

    [Fact]
    public async Task A_cal_copied_to_another_client_is_refused_as_invalid()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using LicensedHost host = await LicensedHost.StartAsync(activated: true, cancellationToken: ct);
        string home = host.NewHome("fclient");
        ClientProcess.Result first = await CalClients.RunAsync("xfreerdp", false, host.Port, home, display, ct);
        Assert.True(LicenseServerLifecycleTests.Outcome(host, 1) == nameof(LicensingExchangeOutcome.NewLicenseIssued), LicenseServerLifecycleTests.Context(host, first));

        // The same CAL file, under the name FreeRDP uses for another client hostname (another HWID).
        string other = host.NewHome("fclient2");
        string copy = CalClients.FreerdpCalPath(other, "fclient2");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(CalClients.FreerdpCalPath(home, "fclient"), copy);
        ClientProcess.Result run = await CalClients.RunAsync("xfreerdp", false, host.Port, other, display, ct, clientName: "fclient2");
        string context = LicenseServerLifecycleTests.Context(host, run);
        long connection = LicenseServerLifecycleTests.LastDecisionConnection(host);
        Assert.True(LicenseServerLifecycleTests.Outcome(host, connection) == nameof(LicensingExchangeOutcome.Refused), context);
        Assert.Equal(ErrorAlert(0x08), host.Events.Last(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingPduSent).Payload);
        var events = await host.HostEventsAsync(ct);
        Assert.Contains(events, e => e.Event.EventId == WindowsEventIds.InvalidClientLicense && e.Event.Message.Contains("another hardware id", StringComparison.Ordinal));
        Assert.Single(await LicenseServerLifecycleTests.ListAsync(host, ct));
    }

    [Fact]
    public async Task A_cal_signed_by_another_deployment_is_refused_as_invalid()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using LicensedHost host = await LicensedHost.StartAsync(activated: true, cancellationToken: ct);
        await using LicensedHost elsewhere = await LicensedHost.StartAsync(activated: true, cancellationToken: ct);

        // A genuine CAL for this very client (its HWID), from a deployment the host does not know.
        byte[] hwid = CalClients.HardwareId("xfreerdp", "fclient3");
        var request = CalRequest.Parse("fclient3", Convert.ToHexString(hwid), "alice", "2022", "per-device", null, "other-host");
        byte[] foreign = (await elsewhere.LicenseServer.RequestAsync(request, "other-host", ct)).Cal!;
        string home = host.NewHome("fclient3");
        string path = CalClients.FreerdpCalPath(home, "fclient3");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, foreign, ct);

        ClientProcess.Result run = await CalClients.RunAsync("xfreerdp", false, host.Port, home, display, ct, clientName: "fclient3");
        string context = LicenseServerLifecycleTests.Context(host, run);
        long connection = LicenseServerLifecycleTests.LastDecisionConnection(host);
        Assert.True(connection > 0, context);
        Assert.Equal(["LicenseInfo"], LicenseServerLifecycleTests.Received(host, connection));
        Assert.True(LicenseServerLifecycleTests.Outcome(host, connection) == nameof(LicensingExchangeOutcome.Refused), context);
        Assert.Equal(ErrorAlert(0x08), host.Events.Last(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingPduSent).Payload);
        Assert.Contains(await host.HostEventsAsync(ct), e => e.Event.EventId == WindowsEventIds.InvalidClientLicense && e.Event.Message.Contains("is not trusted", StringComparison.Ordinal));
        Assert.Empty(await LicenseServerLifecycleTests.ListAsync(host, ct));
        Assert.Equal(foreign, await File.ReadAllBytesAsync(path, ct));
    }

    [Fact]
    public async Task Without_a_reachable_license_server_clients_are_admitted_in_grace_and_refused_after_it()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        string root = Directory.CreateTempSubdirectory("rdlic-grace-").FullName;
        try
        {
            string deadServer = $"http://127.0.0.1:{ClosedPort()}";

            // In grace (started at this first connection): admitted with STATUS_VALID_CLIENT, nothing stored, 1131.
            await using (HostOnly inGrace = await HostOnly.StartAsync(Path.Combine(root, "in-grace"), [deadServer], TimeProvider.System, ct))
            {
                string home = Directory.CreateDirectory(Path.Combine(root, "home1")).FullName;
                ClientProcess.Result run = await CalClients.RunAsync("rdesktop", false, inGrace.Port, home, display, ct);
                Assert.True(inGrace.Outcome() == nameof(LicensingExchangeOutcome.ValidClient), inGrace.Context(run));
                Assert.Empty(CalClients.CalFiles("rdesktop", home));
                Assert.Contains(inGrace.EventIds(), id => id == WindowsEventIds.LicenseServerUnreachable);
                Assert.DoesNotContain(inGrace.EventIds(), id => id == WindowsEventIds.GraceExpired);
                Assert.Equal(GracePeriod.Days, inGrace.Registry.ReadConfiguration().Grace(DateTimeOffset.UtcNow).DaysLeft);
            }

            // Past grace (its registry stamp ended 80 days ago): refused with ERR_NO_LICENSE_SERVER and event 1128.
            string pastData = Path.Combine(root, "past-grace");
            new HostRegistryStore(pastData, TimeProvider.System).Apply(HostChange.StartGrace(DateTimeOffset.UtcNow.AddDays(-200)));
            await using (HostOnly pastGrace = await HostOnly.StartAsync(pastData, [deadServer], TimeProvider.System, ct))
            {
                string home = Directory.CreateDirectory(Path.Combine(root, "home2")).FullName;
                ClientProcess.Result run = await CalClients.RunAsync("rdesktop", false, pastGrace.Port, home, display, ct);
                Assert.True(pastGrace.Outcome() == nameof(LicensingExchangeOutcome.Refused), pastGrace.Context(run));
                Assert.Equal(ErrorAlert(0x06), pastGrace.Events.Last(e => e.Kind == SessionHostEventKind.LicensingPduSent).Payload);
                Assert.Empty(CalClients.CalFiles("rdesktop", home));
                Assert.Contains(pastGrace.EventIds(), id => id == WindowsEventIds.GraceExpired);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_host_only_session_host_fails_over_and_returns_to_the_first_license_server()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        string root = Directory.CreateTempSubdirectory("rdlic-failover-").FullName;
        try
        {
            // Two license servers that both know this host's key: the first is set up, stopped (down), and its data
            // copied to start the second (as a restored node of the same deployment).
            int firstPort = ClosedPort();
            string firstUrl = $"http://127.0.0.1:{firstPort}";
            string firstRoot = Path.Combine(root, "first");
            string secondRoot = Path.Combine(root, "second");
            string key;
            await using (LicensedHost setup = await LicensedHost.StartAsync(activated: true, urls: firstUrl, root: firstRoot, cancellationToken: ct))
            {
                using LicensingClient admin = setup.Admin();
                key = (await admin.AddHostAsync("rdsh-b", ct)).Key;
            }

            CopyDirectory(Path.Combine(firstRoot, "data"), Path.Combine(secondRoot, "data"));
            await using LicensedHost second = await LicensedHost.StartAsync(activated: false, root: secondRoot, cancellationToken: ct);
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            await using HostOnly host = await HostOnly.StartAsync(Path.Combine(root, "host"), [firstUrl, second.BaseAddress.ToString()], time, ct, key);

            // The first license server is down: the second issues the CAL; event 1131 names the first.
            ClientProcess.Result run = await CalClients.RunAsync("xfreerdp", false, host.Port, Directory.CreateDirectory(Path.Combine(root, "home1")).FullName, display, ct, clientName: "fclient");
            Assert.True(host.Outcome() == nameof(LicensingExchangeOutcome.NewLicenseIssued), host.Context(run));
            LicenseDto issued = Assert.Single(await LicenseServerLifecycleTests.ListAsync(second, ct));
            Assert.Equal("rdsh-b", issued.IssuedToHost);
            Assert.Equal("fclient", issued.Machine);
            Assert.Contains(FileHostEventLog.Read(Path.Combine(host.DataDirectory, FileHostEventLog.FileName)),
                e => e.EventId == WindowsEventIds.LicenseServerUnreachable && e.Message.Contains(firstUrl, StringComparison.Ordinal));
            Assert.True(host.Licensing.Pool.IsBackingOff(firstUrl));

            // The first is back on its address; once the back-off has passed the host asks it first again.
            await using LicensedHost first = await LicensedHost.StartAsync(activated: false, urls: firstUrl, root: firstRoot, cancellationToken: ct);
            time.Advance(TimeSpan.FromMinutes(1));
            run = await CalClients.RunAsync("xfreerdp", false, host.Port, Directory.CreateDirectory(Path.Combine(root, "home2")).FullName, display, ct, clientName: "fclient2");
            Assert.True(host.Outcome() == nameof(LicensingExchangeOutcome.NewLicenseIssued), host.Context(run));
            Assert.Equal("fclient2", Assert.Single(await LicenseServerLifecycleTests.ListAsync(first, ct)).Machine);
            Assert.Equal("fclient", Assert.Single(await LicenseServerLifecycleTests.ListAsync(second, ct)).Machine);
            Assert.False(host.Licensing.Pool.IsBackingOff(firstUrl));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>A 127.0.0.1 port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A host-only session host (<c>rdlic serve --rdp … --no-license-server --license-server …</c>).</summary>
    private sealed class HostOnly : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly List<SessionHostEvent> _events = [];
        private readonly Lock _lock = new();

        private HostOnly(IHost host, string dataDirectory)
        {
            _host = host;
            DataDirectory = dataDirectory;
            Service.Listener.Events += e =>
            {
                lock (_lock)
                {
                    _events.Add(e);
                }
            };
        }

        public string DataDirectory { get; }

        public SessionHostService Service => _host.Services.GetRequiredService<SessionHostService>();

        public SessionHostLicensing Licensing => _host.Services.GetRequiredService<SessionHostLicensing>();

        public HostRegistryStore Registry => _host.Services.GetRequiredService<HostRegistryStore>();

        public int Port => Service.Listener.LocalEndPoint!.Port;

        public IReadOnlyList<SessionHostEvent> Events
        {
            get
            {
                lock (_lock)
                {
                    return [.. _events];
                }
            }
        }

        public static async Task<HostOnly> StartAsync(string dataDirectory, string[] servers, TimeProvider time, CancellationToken ct, string hostKey = "no-key")
        {
            var store = new HostRegistryStore(dataDirectory, TimeProvider.System);
            store.Apply(HostChange.SetMode(LicensingMode.PerDevice));
            IHost host = SessionHostComposition.BuildHostOnly(
                "127.0.0.1:0",
                dataDirectory,
                new SessionHostLicensingOptions
                {
                    HostName = "rdsh-b",
                    HostVersion = ProductVersions.V2022,
                    DefaultLicenseServers = servers,
                    HostKey = hostKey,
                    PerServerTimeout = TimeSpan.FromSeconds(5),
                },
                time);
            await host.StartAsync(ct);
            return new HostOnly(host, dataDirectory);
        }

        public string? Outcome()
        {
            long connection = Events.LastOrDefault(e => e.Kind == SessionHostEventKind.Decision)?.ConnectionId ?? -1;
            return Events.LastOrDefault(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingFinished)?.Detail;
        }

        public int[] EventIds() => [.. FileHostEventLog.Read(Path.Combine(DataDirectory, FileHostEventLog.FileName)).Select(e => e.EventId)];

        public string Context(ClientProcess.Result run) =>
            $"events:{Environment.NewLine}{string.Join(Environment.NewLine, Events.Select(e => $"#{e.ConnectionId} {e.Kind}: {e.Detail}"))}{Environment.NewLine}"
            + $"host events: {string.Join(", ", FileHostEventLog.Read(Path.Combine(DataDirectory, FileHostEventLog.FileName)).Select(e => $"{e.EventId} {e.Message}"))}{Environment.NewLine}"
            + $"client exit {run.ExitCode}:{Environment.NewLine}{run.Output}";

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
            _host.Dispose();
        }
    }
}
