using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RdLicensing.Domain;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.SessionHost;
using RdLicensing.Server.SessionHost.Licensing;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>
/// A host-only session host in this process, composed exactly as <c>rdlic serve --rdp 127.0.0.1:0 --no-license-server
/// --license-server A,B --host-key KEY --validate-on-exchange</c> composes it (<see cref="SessionHostComposition.BuildHostOnly"/>):
/// the RDP listener on a free 127.0.0.1 port, asking the remote license servers in order over REST with failover, its
/// events in <c>DATA/session-host-events.jsonl</c>. In process so a test can read its failover state and wait for the
/// validations it starts; disposing stops it and deletes its data directory.
/// </summary>
internal sealed class HostOnlySessionHost : IAsyncDisposable
{
    private readonly IHost _host;

    private HostOnlySessionHost(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public SessionHostLicensing Licensing => _host.Services.GetRequiredService<SessionHostLicensing>();

    /// <summary>The RDP listener's end point.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, _host.Services.GetRequiredService<SessionHostService>().Listener.LocalEndPoint!.Port);

    /// <summary>The host's events so far (Windows ids), oldest first.</summary>
    public IReadOnlyList<(int EventId, string Message)> Events => FileHostEventLog.Read(Path.Combine(DataDirectory, FileHostEventLog.FileName));

    /// <summary>
    /// A per-device host (mode set in its registry, product version 2022) asking <paramref name="licenseServers"/> in
    /// order, each bounded by <paramref name="perServerTimeout"/>.
    /// </summary>
    public static async Task<HostOnlySessionHost> StartAsync(
        IReadOnlyList<string> licenseServers, string hostKey, string hostName, TimeSpan perServerTimeout, CancellationToken cancellationToken)
    {
        string data = Directory.CreateTempSubdirectory("rdlic-hostonly-").FullName;
        new HostRegistryStore(data, TimeProvider.System).Apply(HostChange.SetMode(LicensingMode.PerDevice));
        IHost host = SessionHostComposition.BuildHostOnly(
            "127.0.0.1:0",
            data,
            new SessionHostLicensingOptions
            {
                HostName = hostName,
                HostVersion = ProductVersions.V2022,
                DefaultLicenseServers = licenseServers,
                HostKey = hostKey,
                ValidateOnExchange = true,
                PerServerTimeout = perServerTimeout,
            },
            TimeProvider.System);
        var started = new HostOnlySessionHost(host, data);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await host.StartAsync(timeout.Token);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }

            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
