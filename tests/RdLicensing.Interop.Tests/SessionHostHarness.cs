using System.Collections.Concurrent;
using System.Net;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>An in-process session-host listener on 127.0.0.1 (a free port), a scratch directory and its event log.</summary>
internal sealed class SessionHostHarness : IAsyncDisposable
{
    private readonly ConcurrentQueue<SessionHostEvent> _events = new();

    private SessionHostHarness(string root, SessionHostListener listener)
    {
        Root = root;
        Listener = listener;
        listener.Events += _events.Enqueue;
    }

    public string Root { get; }

    public SessionHostListener Listener { get; }

    public int Port => Listener.LocalEndPoint!.Port;

    public IReadOnlyList<SessionHostEvent> Events => [.. _events];

    public static SessionHostHarness Start(ISessionHostLicensing licensing, bool preferStandardRdpSecurity)
    {
        string root = Directory.CreateTempSubdirectory("rdlic-interop-").FullName;
        var listener = new SessionHostListener(
            new SessionHostOptions
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                DataDirectory = Path.Combine(root, "data"),
                PreferStandardRdpSecurity = preferStandardRdpSecurity,
                ConnectionTimeout = TimeSpan.FromSeconds(30),
            },
            licensing);
        var harness = new SessionHostHarness(root, listener);
        listener.Start();
        return harness;
    }

    /// <summary>A fresh HOME for one client run.</summary>
    public string NewHome(string name)
    {
        string home = Path.Combine(Root, name);
        Directory.CreateDirectory(home);
        return home;
    }

    public string Describe() => string.Join(Environment.NewLine, Events.Select(e => $"#{e.ConnectionId} {e.Kind}: {e.Detail}"));

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
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
