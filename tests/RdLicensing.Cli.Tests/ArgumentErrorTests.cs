using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>
/// Bad arguments are refused before any request: every run points at a port where nothing listens, so a run that sent a
/// request would exit 5 (unreachable) instead of 1 (usage). The message names the option; there is no stack trace.
/// </summary>
public sealed class ArgumentErrorTests
{
    private static readonly string DeadServer = $"http://127.0.0.1:{ServerProcess.FreePort()}";

    private const string Code = "BCDFG-HJKMP-QRTVW-XY234-67892";

    public static TheoryData<string, string[]> Cases => new()
    {
        { "--quantity", ["keypack", "install", "--program", "retail", "--code", Code, "--version", "2022", "--type", "per-device", "--quantity", "0"] },
        { "--quantity", ["keypack", "install", "--program", "retail", "--code", Code, "--version", "2022", "--type", "per-device", "--quantity", "-5"] },
        { "--quantity", ["keypack", "install", "--program", "retail", "--code", Code, "--version", "2022", "--type", "per-device", "--quantity", "three"] },
        { "--version", ["keypack", "install", "--program", "retail", "--code", Code, "--version", "2023", "--type", "per-device", "--quantity", "3"] },
        { "--type", ["keypack", "install", "--program", "retail", "--code", Code, "--version", "2022", "--type", "per-cpu", "--quantity", "3"] },
        { "--program", ["keypack", "install", "--program", "volume", "--code", Code, "--version", "2022", "--type", "per-device", "--quantity", "3"] },
        { "--code", ["keypack", "install", "--program", "retail", "--version", "2022", "--type", "per-device", "--quantity", "3"] },
        { "--hwid", ["license", "request", "--machine", "PC-1", "--hwid", "XYZ", "--host-version", "2022"] },
        { "--hwid", ["license", "request", "--machine", "PC-1", "--hwid", Devices.Hwid(1) + "FF", "--host-version", "2022"] },
        { "--hwid", ["license", "request", "--machine", "PC-1", "--host-version", "2022"] },
        { "--host-version", ["license", "request", "--machine", "PC-1", "--hwid", Devices.Hwid(1), "--host-version", "1999"] },
        { "--host-version", ["license", "request", "--machine", "PC-1", "--hwid", Devices.Hwid(1)] },
        { "--user", ["license", "request", "--mode", "per-user", "--host-version", "2022"] },
        { "--mode", ["license", "request", "--hwid", Devices.Hwid(1), "--host-version", "2022", "--mode", "per-cpu"] },
        { "--status", ["license", "list", "--status", "lost"] },
        { "--version", ["license", "list", "--version", "2003"] },
        { "--role", ["key", "add", "bob", "--role", "root"] },
        { "--method", ["server", "activate", "--method", "fax", "--first-name", "A", "--last-name", "B", "--company", "C", "--country", "US"] },
        { "--country", ["server", "activate", "--method", "automatic", "--first-name", "A", "--last-name", "B", "--company", "C"] },
        { "--first-name", ["server", "activate", "--method", "automatic", "--first-name", " ", "--last-name", "B", "--company", "C", "--country", "US"] },
        { "--scope", ["server", "set"] },
        { "--scope", ["server", "set", "--scope", "galaxy"] },
        { "--take", ["events", "list", "--take", "0"] },
        { "LICENSE_ID", ["license", "revoke"] },
        { "--rdp", ["serve", "--rdp", "localhost"] },
        { "--connection", ["serve", "--store", "postgres"] },
        { "--store", ["serve", "--store", "oracle"] },
        { "frobnicate", ["keypack", "frobnicate"] },
        { "--code", ["keypack", "install", "--code"] },
        { "--code", ["keypack", "install", "--program", "retail", "--code", "NOT-A-CODE", "--version", "2022", "--type", "per-device", "--quantity", "3"] },
        { "--code", ["keypack", "install", "--program", "select", "--code", Code, "--version", "2022", "--type", "per-device", "--quantity", "3"] },
        { "--code", ["keypack", "install", "--program", "open", "--code", "1234567/ABC", "--version", "2022", "--type", "per-user", "--quantity", "3"] },
        { "--after", ["events", "list", "--after", "x"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_arguments_are_refused_before_any_request(string named, string[] args)
    {
        RdlicResult result = await Rdlic.RunAsync(["--server", DeadServer, .. args]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(named, result.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("", result.StdOut);
        Assert.DoesNotContain("Exception", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.org")]
    [InlineData("not a url")]
    public async Task A_bad_server_address_is_a_usage_error(string server)
    {
        RdlicResult result = await Rdlic.RunAsync("--server", server, "keypack", "list");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--server", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_server_address_from_the_environment_names_the_variable()
    {
        RdlicResult result = await Rdlic.RunAsync(["keypack", "list"], new Dictionary<string, string> { ["RDLIC_SERVER"] = "127.0.0.1:5080" });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("RDLIC_SERVER", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_5_with_a_message()
    {
        RdlicResult result = await Rdlic.RunAsync("--server", DeadServer, "--token", "k", "keypack", "list", "--json");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("unreachable", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public async Task Help_lists_every_verb_group_and_exits_0()
    {
        RdlicResult result = await Rdlic.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string verb in new[] { "serve", "server", "keypack", "license", "host", "key", "events" })
        {
            Assert.Contains("  " + verb + " ", result.StdOut, StringComparison.Ordinal);
        }
    }
}
