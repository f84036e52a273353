using System.Collections.Concurrent;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>A license server that could not be used during one call, with why and the event id that says so.</summary>
public sealed record LicenseServerFailure(string Server, string Reason, int EventId);

/// <summary>
/// Ordered license servers with failover (rds-facts.md section 4; issue 7): a call goes to the first server that is
/// not backing off, bounded by <see cref="PerServerTimeout"/>; a server that fails is skipped for a back-off that
/// doubles from <see cref="InitialBackOff"/> up to <see cref="MaxBackOff"/>, and is probed again once it has passed, so
/// the host returns to the first server when it is back. When every server is backing off, each is tried once anyway
/// (still in order), so a host never refuses clients only because of its own back-off. Thread-safe.
/// </summary>
public sealed class LicenseServerPool
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Health> _health = new(StringComparer.OrdinalIgnoreCase);

    public LicenseServerPool(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The longest one server may take to answer one call.</summary>
    public TimeSpan PerServerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed server is skipped at first.</summary>
    public TimeSpan InitialBackOff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest a failed server is skipped.</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True while <paramref name="server"/> is backing off after a failure.</summary>
    public bool IsBackingOff(string server) =>
        _health.TryGetValue(server, out Health? health) && health.RetryAt is { } at && at > _time.GetUtcNow();

    /// <summary>
    /// Runs <paramref name="call"/> on the servers in order until one answers. Returns the answer and the server that
    /// gave it, or null with every failure when none could be used.
    /// </summary>
    public async Task<(T? Result, ILicenseServerConnection? Server, IReadOnlyList<LicenseServerFailure> Failures)> CallAsync<T>(
        IReadOnlyList<ILicenseServerConnection> servers,
        Func<ILicenseServerConnection, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(call);
        var failures = new List<LicenseServerFailure>();
        List<ILicenseServerConnection> ready = servers.Where(s => !IsBackingOff(s.Name)).ToList();
        List<ILicenseServerConnection> order = ready.Count > 0 ? ready : [.. servers];
        foreach (ILicenseServerConnection server in order)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PerServerTimeout);
            try
            {
                T result = await call(server, timeout.Token).ConfigureAwait(false);
                _health.TryRemove(server.Name, out _);
                return (result, server, failures);
            }
            catch (LicenseServerUnavailableException e)
            {
                failures.Add(new LicenseServerFailure(server.Name, e.Reason, e.EventId));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add(new LicenseServerFailure(server.Name, $"no answer within {PerServerTimeout.TotalSeconds:0.#} seconds", Domain.WindowsEventIds.LicenseServerUnreachable));
            }

            MarkFailed(server.Name);
        }

        return (null, null, failures);
    }

    private void MarkFailed(string server)
    {
        DateTimeOffset now = _time.GetUtcNow();
        _health.AddOrUpdate(
            server,
            _ => new Health(InitialBackOff, now + InitialBackOff),
            (_, old) =>
            {
                TimeSpan next = old.BackOff * 2 < MaxBackOff ? old.BackOff * 2 : MaxBackOff;
                return new Health(next, now + next);
            });
    }

    private sealed record Health(TimeSpan BackOff, DateTimeOffset? RetryAt);
}
