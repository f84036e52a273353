using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>The session-host options of <c>rdlic serve</c> are checked before anything starts: exit 1 naming the option.</summary>
public sealed class ServeSessionHostOptionTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rdlic-serve-opts-").FullName;

    public static TheoryData<string, string[]> Cases => new()
    {
        { "--no-license-server", ["--rdp", "off", "--no-license-server"] },
        { "--license-server", ["--rdp", "127.0.0.1:0", "--license-server", "ftp://ls1"] },
        { "--license-server", ["--rdp", "127.0.0.1:0", "--license-server", "http://"] },
        { "--host-key", ["--rdp", "127.0.0.1:0", "--no-license-server", "--license-server", "http://127.0.0.1:1"] },
        { "--host-version", ["--rdp", "127.0.0.1:0", "--host-version", "2003"] },
        { "--licensing-mode", ["--rdp", "127.0.0.1:0", "--licensing-mode", "per-cpu"] },
        { "--rdp", ["--rdp", "myhost:3389"] },
        { "--license-server-timeout", ["--rdp", "127.0.0.1:0", "--license-server-timeout", "0"] },
        { "--license-server-timeout", ["--rdp", "127.0.0.1:0", "--license-server-timeout", "301"] },
        { "--license-server-timeout", ["--rdp", "127.0.0.1:0", "--license-server-timeout", "five"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_session_host_options_are_usage_errors(string named, string[] args)
    {
        RdlicResult result = await Rdlic.RunAsync(["serve", "--data", _data, "--urls", "http://127.0.0.1:0", .. args]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(named, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_only_session_host_asks_each_license_server_for_as_long_as_told()
    {
        string[] args =
        [
            "serve", "--data", _data, "--rdp", "127.0.0.1:0", "--no-license-server",
            "--license-server", "http://127.0.0.1:1", "--host-key", "not-used-before-a-client-connects", "--license-server-timeout", "17",
        ];
        using var process = new System.Diagnostics.Process { StartInfo = Rdlic.StartInfo(args) };
        process.Start();
        try
        {
            // The first line on stderr says what the host runs with; read it with a bound, then stop the host.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line = await process.StandardError.ReadLineAsync(timeout.Token);

            Assert.NotNull(line);
            Assert.Contains("session host only", line, StringComparison.Ordinal);
            Assert.Contains("license servers http://127.0.0.1:1 (17 s each)", line, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
