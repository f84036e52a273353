using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Cli.Tests.Support;

/// <summary>The result of one <c>rdlic</c> run.</summary>
public sealed record RdlicResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// Runs the real <c>rdlic</c> (<c>dotnet rdlic.dll</c>, copied next to the test assembly) as a child process with an
/// isolated environment: no RDLIC_* variables, and a private XDG_DATA_HOME so the per-user default data directory is empty.
/// </summary>
public static class Rdlic
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Path of rdlic.dll next to the test assembly.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "rdlic.dll");

    /// <summary>The dotnet host that runs this test process's runtime.</summary>
    public static string DotnetHost { get; } = FindDotnetHost();

    /// <summary>A private home for the per-user data directory of every child process.</summary>
    public static string IsolatedDataHome { get; } = CreateIsolatedDataHome();

    private static string CreateIsolatedDataHome()
    {
        string path = Directory.CreateTempSubdirectory("rdlic-xdg-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // best effort
            }
        };
        return path;
    }

    /// <summary>A start description for <c>dotnet rdlic.dll args…</c> with redirected output and the isolated environment.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("RDLIC_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["XDG_DATA_HOME"] = IsolatedDataHome;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Runs <c>rdlic args…</c> to completion (killed after <paramref name="timeout"/>, which fails the test).</summary>
    public static async Task<RdlicResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        string[] argv = args.ToArray();
        using var process = new Process { StartInfo = StartInfo(argv, environment) };
        process.Start();
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"rdlic {string.Join(' ', argv)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s\n{await stderr}");
        }

        return new RdlicResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<RdlicResult> RunAsync(params string[] args) => RunAsync(args, null, null);

    private static string FindDotnetHost()
    {
        string executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        DirectoryInfo? root = new DirectoryInfo(runtimeDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Parent?.Parent;
        if (root is not null && File.Exists(Path.Combine(root.FullName, executable)))
        {
            return Path.Combine(root.FullName, executable);
        }

        return executable;
    }
}
