using Microsoft.AspNetCore.Builder;
using RdLicensing.Server;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>A license-server node in this process (<see cref="LicenseServerHost"/>) on a free 127.0.0.1 port, on a shared PostgreSQL database (or a SQLite file).</summary>
internal sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessNode(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public Uri Url => new(_app.Urls.Single());

    /// <summary>Builds a node; <see cref="StartAsync"/> starts it (so tests can start several at once).</summary>
    public static InProcessNode Create(string connectionString, string? node = null, string store = "postgres")
    {
        string data = Directory.CreateTempSubdirectory("rdlic-node-").FullName;
        WebApplication app = LicenseServerHost.Build(new LicenseServerOptions
        {
            DataDirectory = data,
            Urls = "http://127.0.0.1:0",
            Store = store,
            Connection = connectionString,
            Node = node,
        });
        return new InProcessNode(app, data);
    }

    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _app.StartAsync(timeout.Token);
    }

    /// <summary>The admin key, from whichever node's data directory got admin.token (the key itself is in the shared store).</summary>
    public static string AdminToken(params InProcessNode[] nodes) =>
        nodes.Select(n => Path.Combine(n.DataDirectory, "admin.token")).Where(File.Exists).Select(f => File.ReadAllText(f).Trim()).Single();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
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
