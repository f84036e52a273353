using System.Runtime.CompilerServices;
using System.Text.Json;
using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>
/// <c>rdlic analyze issued-licenses</c>, <c>rdlic report …</c> and <c>rdlic client store inspect</c>: Windows exports
/// from TestData/Analysis, and a real <c>rdlic serve</c> that issues CALs to a rebuilt machine.
/// </summary>
public sealed class AnalysisVerbTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly string Data = Path.Combine(SourceDirectory(), "TestData", "Analysis");

    private string[] G => shared.Server.Global;

    [Fact]
    public async Task Analyze_a_windows_export_lists_the_finding_and_the_revocation_plan()
    {
        JsonElement result = Json.Parse(await Rdlic.RunAsync("analyze", "issued-licenses", Path.Combine(Data, "issued-shared-hardware-id.csv"),
            "--keypacks", Path.Combine(Data, "keypacks-small.csv"), "--as-of", "2025-03-15T00:00:00Z", "--json"));

        Assert.Equal(new[] { "exhaustion", "shared-hardware-id" }, result.GetProperty("findings").EnumerateArray().Select(f => f.Str("kind")));
        Assert.Equal(2, result.Int("calsWasted"));
        Assert.Equal(1, result.Int("revocableNow"));

        RdlicResult table = await Rdlic.RunAsync("analyze", "issued-licenses", Path.Combine(Data, "issued-shared-hardware-id.csv"),
            "--keypacks", Path.Combine(Data, "keypacks-small.csv"), "--as-of", "2025-03-15T00:00:00Z");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("[shared-hardware-id]", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("IMG03", table.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_export_is_an_error_with_its_line_and_nothing_else()
    {
        string file = Path.Combine(Path.GetTempPath(), $"rdlic-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file,
            "\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sHardwareId\",\"sIssuedToComputer\",\"sIssuedToUser\"\r\n"
            + "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\"100\",\"2\",\"AB12\",\"PC01\",\"u\"\r\n"
            + "\"20250404093012.000000-000\",\"13/45/2025 9:00:00 AM\",\"3\",\"101\",\"2\",\"AB13\",\"PC02\",\"u\"\r\n",
            TestContext.Current.CancellationToken);
        try
        {
            RdlicResult result = await Rdlic.RunAsync("analyze", "issued-licenses", file, "--json");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Equal("", result.StdOut);
            Assert.Contains("line 3, column 'IssueDate'", result.StdErr, StringComparison.Ordinal);
            Assert.Contains("nothing was analysed", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Client_store_inspect_shows_the_windows_cal_and_flags_two_hardware_ids()
    {
        string reg = Path.Combine(Data, "mslicensing-windows-cal.reg");

        RdlicResult table = await Rdlic.RunAsync("client", "store", "inspect", reg);
        JsonElement json = Json.Parse(await Rdlic.RunAsync("client", "store", "inspect", reg, "--json"));

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("D4170A79DCB692B3B8FCC0832C8D401D970F89AB", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("Issuer", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("A02", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("several hardware ids (2)", table.StdErr, StringComparison.Ordinal);
        Assert.True(json.GetProperty("severalHardwareIds").GetBoolean());
        JsonElement cal = json.GetProperty("licenses")[0];
        Assert.Equal("D4170A79DCB692B3B8FCC0832C8D401D970F89AB", cal.Str("hardwareId"));
        Assert.False(cal.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Reports_and_analysis_over_our_own_store()
    {
        Assert.Equal(0, (await Rdlic.RunAsync([.. G, "server", "activate", "--method", "automatic", "--first-name", "A", "--last-name", "B",
            "--company", "C", "--country", "US"])).ExitCode);
        RdlicResult install = await Rdlic.RunAsync([.. G, "keypack", "install", "--program", "enterprise", "--code", "7654321", "--version", "2022",
            "--type", "per-device", "--quantity", "10"]);
        Assert.True(install.ExitCode == 0, install.ToString());
        string old = Devices.Hwid(1, salt: 0xA1), rebuilt = Devices.Hwid(2, salt: 0xA1);
        foreach (string hwid in new[] { old, rebuilt })
        {
            RdlicResult request = await Rdlic.RunAsync([.. G, "license", "request", "--machine", "ANALYSIS-PC", "--hwid", hwid, "--host-version", "2022"]);
            Assert.True(request.ExitCode == 0, request.ToString());
        }

        JsonElement perDevice = Json.Parse(await Rdlic.RunAsync([.. G, "report", "per-device", "--json"]));
        Assert.Equal(2, perDevice.EnumerateArray().Count(r => r.Str("sIssuedToComputer") == "ANALYSIS-PC"));

        string csv = Path.Combine(Path.GetTempPath(), $"rdlic-per-device-{Guid.NewGuid():N}.csv");
        try
        {
            RdlicResult written = await Rdlic.RunAsync([.. G, "report", "per-device", "--csv", csv, "--type-line"]);
            Assert.True(written.ExitCode == 0, written.ToString());
            string[] lines = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
            Assert.StartsWith("#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_TSIssuedLicense", lines[0], StringComparison.Ordinal);
            Assert.Equal("\"KeyPackId\",\"LicenseId\",\"sIssuedToComputer\",\"sIssuedToUser\",\"sHardwareId\",\"IssueDate\",\"ExpirationDate\",\"LicenseStatus\"", lines[1]);
            Assert.False(File.Exists(csv + ".partial"));

            JsonElement offline = Json.Parse(await Rdlic.RunAsync("analyze", "issued-licenses", csv, "--json"));
            JsonElement online = Json.Parse(await Rdlic.RunAsync([.. G, "analyze", "issued-licenses", "--json"]));
            foreach (JsonElement result in new[] { offline, online })
            {
                JsonElement finding = result.GetProperty("findings").EnumerateArray().Single(f => f.Str("kind") == "rebuilt-device");
                Assert.Equal(new[] { old, rebuilt }, finding.GetProperty("devices").EnumerateArray().Select(d => d.Str("hardwareId")));
                Assert.Equal(1, finding.Int("calsWasted"));
            }

            Assert.True(online.GetProperty("exhaustionEvaluated").GetBoolean());
        }
        finally
        {
            File.Delete(csv);
        }

        JsonElement keyPacks = Json.Parse(await Rdlic.RunAsync([.. G, "report", "keypacks", "--json"]));
        Assert.Contains(keyPacks.GetProperty("keyPacks").EnumerateArray(), p => p.Str("calType") == "per-device" && p.Int("totalLicenses") == 10);
        JsonElement perUser = Json.Parse(await Rdlic.RunAsync([.. G, "report", "per-user", "--json"]));
        Assert.Equal(JsonValueKind.Array, perUser.GetProperty("summary").ValueKind);

        RdlicResult both = await Rdlic.RunAsync([.. G, "report", "keypacks", "--json", "--csv", csv]);
        Assert.True(both.ExitCode == 1, both.ToString());
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
