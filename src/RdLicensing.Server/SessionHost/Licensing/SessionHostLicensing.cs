using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RdLicensing.Crypto.Cal;
using RdLicensing.Domain;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Wire.Licensing;
using ProtocolDecision = RdLicensing.Protocol.Licensing.LicenseDecision;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>
/// The session host's licensing decisions (DESIGN.md section 2; docs/session-host.md), wired to its license servers:
/// <list type="bullet">
/// <item>no CAL: ask the license servers (in order, with failover) → NEW_LICENSE with the CAL they issue;</item>
/// <item>a presented CAL: verify it locally (signed by a license server this host trusts, bound to this HWID, a version
/// this host accepts, not expired), then ask the server: upgraded or renewed → UPGRADE_LICENSE, valid →
/// STATUS_VALID_CLIENT; a CAL that fails verification → ERR_INVALID_CLIENT (event 1003);</item>
/// <item>the server refuses → ERR_NO_LICENSE (event 1004, 1011 when the temporary CAL expired, 1132 for an older server);</item>
/// <item>no license server reachable: a client with a verified CAL is admitted; otherwise within the 120-day grace
/// period (started at the first client connection, kept in the host registry) the client is admitted with
/// STATUS_VALID_CLIENT (event 1131), after it refused with ERR_NO_LICENSE_SERVER (event 1128).</item>
/// </list>
/// The mode and the license servers come from the host registry (policy wins), else from the options.
/// </summary>
public sealed partial class SessionHostLicensing : ISessionHostLicensing, IAsyncDisposable
{
    private static readonly TimeSpan TrustRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly SessionHostLicensingOptions _options;
    private readonly HostRegistryStore _registry;
    private readonly ILicenseServerConnection? _inProcess;
    private readonly Func<Uri, ILicenseServerConnection> _remote;
    private readonly IHostEventLog _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LicenseServerPool _pool;
    private readonly Lock _registryLock = new();
    private readonly ConcurrentDictionary<string, ILicenseServerConnection> _remotes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (ILicenseServerConnection Server, IReadOnlyList<X509Certificate2> Certificates)> _trust = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<HardwareId, (ILicenseServerConnection Server, string LicenseId)> _lastTemporary = new();
    private readonly ConcurrentDictionary<ClientConnectionInfo, (ILicenseServerConnection Server, string LicenseId)> _validateWhenDone = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<Task, bool> _validations = new();
    private DateTimeOffset _trustFetchedAt = DateTimeOffset.MinValue;
    private int _modeWarningLogged;

    /// <param name="options">Host name, version, defaults, failover bounds.</param>
    /// <param name="registry">The host registry (licensing mode, license servers, grace period).</param>
    /// <param name="inProcess">The license server in the same process, tried first; null for a host-only deployment.</param>
    /// <param name="remote">Makes the connection to a remote license server (tests pass their own).</param>
    /// <param name="events">Where the host's events go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public SessionHostLicensing(
        SessionHostLicensingOptions options,
        HostRegistryStore registry,
        ILicenseServerConnection? inProcess,
        Func<Uri, ILicenseServerConnection> remote,
        IHostEventLog events,
        TimeProvider time,
        ILogger<SessionHostLicensing>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _registry = registry;
        _inProcess = inProcess;
        _remote = remote;
        _events = events;
        _time = time;
        _logger = logger ?? NullLogger<SessionHostLicensing>.Instance;
        _pool = new LicenseServerPool(time) { PerServerTimeout = options.PerServerTimeout, InitialBackOff = options.RetryBackOff };
    }

    /// <summary>The failover state (which servers are backing off).</summary>
    public LicenseServerPool Pool => _pool;

    public async Task<ProtocolDecision> DecideAsync(SessionLicenseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTimeOffset now = _time.GetUtcNow();
        string client = $"{request.ClientUser}@{request.ClientMachine} (hwid {request.HardwareId})";
        HostConfiguration? config = ReadConfiguration();
        if (config is null)
        {
            // A damaged registry must not grant an endless grace period: treat the grace period as over.
            await LogAsync(WindowsEventIds.CannotIssueClientLicense, EventLevel.Error, $"the host registry {_registry.FilePath} cannot be read; licensing without it", null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            config = StartGrace(config, now);
        }

        LicensingMode mode = config?.Mode is LicensingMode.PerDevice or LicensingMode.PerUser ? config.Mode : _options.DefaultMode;
        if (config?.Mode is not (LicensingMode.PerDevice or LicensingMode.PerUser) && Interlocked.Exchange(ref _modeWarningLogged, 1) == 0)
        {
            await LogAsync(WindowsEventIds.ModeNotConfigured, EventLevel.Warning, $"the remote desktop licensing mode is not configured; using {WireNames.Of(mode)}", null, cancellationToken).ConfigureAwait(false);
        }

        ProductVersion hostVersion = config?.HostVersion ?? _options.HostVersion;
        IReadOnlyList<ILicenseServerConnection> servers = Servers(config);

        // A presented CAL is verified here before any license server is asked.
        string? presentedId = null;
        bool presentedValid = false;
        if (request.Kind == LicenseDecisionRequestKind.PresentedLicense)
        {
            byte[] cal = request.PresentedCal ?? [];
            (ClientLicenseVerification verification, int trustedCount) = await VerifyAsync(cal, request.HardwareId, servers, now, cancellationToken).ConfigureAwait(false);
            switch (verification.Status)
            {
                case ClientLicenseStatus.UntrustedIssuer when trustedCount == 0:
                    // No license server could tell this host whom to trust: the CAL cannot be judged, so it is neither
                    // accepted nor called invalid; the servers are asked (and the grace period applies if none answers).
                    LogDecision(_logger, client, "no trusted certificates are known yet (no license server reachable); the presented cal cannot be verified");
                    break;
                case ClientLicenseStatus.Valid when ProductVersions.TryParse(verification.License!.LicensedProductVersion, out ProductVersion calVersion) && hostVersion.HostAccepts(calVersion):
                    presentedId = verification.License.LicenseId;
                    presentedValid = true;
                    break;
                case ClientLicenseStatus.Valid:
                    LogDecision(_logger, client, $"presented cal is version {verification.License!.LicensedProductVersion}, which a {hostVersion} host does not accept; asking for a new one");
                    break;
                case ClientLicenseStatus.Expired:
                    LogDecision(_logger, client, $"presented cal {verification.License!.LicenseId} has expired; asking for a new one");
                    break;
                default:
                    await LogAsync(WindowsEventIds.InvalidClientLicense, EventLevel.Error,
                        $"the client {client} provided an invalid license: {verification.Detail}", verification.License?.LicenseId, cancellationToken).ConfigureAwait(false);
                    return ProtocolDecision.Refuse(LicenseErrorCode.ErrInvalidClient, LicenseStateTransition.StTotalAbort);
            }
        }

        CalRequest calRequest;
        try
        {
            calRequest = CalRequest.Parse(request.ClientMachine, request.HardwareId.ToString(), request.ClientUser, hostVersion.Key, WireNames.Of(mode), presentedId, _options.HostName);
        }
        catch (LicensingException e)
        {
            await LogAsync(WindowsEventIds.CannotIssueClientLicense, EventLevel.Error, $"cannot ask for a license for {client}: {e.Message}", null, cancellationToken).ConfigureAwait(false);
            return ProtocolDecision.Refuse(LicenseErrorCode.ErrNoLicense, LicenseStateTransition.StTotalAbort);
        }

        (LicenseServerAnswer? answer, ILicenseServerConnection? server, IReadOnlyList<LicenseServerFailure> failures) =
            await CallServersAsync(servers, (s, ct) => s.RequestAsync(calRequest, ct), cancellationToken).ConfigureAwait(false);
        foreach (LicenseServerFailure failure in failures)
        {
            await LogAsync(failure.EventId, EventLevel.Warning, $"the session host could not contact license server {failure.Server}: {failure.Reason}", null, cancellationToken).ConfigureAwait(false);
        }

        if (answer is null || server is null)
        {
            return await NoLicenseServerAsync(client, presentedValid, servers.Count, config, now, failures.Count == 0 ? null : failures[^1], cancellationToken).ConfigureAwait(false);
        }

        return await MapAsync(request, client, answer, server, presentedValid, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An embedding RDP server reports that the user of the client with <paramref name="hardwareId"/> logged on: the
    /// temporary CAL this host last obtained for it is marked validated (Windows does this after a successful logon).
    /// Returns the license id validated, or null when this host obtained no temporary CAL for that client.
    /// </summary>
    public async Task<string?> ReportLogonSucceededAsync(HardwareId hardwareId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hardwareId);
        if (!_lastTemporary.TryRemove(hardwareId, out (ILicenseServerConnection Server, string LicenseId) entry))
        {
            return null;
        }

        await ValidateAsync(entry.Server, entry.LicenseId, cancellationToken).ConfigureAwait(false);
        return entry.LicenseId;
    }

    /// <summary>
    /// For <see cref="SessionHostLicensingOptions.ValidateOnExchange"/>: subscribe to <see cref="SessionHostListener.Events"/>.
    /// Once an exchange that issued a temporary CAL completed (NEW_LICENSE sent), the CAL is validated.
    /// </summary>
    public void OnListenerEvent(SessionHostEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind != SessionHostEventKind.LicensingFinished || e.Client is null || !_validateWhenDone.TryRemove(e.Client, out var entry))
        {
            return;
        }

        if (e.Detail != nameof(LicensingExchangeOutcome.NewLicenseIssued))
        {
            return;
        }

        Task task = ValidateAfterExchangeAsync(entry.Server, entry.LicenseId);
        _validations.TryAdd(task, true);
        _ = task.ContinueWith(t => _validations.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Waits for validations started by <see cref="OnListenerEvent"/> (tests; shutdown).</summary>
    public Task WhenValidationsDoneAsync() => Task.WhenAll(_validations.Keys);

    public async ValueTask DisposeAsync()
    {
        await WhenValidationsDoneAsync().ConfigureAwait(false);
        foreach (ILicenseServerConnection remote in _remotes.Values)
        {
            (remote as IDisposable)?.Dispose();
        }
    }

    private async Task ValidateAfterExchangeAsync(ILicenseServerConnection server, string licenseId)
    {
        try
        {
            await ValidateAsync(server, licenseId, CancellationToken.None).ConfigureAwait(false);
            LogDecision(_logger, licenseId, "temporary cal validated once the licensing exchange completed (--validate-on-exchange)");
        }
#pragma warning disable CA1031 // A failed validation is logged; the CAL simply stays unvalidated.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogDecision(_logger, licenseId, $"could not validate the temporary cal: {e.Message}");
        }
    }

    /// <summary>
    /// Marks a temporary CAL validated on the license server that issued it; when that server cannot be reached (a
    /// node of the deployment died after issuing it), on the other license servers in order: the nodes of one deployment
    /// share one database, so any of them knows the CAL. Throws when none of them could validate it.
    /// </summary>
    private async Task ValidateAsync(ILicenseServerConnection issuer, string licenseId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PerServerTimeout);
        try
        {
            await issuer.ValidateAsync(licenseId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LicenseServerUnavailableException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ILicenseServerConnection[] others = [.. Servers(ReadConfiguration()).Where(s => !ReferenceEquals(s, issuer))];
            (ILicenseServerConnection? validatedBy, _, _) = await _pool.CallAsync(
                others,
                async (server, ct) =>
                {
                    await server.ValidateAsync(licenseId, ct).ConfigureAwait(false);
                    return server;
                },
                cancellationToken).ConfigureAwait(false);
            if (validatedBy is null)
            {
                throw;
            }

            LogDecision(_logger, licenseId, $"validated on {validatedBy.Name}: {issuer.Name}, which issued it, could not be reached ({e.Message})");
        }
    }

    private async Task<ProtocolDecision> MapAsync(
        SessionLicenseRequest request, string client, LicenseServerAnswer answer, ILicenseServerConnection server, bool presentedValid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool isNew = request.Kind == LicenseDecisionRequestKind.NewLicense;
        LogDecision(_logger, client, $"{server.Name}: {WireNames.Of(answer.Outcome)} {answer.LicenseId} {answer.Message}");
        switch (answer.Outcome)
        {
            case LicenseOutcome.Refused:
                int eventId = answer.EventId == WindowsEventIds.LicenseServerOlderThanHost ? WindowsEventIds.LicenseServerOlderThanHost
                    : answer.Message?.Contains("temporary cal has expired", StringComparison.Ordinal) == true ? WindowsEventIds.TemporaryLicenseExpired
                    : WindowsEventIds.CannotIssueClientLicense;
                await LogAsync(eventId, EventLevel.Error, $"the session host cannot issue a client license to {client}: {answer.Message ?? "refused by " + server.Name}", answer.LicenseId, cancellationToken).ConfigureAwait(false);
                return ProtocolDecision.Refuse(LicenseErrorCode.ErrNoLicense, LicenseStateTransition.StTotalAbort);

            case LicenseOutcome.PerUserRecorded when presentedValid && answer.ExpiresOn is { } expires && request.PresentedCal is { } presented
                && ClientLicenseReader.Read(presented).ExpiresOn - now > LicensingEngine.RenewalWindow:
                // Per user the record is extended on the server; the client's CAL is only replaced when close to its end.
                return ProtocolDecision.ValidClient();

            case LicenseOutcome.IssuedTemporary or LicenseOutcome.IssuedPermanent or LicenseOutcome.Upgraded or LicenseOutcome.Renewed or LicenseOutcome.PerUserRecorded
                when answer.Cal is { Length: > 0 } cal:
                if (answer.Outcome == LicenseOutcome.IssuedTemporary && answer.LicenseId is { } temporaryId)
                {
                    _lastTemporary[request.HardwareId] = (server, temporaryId);
                    if (_options.ValidateOnExchange)
                    {
                        _validateWhenDone[request.Connection] = (server, temporaryId);
                    }
                }

                return isNew ? ProtocolDecision.IssueNewLicense(cal) : ProtocolDecision.UpgradeLicense(cal);

            case LicenseOutcome.Valid or LicenseOutcome.PerUserNotTracked:
                return ProtocolDecision.ValidClient();

            default:
                await LogAsync(WindowsEventIds.CannotIssueClientLicense, EventLevel.Error, $"license server {server.Name} answered {WireNames.Of(answer.Outcome)} without a cal for {client}", answer.LicenseId, cancellationToken).ConfigureAwait(false);
                return ProtocolDecision.Refuse(LicenseErrorCode.ErrNoLicense, LicenseStateTransition.StTotalAbort);
        }
    }

    private async Task<ProtocolDecision> NoLicenseServerAsync(
        string client, bool presentedValid, int serverCount, HostConfiguration? config, DateTimeOffset now, LicenseServerFailure? last, CancellationToken cancellationToken)
    {
        if (serverCount == 0)
        {
            await LogAsync(WindowsEventIds.NoLicenseServerSpecified, EventLevel.Warning, "the remote desktop session host does not have a license server specified", null, cancellationToken).ConfigureAwait(false);
        }

        if (presentedValid)
        {
            LogDecision(_logger, client, "no license server reachable; the client holds a valid cal");
            return ProtocolDecision.ValidClient();
        }

        GraceState grace = config?.Grace(now) ?? new GraceState(now, 0);
        if (!grace.Expired)
        {
            LogDecision(_logger, client, $"no license server reachable; admitted in the grace period ({grace.DaysLeft} days left)");
            if (last is null)
            {
                await LogAsync(WindowsEventIds.LicenseServerUnreachable, EventLevel.Warning, $"no license server could be contacted for {client}; admitted in the grace period ({grace.DaysLeft} days left)", null, cancellationToken).ConfigureAwait(false);
            }

            return ProtocolDecision.ValidClient();
        }

        string why = last is null ? "no license server is specified" : $"license server {last.Server} cannot be contacted: {last.Reason}";
        await LogAsync(WindowsEventIds.GraceExpired, EventLevel.Error,
            $"the remote desktop licensing grace period has expired and the session host has no license server with licenses ({why}); {client} is refused", null, cancellationToken).ConfigureAwait(false);
        return ProtocolDecision.Refuse(LicenseErrorCode.ErrNoLicenseServer, LicenseStateTransition.StTotalAbort);
    }

    private async Task<(ClientLicenseVerification Verification, int TrustedCount)> VerifyAsync(byte[] cal, HardwareId hwid, IReadOnlyList<ILicenseServerConnection> servers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool refresh = _trust.IsEmpty;
        for (int attempt = 0; ; attempt++)
        {
            if (refresh)
            {
                await RefreshTrustAsync(servers, cancellationToken).ConfigureAwait(false);
            }

            X509Certificate2[] trusted = [.. servers.SelectMany(s => _trust.TryGetValue(s.Name, out var t) ? t.Certificates : [])];
            ClientLicenseVerification verification = ClientLicenseVerifier.Verify(cal, trusted, hwid.Bytes, now);
            if (verification.Status != ClientLicenseStatus.UntrustedIssuer || attempt > 0 || _time.GetUtcNow() - _trustFetchedAt < TrustRefreshInterval && !refresh && trusted.Length > 0)
            {
                return (verification, trusted.Length);
            }

            // A license server may have been activated (a new signing certificate) since the trust was fetched.
            refresh = true;
        }
    }

    private async Task RefreshTrustAsync(IReadOnlyList<ILicenseServerConnection> servers, CancellationToken cancellationToken)
    {
        foreach (ILicenseServerConnection server in servers)
        {
            if (_pool.IsBackingOff(server.Name) && _trust.ContainsKey(server.Name))
            {
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PerServerTimeout);
            try
            {
                _trust[server.Name] = (server, await server.TrustAsync(timeout.Token).ConfigureAwait(false));
            }
            catch (LicenseServerUnavailableException e)
            {
                LogDecision(_logger, server.Name, $"trust not refreshed: {e.Reason}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogDecision(_logger, server.Name, "trust not refreshed: no answer in time");
            }
        }

        _trustFetchedAt = _time.GetUtcNow();
    }

    private async Task<(T? Result, ILicenseServerConnection? Server, IReadOnlyList<LicenseServerFailure> Failures)> CallServersAsync<T>(
        IReadOnlyList<ILicenseServerConnection> servers, Func<ILicenseServerConnection, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await _pool.CallAsync(servers, call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LicensingException or Client.LicensingApiException)
        {
            // The server rejected the request itself (a bug on one side): no other server would answer differently.
            return (null, null, [new LicenseServerFailure(servers.Count > 0 ? servers[0].Name : "?", e.Message, WindowsEventIds.CannotIssueClientLicense)]);
        }
    }

    private IReadOnlyList<ILicenseServerConnection> Servers(HostConfiguration? config)
    {
        var servers = new List<ILicenseServerConnection>();
        if (_inProcess is not null)
        {
            servers.Add(_inProcess);
        }

        IReadOnlyList<string> names = config?.LicenseServers is { Count: > 0 } configured ? configured : _options.DefaultLicenseServers;
        foreach (string name in names)
        {
            Uri address;
            try
            {
                address = RemoteLicenseServer.ParseAddress(name);
            }
            catch (FormatException e)
            {
                LogDecision(_logger, name, e.Message);
                continue;
            }

            servers.Add(_remotes.GetOrAdd(address.ToString(), _ => _remote(address)));
        }

        return servers;
    }

    private HostConfiguration? ReadConfiguration()
    {
        try
        {
            lock (_registryLock)
            {
                return _registry.ReadConfiguration();
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            LogDecision(_logger, _registry.FilePath, $"host registry unreadable: {e.Message}");
            return null;
        }
    }

    private HostConfiguration StartGrace(HostConfiguration config, DateTimeOffset now)
    {
        if (config.GraceEnd is not null)
        {
            return config;
        }

        lock (_registryLock)
        {
            HostConfiguration current = _registry.ReadConfiguration();
            if (current.GraceEnd is null)
            {
                _registry.Apply(HostChange.StartGrace(now));
                current = _registry.ReadConfiguration();
            }

            return current;
        }
    }

    private async Task LogAsync(int eventId, EventLevel level, string message, string? licenseId, CancellationToken cancellationToken)
    {
        LogEvent(_logger, eventId, message);
        try
        {
            await _events.WriteAsync(
                new LicensingEvent(_time.GetUtcNow(), eventId, WindowsEventIds.RcmSource, level, message, LicenseId: licenseId, Host: _options.HostName),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogDecision(_logger, "event log", $"could not record event {eventId}: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session host event {EventId}: {Message}")]
    private static partial void LogEvent(ILogger logger, int eventId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "session host licensing {Subject}: {Detail}")]
    private static partial void LogDecision(ILogger logger, string subject, string detail);
}
