using Microsoft.Playwright;
using RdLicensing.Browser.Tests.Support;

namespace RdLicensing.Browser.Tests;

/// <summary>
/// Issue 6's walk-through against a real `rdlic serve`: sign in, activate, install a key pack through the wizard, see the
/// counts change after CALs are requested from the CLI, revoke a CAL, download a report.
/// </summary>
public sealed class AdminFlowTests(Chromium chromium)
{
    [Fact]
    public async Task Admin_installs_sees_counts_revokes_and_downloads()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();

        // Sign in: the key ends up in an HttpOnly cookie, never in script reach.
        await Ui.SignInAsync(page, server, server.AdminToken);
        BrowserContextCookiesResult cookie = (await context.CookiesAsync()).Single(c => c.Name == "rdlic-ui");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(server.AdminToken, cookie.Value, StringComparison.Ordinal);
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie.includes('rdlic-ui') ? 'visible' : ''"));

        // Not activated yet: the overview says so and offers activation.
        await Assertions.Expect(page.Locator("#activation-status")).ToHaveTextAsync("Not activated");
        await page.GetByLabel("First name").FillAsync("Ada");
        await page.GetByLabel("Last name").FillAsync("Lovelace");
        await page.GetByLabel("Company").FillAsync("Contoso");
        await page.GetByLabel("Country or region").FillAsync("US");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#activation-status")).ToHaveTextAsync("Activated");
        await Assertions.Expect(page.Locator("#activation-status svg")).ToBeVisibleAsync();

        // The install wizard: program, then its code (checked as typed and on the server), then version, type, quantity.
        await page.GetByRole(AriaRole.Link, new() { Name = "Key packs" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Install licenses" }).ClickAsync();
        await page.GetByLabel("License Pack (Retail Purchase)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        ILocator code = page.GetByLabel("License code");
        await code.PressSequentiallyAsync("BCDFG-HJKMP");
        await Assertions.Expect(page.Locator("#code-live")).ToContainTextAsync("not yet a valid code");
        await Assertions.Expect(code).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToContainTextAsync("a retail code is 25 letters or digits");
        await code.FillAsync("");
        await code.PressSequentiallyAsync("bcdfg-hjkmp-qrtvw-xy234-67892");
        await Assertions.Expect(page.Locator("#code-live")).ToContainTextAsync("the format is right");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("BCDFG-HJKMP-QRTVW-XY234-67892")).ToBeVisibleAsync();
        await page.GetByLabel("Product version").SelectOptionAsync("2022");
        await page.GetByLabel("RDS Per Device CAL").CheckAsync();
        await page.GetByLabel("Quantity").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("key pack 1 installed");
        ILocator pack = page.Locator("tr[data-keypack='1']");
        await Assertions.Expect(pack).ToContainTextAsync("License Pack (Retail Purchase)");
        await Assertions.Expect(pack).ToContainTextAsync("*****-*****-*****-*****-67892");

        // The overview counts before and after three session-host requests made with the real CLI.
        ILocator usage = page.Locator("#usage tr[data-type='per-device'][data-version='2022']");
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Assertions.Expect(usage.Locator("[data-col='issued']")).ToHaveTextAsync("0");
        await Assertions.Expect(usage.Locator("[data-col='available']")).ToHaveTextAsync("10");
        var ids = new List<string>();
        for (int device = 1; device <= 3; device++)
        {
            ids.Add(await Ui.PermanentCalAsync(server, device));
        }

        await page.ReloadAsync();
        await Assertions.Expect(usage.Locator("[data-col='total']")).ToHaveTextAsync("10");
        await Assertions.Expect(usage.Locator("[data-col='issued']")).ToHaveTextAsync("3");
        await Assertions.Expect(usage.Locator("[data-col='available']")).ToHaveTextAsync("7");
        await Assertions.Expect(usage).ToContainTextAsync("30% issued");
        await Assertions.Expect(page.Locator("#hosts")).ToContainTextAsync("RDSH-01");

        // Find device 2 by computer name, revoke its CAL after the confirmation that states the 20% rule.
        await page.GetByRole(AriaRole.Link, new() { Name = "Issued CALs" }).ClickAsync();
        await page.GetByLabel("Computer").FillAsync("pc-002");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToContainTextAsync("1 CALs match");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Revoke license {ids[1]}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#rule")).ToContainTextAsync("At most 2 per-device CALs");
        await Assertions.Expect(page.Locator("#rule")).ToContainTextAsync("0 are now");
        await Assertions.Expect(page.Locator("#rule")).ToContainTextAsync("After this revocation 1 more can be revoked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke license" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync($"license {ids[1]} revoked");
        Assert.Equal("revoked", Ui.Json(await Ui.CliAsync(server, "license", "show", ids[1], "--json")).GetProperty("status").GetString());

        // The CAL went back to the pool.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Assertions.Expect(usage.Locator("[data-col='issued']")).ToHaveTextAsync("2");
        await Assertions.Expect(usage.Locator("[data-col='available']")).ToHaveTextAsync("8");

        // Second revocation fits (limit 2); the third is refused by the 20% rule, and the page says until when.
        await page.GotoAsync(new Uri(server.Url, $"ui/cals/{ids[0]}/revoke").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke license" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("revoked");
        await page.GotoAsync(new Uri(server.Url, $"ui/cals/{ids[2]}/revoke").ToString());
        await Assertions.Expect(page.Locator("#rule")).ToContainTextAsync("No revocation is allowed until");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke license" })).ToHaveCountAsync(0);

        // Download the per-device report: the Export-Csv header and one row per CAL, the revoked ones with status 4.
        await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await Assertions.Expect(page.Locator("figure.chart svg[role='img']")).ToBeVisibleAsync();
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Per-device CALs" }).ClickAsync());
        Assert.Equal("per-device-cals.csv", download.SuggestedFilename);
        string csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"KeyPackId\",\"LicenseId\",\"sIssuedToComputer\",\"sIssuedToUser\",\"sHardwareId\",\"IssueDate\",\"ExpirationDate\",\"LicenseStatus\"", lines[0]);
        Assert.Equal(3, lines.Length - 1);
        Assert.Contains(lines, l => l.Contains($"\"{ids[1]}\"", StringComparison.Ordinal) && l.Contains("\"PC-002\"", StringComparison.Ordinal) && l.EndsWith("\"4\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"\"{ids[2]}\"", StringComparison.Ordinal) && l.EndsWith("\"2\"", StringComparison.Ordinal));

        // Signing out drops the cookie: the pages ask for a key again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync(new Uri(server.Url, "ui/cals").ToString());
        Assert.Contains("/ui/signin", page.Url, StringComparison.Ordinal);
    }
}
