using Microsoft.Playwright;
using RdLicensing.Browser.Tests.Support;

namespace RdLicensing.Browser.Tests;

/// <summary>Bad form input gets a clear message next to its field, never a crash page.</summary>
public sealed class BadInputTests(Chromium chromium)
{
    [Fact]
    public async Task Bad_input_is_answered_next_to_the_field()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        string keyPackId = await Ui.ActivateAndInstallAsync(server, 5);
        await Ui.PermanentCalAsync(server, 1);
        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await Ui.SignInAsync(page, server, server.AdminToken);

        // Wizard: no program chosen; then a 2019 server limit is fine but quantity, date and type are checked on the server.
        await page.GotoAsync(new Uri(server.Url, "ui/keypacks/install").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#program-error")).ToHaveTextAsync("choose the license program the CALs were bought under");
        await page.GetByLabel("Select License").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByLabel("Agreement number").FillAsync("12345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToContainTextAsync("agreement or enrolment number is 7 digits, got '12345678'");
        await page.GetByLabel("Agreement number").FillAsync("7654321");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByLabel("Quantity").FillAsync("-3");
        await page.GetByLabel("Expires on (optional)").FillAsync("2001-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install" }).ClickAsync();
        await Assertions.Expect(page.Locator("#version-error")).ToHaveTextAsync("choose the product version of the CALs");
        await Assertions.Expect(page.Locator("#type-error")).ToHaveTextAsync("choose per device or per user");
        await Assertions.Expect(page.Locator("#quantity-error")).ToContainTextAsync("whole number from 1 to 1000000, got '-3'");
        await Assertions.Expect(page.Locator("#expires-error")).ToContainTextAsync("must be in the future");
        await Assertions.Expect(page.GetByLabel("Quantity")).ToHaveAttributeAsync("aria-invalid", "true");

        // Back keeps what was typed.
        await page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Agreement number")).ToHaveValueAsync("7654321");

        // A key pack with issued CALs cannot be removed: the confirmation says why.
        await page.GotoAsync(new Uri(server.Url, $"ui/keypacks/{keyPackId}/remove").ToString());
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("This key pack has issued CALs");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove key pack" })).ToHaveCountAsync(0);

        // Filters: a malformed hardware id and an unknown status are reported by field; the list still renders.
        IResponse? filtered = await page.GotoAsync(new Uri(server.Url, "ui/cals?hwid=zz12&status=lost").ToString());
        Assert.Equal(400, filtered!.Status);
        await Assertions.Expect(page.Locator("#hwid-error")).ToContainTextAsync("a hardware id is 40 hex digits");
        await Assertions.Expect(page.Locator("#status-error")).ToContainTextAsync("unknown status 'lost'");
        await Assertions.Expect(page.Locator("#result-count")).ToContainTextAsync("1 CALs match");

        // Unknown things are 404 pages, not errors.
        IResponse? missing = await page.GotoAsync(new Uri(server.Url, "ui/cals/NOPE/revoke").ToString());
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("no license 'NOPE'");
        Assert.Equal(404, (await page.GotoAsync(new Uri(server.Url, "ui/reports/secrets.csv").ToString()))!.Status);

        // Diagnose: a file that is not a .reg export, a bad host name; then a real export is diagnosed.
        await page.GotoAsync(new Uri(server.Url, "ui/diagnose").ToString());
        await page.GetByLabel("Host name").FillAsync("bad host!");
        await page.GetByLabel(".reg files").SetInputFilesAsync(new FilePayload { Name = "notes.reg", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#host-error")).ToContainTextAsync("a host name is 1 to 64 letters");
        await Assertions.Expect(page.Locator("#reg-error")).ToContainTextAsync("notes.reg: not a .reg file Windows writes");

        byte[] export = Seed.HostReg([], null, perDevice: true);
        await page.GetByLabel("Host name").FillAsync("RDSH-09");
        await page.GetByLabel(".reg files").SetInputFilesAsync(new FilePayload { Name = "rdsh-09.reg", MimeType = "application/octet-stream", Buffer = export });
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose", Exact = true }).ClickAsync();
        ILocator diagnosis = page.Locator("section.diagnosis", new() { HasText = "RDSH-09" });
        await Assertions.Expect(diagnosis).ToContainTextAsync("uploaded .reg export");
        await Assertions.Expect(diagnosis.Locator("tr[data-code='no-license-server']")).ToBeVisibleAsync();
    }
}
