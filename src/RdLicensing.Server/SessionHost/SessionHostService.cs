using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// Runs a <see cref="SessionHostListener"/> for the lifetime of a .NET host (for <c>rdlic serve --rdp</c>):
/// register with <c>services.AddSingleton(options)</c>, an <see cref="ISessionHostLicensing"/> and
/// <c>services.AddHostedService&lt;SessionHostService&gt;()</c>.
/// </summary>
public sealed class SessionHostService : IHostedService, IAsyncDisposable
{
    private readonly SessionHostListener _listener;

    public SessionHostService(
        SessionHostOptions options,
        ISessionHostLicensing licensing,
        ILogger<SessionHostListener> logger,
        TimeProvider? timeProvider = null)
    {
        _listener = new SessionHostListener(options, licensing, logger, timeProvider);
    }

    /// <summary>The running listener (events, bound end point).</summary>
    public SessionHostListener Listener => _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _listener.DisposeAsync().ConfigureAwait(false);

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
