using System.Text.Json;
using RdLicensing.Cli.Tests.Support;
using RdLicensing.Client;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Tests.Registry;

/// <summary><c>rdlic diagnose --reg host.reg --server URL</c> end to end, against a real <c>rdlic serve</c> on 127.0.0.1.</summary>
public sealed class DiagnoseCliTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("rdlic-diag-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<string> HostRegAsync(string mode)
    {
        // SpecifiedLicenseServers = "127.0.0.1" (REG_MULTI_SZ), as a Windows host's export would name its license server.
        string path = Path.Combine(_work, "host.reg");
        await File.WriteAllBytesAsync(path, HostRegistryCliTests.Utf16(
            "Windows Registry Editor Version 5.00\n\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\n"
            + $"\"LicensingMode\"=dword:0000000{mode}\n\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\TermService\\Parameters\\LicenseServers]\n"
            + "\"SpecifiedLicenseServers\"=hex(7):31,00,32,00,37,00,2e,00,30,00,2e,00,30,00,2e,00,31,00,00,00,00,00\n\n"));
        return path;
    }

    private static string[] Codes(JsonElement diagnosis) =>
        diagnosis.GetProperty("problems").EnumerateArray().Select(p => p.Str("code")).ToArray();

    [Fact]
    public async Task Diagnose_against_a_running_license_server_finds_its_problems_and_then_none()
    {
        await using ServerProcess server = await ServerProcess.StartAsync();
        string reg = await HostRegAsync("2");
        string[] args = ["diagnose", "--reg", reg, "--server", server.Url.ToString(), "--data", server.DataDirectory, "--host-version", "2022", "--json"];

        // A fresh server: not activated, no CALs.
        RdlicResult fresh = await Rdlic.RunAsync(args);
        Assert.True(fresh.ExitCode == 3, fresh.ToString());
        using JsonDocument freshJson = JsonDocument.Parse(fresh.StdOut);
        JsonElement problem = freshJson.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.Str("code") == "server-not-activated");
        Assert.Equal(18, problem.Int("eventId"));
        Assert.Equal("127.0.0.1", problem.Str("server"));
        Assert.Equal("licenses available for clients: 0", freshJson.RootElement.Str("summary"));

        using (LicensingClient admin = server.AdminClient())
        {
            await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Contoso", "US"), TestContext.Current.CancellationToken);
            await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "BCDFG-HJKMP-QRTVW-XY234-67892", "2022", "per-device", 25), TestContext.Current.CancellationToken);
        }

        JsonElement healthy = Json.Parse(await Rdlic.RunAsync(args));
        Assert.Empty(Codes(healthy));
        Assert.Equal(25, healthy.Int("licensesAvailable"));
        Assert.Equal("licenses available for clients: 25", healthy.Str("summary"));
        JsonElement observed = healthy.GetProperty("servers")[0];
        Assert.True(observed.GetProperty("reachable").GetBoolean());
        Assert.Equal("activated", observed.Str("activationState"));

        // The same host in per-user mode: the mode/CAL type mismatch.
        string perUser = await HostRegAsync("4");
        RdlicResult mismatch = await Rdlic.RunAsync(["diagnose", "--reg", perUser, "--server", server.Url.ToString(), "--data", server.DataDirectory, "--host-version", "2022"]);
        Assert.True(mismatch.ExitCode == 3, mismatch.ToString());
        Assert.Contains("no-cals-for-mode (event 21)", mismatch.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("licenses available for clients: 0", mismatch.StdOut.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_1131()
    {
        string reg = await HostRegAsync("2");

        RdlicResult result = await Rdlic.RunAsync("diagnose", "--reg", reg, "--server", "http://127.0.0.1:9/", "--timeout", "5", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        JsonElement problem = json.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.Str("code") == "server-unreachable");
        Assert.Equal(1131, problem.Int("eventId"));

        // The global option before the verb works too.
        RdlicResult global = await Rdlic.RunAsync("--server", "http://127.0.0.1:9/", "diagnose", "--reg", reg, "--timeout", "5");
        Assert.True(global.ExitCode == 3, global.ToString());
        Assert.Contains("server-unreachable (event 1131) 127.0.0.1: the license server 127.0.0.1 is not available", global.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_reg_file_is_refused_with_its_line()
    {
        string path = Path.Combine(_work, "bad.reg");
        await File.WriteAllBytesAsync(path, HostRegistryCliTests.Utf16("Windows Registry Editor Version 5.00\n\n\"LicensingMode\"=dword:2\n"), TestContext.Current.CancellationToken);

        RdlicResult result = await Rdlic.RunAsync("diagnose", "--reg", path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{path}: line 3, column 1: value before any key", result.StdErr, StringComparison.Ordinal);
    }
}
