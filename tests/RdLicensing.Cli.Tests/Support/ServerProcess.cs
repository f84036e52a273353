using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RdLicensing.Client;

namespace RdLicensing.Cli.Tests.Support;

/// <summary>
/// A real <c>rdlic serve</c> child process on a free 127.0.0.1 port with its own data directory. Disposing kills it
/// (and removes the data directory when this instance created it).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly bool _ownsDataDirectory;

    private ServerProcess(Process process, string dataDirectory, Uri url, bool ownsDataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Url = url;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The server's address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Url { get; }

    /// <summary>The admin key the server wrote to DATA/admin.token.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Global options that point a CLI run at this server with its admin key (through --data).</summary>
    public string[] Global => ["--server", Url.ToString(), "--data", DataDirectory];

    /// <summary>An admin client for this server.</summary>
    public LicensingClient AdminClient() => new(Url, AdminToken);

    /// <summary>Starts a server on a fresh data directory, or on <paramref name="dataDirectory"/> (not deleted at dispose).</summary>
    public static Task<ServerProcess> StartAsync(string? dataDirectory = null) => StartAsync(dataDirectory, [], waitForAdminToken: true);

    /// <summary>
    /// Starts <c>rdlic serve</c> with <paramref name="arguments"/> after the data directory, URL and <c>--rdp off</c> (e.g.
    /// <c>--store postgres --connection …</c>). With <paramref name="waitForAdminToken"/> it is up when /health answers and
    /// DATA/admin.token exists; a node that joins a deployment whose admin key exists writes no admin.token, so there
    /// /health alone counts.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory, IReadOnlyList<string> arguments, bool waitForAdminToken)
    {
        bool owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("rdlic-data-").FullName;
        Exception? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = FreePort();
            var url = new Uri($"http://127.0.0.1:{port}");
            var process = new Process
            {
                StartInfo = Rdlic.StartInfo(["serve", "--data", dataDirectory, "--urls", url.ToString().TrimEnd('/'), "--rdp", "off", .. arguments]),
                EnableRaisingEvents = true,
            };
            var server = new ServerProcess(process, dataDirectory, url, owns);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await server.WaitHealthyAsync(waitForAdminToken);
                return server;
            }
            catch (Exception ex)
            {
                last = ex;
                await server.KillAsync();
                process.Dispose();
                if (!server.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }
        }

        if (owns)
        {
            TryDelete(dataDirectory);
        }

        throw new InvalidOperationException("rdlic serve did not start", last);
    }

    /// <summary>SIGKILL (Process.Kill): no shutdown, no flush — a crash.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited in between
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        if (_ownsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    /// <summary>A port that was free a moment ago on 127.0.0.1.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task WaitHealthyAsync(bool waitForAdminToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"rdlic serve exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(Url, "health"));
                if (response.StatusCode == HttpStatusCode.OK && (!waitForAdminToken || File.Exists(Path.Combine(DataDirectory, "admin.token"))))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"rdlic serve did not answer /health within {s_startTimeout.TotalSeconds} s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
