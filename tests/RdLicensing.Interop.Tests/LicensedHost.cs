using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Registry.Host;
using RdLicensing.Server;
using RdLicensing.Server.Certificates;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.Licensing;
using RdLicensing.Server.SessionHost;
using RdLicensing.Server.SessionHost.Licensing;
using RdLicensing.Storage;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// A real deployment in this process, as <c>rdlic serve --rdp 127.0.0.1:0</c> composes it: the license server
/// (REST API on 127.0.0.1, SQLite store in a scratch directory) and its session-host listener, optionally activated
/// with a per-device 2022 key pack installed through the API.
/// </summary>
internal sealed class LicensedHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SessionHostEvent> _events = new();
    private readonly bool _ownsRoot;

    private LicensedHost(WebApplication app, string root, bool ownsRoot)
    {
        _app = app;
        _ownsRoot = ownsRoot;
        Root = root;
        BaseAddress = new Uri(app.Urls.Single());
        AdminKey = File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();
        Service.Listener.Events += _events.Enqueue;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    public SessionHostService Service => _app.Services.GetRequiredService<SessionHostService>();

    public SessionHostLicensing Licensing => _app.Services.GetRequiredService<SessionHostLicensing>();

    public LicensingService LicenseServer => _app.Services.GetRequiredService<LicensingService>();

    public HostRegistryStore Registry => _app.Services.GetRequiredService<HostRegistryStore>();

    public int Port => Service.Listener.LocalEndPoint!.Port;

    public IReadOnlyList<SessionHostEvent> Events => [.. _events];

    /// <summary>Starts the deployment; <paramref name="activated"/> activates it and installs 5 per-device 2022 CALs.</summary>
    /// <param name="activated">Activate the server and install the key pack (for a fresh data directory).</param>
    /// <param name="validateOnExchange">The session host's --validate-on-exchange.</param>
    /// <param name="urls">Where the REST API listens (default: a free port).</param>
    /// <param name="root">An existing root whose data/ to use (not deleted at dispose); default a new scratch directory.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LicensedHost> StartAsync(
        bool activated, bool validateOnExchange = false, string? urls = null, string? root = null, CancellationToken cancellationToken = default)
    {
        bool owns = root is null;
        root ??= Directory.CreateTempSubdirectory("rdlic-licensed-").FullName;

        // The admin configured the host's licensing mode, as `rdlic host config set --mode per-device` does.
        new HostRegistryStore(Path.Combine(root, "data"), TimeProvider.System).Apply(HostChange.SetMode(LicensingMode.PerDevice));
        WebApplication app = LicenseServerHost.Build(new LicenseServerOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            Urls = urls ?? "http://127.0.0.1:0",
            Rdp = "127.0.0.1:0",
            SessionHost = new SessionHostLicensingOptions
            {
                HostName = "rdsh-test",
                HostVersion = ProductVersions.V2022,
                ValidateOnExchange = validateOnExchange,
            },
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var host = new LicensedHost(app, root, owns);
        if (activated)
        {
            using LicensingClient admin = host.Admin();
            await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), timeout.Token);
            await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 5), timeout.Token);
        }

        return host;
    }

    public LicensingClient Admin() => new(BaseAddress, AdminKey);

    /// <summary>A fresh HOME for one client.</summary>
    public string NewHome(string name)
    {
        string home = Path.Combine(Root, "homes", name);
        Directory.CreateDirectory(home);
        return home;
    }

    /// <summary>
    /// The CAL the license server would send for its record <paramref name="licenseId"/> now: CALs are reproducible
    /// (the serial number derives from the license id, RSA PKCS#1 v1.5 signatures are deterministic), so signing the
    /// stored record again with the server's signing certificate gives the bytes the host sent.
    /// </summary>
    public async Task<byte[]> ReDeriveCalAsync(string licenseId, CancellationToken cancellationToken)
    {
        var signer = _app.Services.GetRequiredService<ICalSigner>();
        var certificates = _app.Services.GetRequiredService<DeploymentCertificates>();
        return await LicenseServer.Store.ReadAsync(
            session =>
            {
                IssuedLicense license = session.FindLicense(licenseId) ?? throw new InvalidOperationException($"no license {licenseId}");
                LicenseServer server = LicensingEngine.GetServer(session);
                return signer.Sign(license, server, certificates.SigningCertificate(server, session));
            },
            cancellationToken);
    }

    /// <summary>Session-host events (RemoteConnectionManager source) in the license server's event store.</summary>
    public async Task<IReadOnlyList<StoredEvent>> HostEventsAsync(CancellationToken cancellationToken) =>
        (await LicenseServer.EventsAsync(0, 1000, cancellationToken)).Where(e => e.Event.Source == WindowsEventIds.RcmSource).ToList();

    /// <summary>Runs the real <c>rdlic</c> CLI (rdlic.dll next to this assembly) against this server with the admin key.</summary>
    public async Task<(int ExitCode, string Output)> RdlicAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rdlic.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--server");
        start.ArgumentList.Add(BaseAddress.ToString());
        start.ArgumentList.Add("--token");
        start.ArgumentList.Add(AdminKey);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("RDLIC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("rdlic did not start");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public string Describe() => string.Join(Environment.NewLine, Events.Select(e => $"#{e.ConnectionId} {e.Kind}: {e.Detail}"));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A client may still hold a file; the temp directory is cleaned by the system.
            }
        }
    }

    private static string DotnetHost()
    {
        string executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        DirectoryInfo? root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar)).Parent?.Parent?.Parent;
        return root is not null && File.Exists(Path.Combine(root.FullName, executable)) ? Path.Combine(root.FullName, executable) : executable;
    }
}
