using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RdLicensing.Protocol.Connection;
using RdLicensing.Wire;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// The session host's RDP listener: accepts TCP connections, runs the [MS-RDPBCGR] connection sequence
/// (<see cref="ConnectionAcceptor"/>, TLS through <see cref="SslStream"/> when selected) and then the [MS-RDPELE]
/// licensing exchange, asking <see cref="ISessionHostLicensing"/> for the decision, and closes the connection with a
/// Disconnect Provider Ultimatum. Each connection is bounded in time and bytes; at most
/// <see cref="SessionHostOptions.MaxConnections"/> run at once.
/// </summary>
public sealed partial class SessionHostListener : IAsyncDisposable
{
    private readonly SessionHostOptions _options;
    private readonly ISessionHostLicensing _licensing;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _connectionsLock = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private SessionHostCredentials? _credentials;
    private long _nextConnectionId;
    private int _disposed;

    public SessionHostListener(
        SessionHostOptions options,
        ISessionHostLicensing licensing,
        ILogger<SessionHostListener>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(licensing);
        if (!options.EnableTls && !options.EnableStandardRdpSecurity)
        {
            throw new ArgumentException("enable tls, standard rdp security or both", nameof(options));
        }

        _options = options;
        _licensing = licensing;
        _logger = logger ?? NullLogger<SessionHostListener>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
    }

    /// <summary>Raised for every step of every connection (from connection tasks; keep handlers quick and thread-safe).</summary>
    public event Action<SessionHostEvent>? Events;

    /// <summary>The bound end point (with the real port when 0 was configured); null before <see cref="Start"/>.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndpoint as IPEndPoint;

    /// <summary>Makes or loads the credentials, binds the end point and starts accepting.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the listener is already started");
        }

        _credentials = SessionHostCredentials.LoadOrCreate(_options.DataDirectory, Dns.GetHostName());
        _listener = new TcpListener(_options.EndPoint);
        _listener.Start();
        LogListening(_logger, LocalEndPoint!);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, cancels running connections and waits for them; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] running;
        lock (_connectionsLock)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _credentials?.Dispose();
        _stopping.Dispose();
        _slots.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            long id = Interlocked.Increment(ref _nextConnectionId);
            if (!_slots.Wait(0, CancellationToken.None))
            {
                Raise(new SessionHostEvent(id, SessionHostEventKind.Refused, $"connection cap of {_options.MaxConnections} reached"));
                client.Dispose();
                continue;
            }

            Task task = Task.Run(() => RunConnectionAsync(client, id, cancellationToken), CancellationToken.None);
            lock (_connectionsLock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task RunConnectionAsync(TcpClient client, long id, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectionTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        CancellationToken cancellationToken = linked.Token;
        Stream? stream = null;
        try
        {
            client.NoDelay = true;
            Raise(new SessionHostEvent(id, SessionHostEventKind.Accepted, client.Client.RemoteEndPoint?.ToString() ?? "?"));
            stream = client.GetStream();
            var connection = new SessionHostConnection(id, _options, _credentials!, _licensing, Raise);
            stream = await connection.RunAsync(stream, cancellationToken).ConfigureAwait(false);
            Raise(new SessionHostEvent(id, SessionHostEventKind.Closed, "done"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Raise(new SessionHostEvent(id, SessionHostEventKind.Failed, $"timed out after {_options.ConnectionTimeout}"));
        }
        catch (OperationCanceledException)
        {
            Raise(new SessionHostEvent(id, SessionHostEventKind.Closed, "listener stopping"));
        }
        catch (Exception e) when (e is ProtocolException or IOException or InvalidDataException or System.Security.Authentication.AuthenticationException or SocketException or CryptographicException)
        {
            LogConnectionFailed(_logger, id, e.Message);
            Raise(new SessionHostEvent(id, SessionHostEventKind.Failed, e.Message));
        }
#pragma warning disable CA1031 // One connection's bug must not take the listener down; it is logged as an error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogConnectionBug(_logger, id, e);
            Raise(new SessionHostEvent(id, SessionHostEventKind.Failed, $"internal error: {e.Message}"));
        }
        finally
        {
            // The slot is free before the client sees the close: a client that connects again at once is not refused
            // at the cap by a connection that is already over.
            _slots.Release();
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            client.Dispose();
        }
    }

    private void Raise(SessionHostEvent e)
    {
        LogEvent(_logger, e.ConnectionId, e.Kind, e.Detail);
        Events?.Invoke(e);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "session host listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "session host connection {ConnectionId} failed: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "session host connection {ConnectionId} hit an internal error")]
    private static partial void LogConnectionBug(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session host connection {ConnectionId}: {Kind} {Detail}")]
    private static partial void LogEvent(ILogger logger, long connectionId, SessionHostEventKind kind, string detail);
}
