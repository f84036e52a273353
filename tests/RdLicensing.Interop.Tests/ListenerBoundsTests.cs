using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// The listener's bounds, driven over 127.0.0.1 with raw sockets: the connection cap, the byte and packet-size
/// limits, malformed input and the per-connection time limit (with a fake clock, no waiting on real time).
/// </summary>
public sealed class ListenerBoundsTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rdlic-listener-").FullName;
    private readonly ConcurrentQueue<SessionHostEvent> _events = new();
    private readonly List<TaskCompletionSource<SessionHostEvent>> _waiters = [];
    private readonly Lock _lock = new();
    private SessionHostListener? _listener;

    [Fact]
    public async Task Connections_beyond_the_cap_are_closed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Start(o => o.MaxConnections = 1);
        Task<SessionHostEvent> accepted = WaitFor(e => e.Kind == SessionHostEventKind.Accepted);
        using TcpClient first = await ConnectAsync(ct);
        await accepted.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Task<SessionHostEvent> refused = WaitFor(e => e.Kind == SessionHostEventKind.Refused);
        using TcpClient second = await ConnectAsync(ct);
        Assert.Equal(0, await ReadAsync(second, ct));
        Assert.Equal(2, (await refused.WaitAsync(TimeSpan.FromSeconds(10), ct)).ConnectionId);
    }

    [Fact]
    public async Task A_client_sending_too_many_bytes_is_cut_off()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Start(o => o.MaxBytesPerConnection = 100);
        Task<SessionHostEvent> failed = WaitFor(e => e.Kind == SessionHostEventKind.Failed);
        using TcpClient client = await ConnectAsync(ct);
        byte[] partial = new byte[200];
        partial[0] = 3;
        partial[2] = 0x03;
        partial[3] = 0xe8; // a 1000-byte packet that never completes
        await client.GetStream().WriteAsync(partial, ct);
        Assert.Contains("more than 100 bytes", (await failed.WaitAsync(TimeSpan.FromSeconds(10), ct)).Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ReadAsync(client, ct));
    }

    [Theory]
    [InlineData(new byte[] { 0x03, 0x00, 0x40, 0x01 }, "TPKT.length")]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05 }, "TPKT.version")]
    [InlineData(new byte[] { 0x03, 0x00, 0x00, 0x07, 0x02, 0xf0, 0x80 }, "X224_CONNECTION_REQUEST")]
    public async Task Malformed_input_closes_the_connection_with_a_named_error(byte[] input, string expected)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Start(o => o.MaxPduSize = 16 * 1024);
        Task<SessionHostEvent> failed = WaitFor(e => e.Kind == SessionHostEventKind.Failed);
        using TcpClient client = await ConnectAsync(ct);
        await client.GetStream().WriteAsync(input, ct);
        Assert.StartsWith(expected, (await failed.WaitAsync(TimeSpan.FromSeconds(10), ct)).Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ReadAsync(client, ct));
    }

    [Fact]
    public async Task A_connection_is_bounded_in_time()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Start(o => o.ConnectionTimeout = TimeSpan.FromSeconds(30), clock);
        Task<SessionHostEvent> accepted = WaitFor(e => e.Kind == SessionHostEventKind.Accepted);
        Task<SessionHostEvent> failed = WaitFor(e => e.Kind == SessionHostEventKind.Failed);
        using TcpClient client = await ConnectAsync(ct);
        await accepted.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.False(failed.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains("timed out", (await failed.WaitAsync(TimeSpan.FromSeconds(10), ct)).Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ReadAsync(client, ct));
    }

    [Fact]
    public void Credentials_are_made_once_and_kept()
    {
        string data = Path.Combine(_root, "credentials");
        string firstThumbprint;
        byte[] firstLeaf;
        using (SessionHostCredentials first = SessionHostCredentials.LoadOrCreate(data, "host"))
        {
            firstThumbprint = first.TlsCertificate.Thumbprint;
            firstLeaf = first.Licensing.Proprietary.Encode();
            Assert.True(first.TlsCertificate.HasPrivateKey);
            Assert.Equal(512, first.LeafKey.KeySize);
        }

        using SessionHostCredentials second = SessionHostCredentials.LoadOrCreate(data, "host");
        Assert.Equal(firstThumbprint, second.TlsCertificate.Thumbprint);
        Assert.Equal(firstLeaf, second.Licensing.Proprietary.Encode());
        if (!OperatingSystem.IsWindows())
        {
            foreach (string file in Directory.GetFiles(data))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private void Start(Action<SessionHostOptions> configure, TimeProvider? clock = null)
    {
        var options = new SessionHostOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), DataDirectory = Path.Combine(_root, "data") };
        configure(options);
        _listener = new SessionHostListener(options, new RecordingLicensing(_ => LicenseDecision.ValidClient()), timeProvider: clock);
        _listener.Events += OnEvent;
        _listener.Start();
    }

    private void OnEvent(SessionHostEvent e)
    {
        _events.Enqueue(e);
        lock (_lock)
        {
            foreach (TaskCompletionSource<SessionHostEvent> waiter in _waiters)
            {
                if (waiter.Task.AsyncState is Func<SessionHostEvent, bool> match && match(e))
                {
                    waiter.TrySetResult(e);
                }
            }
        }
    }

    private Task<SessionHostEvent> WaitFor(Func<SessionHostEvent, bool> match)
    {
        var waiter = new TaskCompletionSource<SessionHostEvent>(match, TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add(waiter);
            foreach (SessionHostEvent e in _events.Where(match))
            {
                waiter.TrySetResult(e);
            }
        }

        return waiter.Task;
    }

    private async Task<TcpClient> ConnectAsync(CancellationToken ct)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _listener!.LocalEndPoint!.Port, ct);
        return client;
    }

    /// <summary>Reads until the server closes (0) or sends something; bounded so a hang fails instead of blocking.</summary>
    private static async Task<int> ReadAsync(TcpClient client, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return await client.GetStream().ReadAsync(new byte[64], timeout.Token);
        }
        catch (IOException)
        {
            return 0; // reset by the server: closed as well
        }
    }
}
