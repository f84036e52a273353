using System.Globalization;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace RdLicensing.Browser.Tests.Support;

/// <summary>What the browser tests do again and again: sign in, run the CLI, scan with axe, take screenshots.</summary>
public static class Ui
{
    /// <summary>A hardware id (40 hex digits) for device <paramref name="device"/>.</summary>
    public static string Hwid(int device) => "02" + device.ToString("x38", CultureInfo.InvariantCulture);

    /// <summary>Signs in through the sign-in page and waits for the overview.</summary>
    public static async Task SignInAsync(IPage page, ServerProcess server, string key)
    {
        await page.GotoAsync(new Uri(server.Url, "ui/").ToString());
        Assert.EndsWith("/ui/signin?returnUrl=%2Fui%2F", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(server.Url, "ui/").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Runs rdlic against <paramref name="server"/> with its admin key; asserts exit 0 and returns stdout as JSON when asked.</summary>
    public static async Task<RdlicResult> CliAsync(ServerProcess server, params string[] args)
    {
        RdlicResult result = await Rdlic.RunAsync([.. server.Global, .. args]);
        Assert.True(result.ExitCode == 0, $"rdlic {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>The JSON a <c>--json</c> run printed.</summary>
    public static JsonElement Json(RdlicResult result) => JsonDocument.Parse(result.StdOut).RootElement.Clone();

    /// <summary>Activates the server and installs a pack through the CLI (for tests about other pages).</summary>
    public static async Task<string> ActivateAndInstallAsync(ServerProcess server, int quantity, string version = "2022", string type = "per-device")
    {
        await CliAsync(server, "server", "activate", "--method", "automatic", "--first-name", "Ada", "--last-name", "Lovelace",
            "--company", "Contoso", "--country", "US", "--json");
        RdlicResult install = await CliAsync(server, "keypack", "install", "--program", "select", "--code", "1234567",
            "--version", version, "--type", type, "--quantity", quantity.ToString(CultureInfo.InvariantCulture), "--json");
        return Json(install).GetProperty("keyPackId").GetString()!;
    }

    /// <summary>
    /// Obtains a permanent per-device CAL for device <paramref name="device"/> the way a session host does: request
    /// (temporary), validate after logon, request again (upgraded). Returns the license id.
    /// </summary>
    public static async Task<string> PermanentCalAsync(ServerProcess server, int device, string host = "RDSH-01")
    {
        string[] request = ["license", "request", "--machine", $"PC-{device:000}", "--hwid", Hwid(device), "--user", $@"CONTOSO\user{device}",
            "--host-version", "2022", "--host-name", host, "--json"];
        JsonElement first = Json(await CliAsync(server, request));
        string id = first.GetProperty("licenseId").GetString()!;
        await CliAsync(server, "license", "validate", id);
        JsonElement second = Json(await CliAsync(server, request));
        Assert.Equal("permanent", second.GetProperty("status").GetString());
        return second.GetProperty("licenseId").GetString()!;
    }

    /// <summary>Runs axe-core on the page; fails on any serious or critical violation, listing each with its elements.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (serious.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"axe found {serious.Count} serious or critical violations on {what} ({page.Url}):\n");
        foreach (AxeResultItem violation in serious)
        {
            message.Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help}\n");
            foreach (AxeResultNode node in violation.Nodes.Take(5))
            {
                message.Append(CultureInfo.InvariantCulture, $"    {node.Html}\n");
            }
        }

        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// Saves a screenshot: to RDLIC_SCREENSHOTS (a directory) when set, else next to the tests in screenshots/. The
    /// committed ones in docs/screenshots are made with RDLIC_SCREENSHOTS=docs/screenshots (docs/ui.md).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        string directory = Environment.GetEnvironmentVariable("RDLIC_SCREENSHOTS") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = fullPage });
    }
}
