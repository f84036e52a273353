using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>
/// A license-server node as a real <c>rdlic serve --store postgres</c> child process on a free 127.0.0.1 port, with its
/// own data directory. <see cref="KillAsync"/> is SIGKILL (a crash: no shutdown, no flush); disposing kills it too.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeProcess(Process process, string dataDirectory, Uri url)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Url = url;
    }

    public string DataDirectory { get; }

    public Uri Url { get; }

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

    /// <summary>Starts a node on <paramref name="connectionString"/> and waits until /health answers.</summary>
    public static async Task<NodeProcess> StartAsync(string connectionString)
    {
        string data = Directory.CreateTempSubdirectory("rdlic-nodeproc-").FullName;
        Exception? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort()}");
            var info = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "rdlic.dll"), "serve", "--data", data, "--urls", url.ToString().TrimEnd('/'), "--rdp", "off", "--store", "postgres", "--connection", connectionString])
            {
                info.ArgumentList.Add(arg);
            }

            foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("RDLIC_", StringComparison.Ordinal)).ToList())
            {
                info.Environment.Remove(name);
            }

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var node = new NodeProcess(process, data, url);
            process.OutputDataReceived += (_, e) => node.Append(e.Data);
            process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await node.WaitHealthyAsync();
                return node;
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                last = exception;
                await node.KillAsync();
                process.Dispose();
                if (!node.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }
        }

        Directory.Delete(data, recursive: true);
        throw new InvalidOperationException("rdlic serve --store postgres did not start", last);
    }

    /// <summary>SIGKILL.</summary>
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

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The dotnet host that runs this test process's runtime (to run rdlic.dll).</summary>
    internal static string DotnetHost()
    {
        string executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        DirectoryInfo? root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar)).Parent?.Parent?.Parent;
        return root is not null && File.Exists(Path.Combine(root.FullName, executable)) ? Path.Combine(root.FullName, executable) : executable;
    }

    private async Task WaitHealthyAsync()
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
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
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
}
