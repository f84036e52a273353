using RdLicensing.Domain;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Certificates;
using RdLicensing.Storage;

namespace RdLicensing.Server;

/// <summary>
/// First-start work, done before Kestrel accepts a request (IHostedLifecycleService.StartingAsync): migrate the store,
/// create the license server (id from injected randomness), the deployment CA and temporary issuer, the admin key and
/// &lt;data&gt;/admin.token. Every step is idempotent, so a restart or a second node on the same database is harmless.
/// </summary>
internal sealed partial class ServerStartup : IHostedLifecycleService
{
    private readonly ILicenseStore _store;
    private readonly LicensingEngine _engine;
    private readonly DeploymentCertificates _certificates;
    private readonly ApiKeys _keys;
    private readonly LicenseServerOptions _options;
    private readonly ILogger<ServerStartup> _logger;

    public ServerStartup(ILicenseStore store, LicensingEngine engine, DeploymentCertificates certificates, ApiKeys keys, LicenseServerOptions options, ILogger<ServerStartup> logger)
    {
        _store = store;
        _engine = engine;
        _certificates = certificates;
        _keys = keys;
        _options = options;
        _logger = logger;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        LicenseServer server = await _store.WriteAsync(
            s => _engine.EnsureServer(s, Environment.MachineName, ProductVersions.Latest),
            cancellationToken).ConfigureAwait(false);
        await _certificates.InitializeAsync(server, cancellationToken).ConfigureAwait(false);
        if (await _keys.EnsureAdminKeyAsync(_options.DataDirectory, cancellationToken).ConfigureAwait(false))
        {
            LogAdminKeyCreated(_logger, AdminToken.PathIn(_options.DataDirectory));
        }

        await SweepAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, server.ServerId.Display, WireNames.Of(server.ActivationState), _store.Kind);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task<int> SweepAsync(CancellationToken cancellationToken) =>
        _store.WriteAsync(s => _engine.SweepExpired(s), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "created the admin api key; it is in {TokenPath} (mode 0600)")]
    private static partial void LogAdminKeyCreated(ILogger logger, string tokenPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "license server {ServerId} ({ActivationState}) on the {Store} store")]
    private static partial void LogStarted(ILogger logger, string serverId, string activationState, string store);
}

/// <summary>Returns expired CALs to their pools on a timer (they are also swept on every access).</summary>
internal sealed partial class ExpirySweeper : BackgroundService
{
    private readonly Licensing.LicensingService _licensing;
    private readonly LicenseServerOptions _options;
    private readonly ILogger<ExpirySweeper> _logger;

    public ExpirySweeper(Licensing.LicensingService licensing, LicenseServerOptions options, ILogger<ExpirySweeper> logger)
    {
        _licensing = licensing;
        _options = options;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    int swept = await _licensing.SweepIfDueAsync(stoppingToken).ConfigureAwait(false);
                    if (swept > 0)
                    {
                        LogSwept(_logger, swept);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} expired cals returned to their pools")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "the expiry sweep failed; it runs again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
