using System.Globalization;
using Microsoft.Playwright;
using RdLicensing.Browser.Tests.Support;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Browser.Tests;

/// <summary>100,000 issued CALs: the list pages through the store query (LIMIT/OFFSET), filters and search narrow it, and the overview and reports still load.</summary>
public sealed class ScaleTests(Chromium chromium)
{
    private const int Rows = 100_000;

    [Fact]
    public async Task Hundred_thousand_cals_page_filter_and_search()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        await SeedAsync(server.DataDirectory);

        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await Ui.SignInAsync(page, server, server.AdminToken);
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("100,000");

        await page.GetByRole(AriaRole.Link, new() { Name = "Issued CALs" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("100,000 CALs match · showing 1–50 · page 1 of 2,000");
        await Assertions.Expect(page.Locator("#cals tbody tr")).ToHaveCountAsync(50);
        await Assertions.Expect(page.Locator("#cals tbody tr").First).ToContainTextAsync("BULK-100000"); // newest first

        await page.GetByRole(AriaRole.Link, new() { Name = "Last »" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("100,000 CALs match · showing 99,951–100,000 · page 2,000 of 2,000");
        await Assertions.Expect(page.Locator("#cals tbody tr").Last).ToContainTextAsync("BULK-000001");
        await page.GetByRole(AriaRole.Link, new() { Name = "‹ Previous" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToContainTextAsync("page 1,999 of 2,000");

        await page.GotoAsync(new Uri(server.Url, "ui/cals").ToString());
        await page.GetByLabel("Computer").FillAsync("bulk-054321");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("1 CALs match · showing 1–1 · page 1 of 1");
        await Assertions.Expect(page.Locator("#cals tbody tr")).ToContainTextAsync(Ui.Hwid(54321).ToUpperInvariant());

        await page.GetByLabel("Computer").FillAsync("");
        await page.GetByLabel("Search").FillAsync("BULK-0999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("100 CALs match · showing 1–50 · page 1 of 2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        Assert.Contains("search=BULK-0999", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("100 CALs match · showing 51–100 · page 2 of 2");

        await page.GotoAsync(new Uri(server.Url, $"ui/cals?hwid={Ui.Hwid(777)}").ToString());
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("1 CALs match · showing 1–1 · page 1 of 1");
        await page.GotoAsync(new Uri(server.Url, "ui/cals?page=999999").ToString());
        await Assertions.Expect(page.Locator("#result-count")).ToContainTextAsync("page 2,000 of 2,000");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await Assertions.Expect(page.Locator("#findings")).ToContainTextAsync("100,000 per-device CALs read");
    }

    /// <summary>Writes the CALs straight into the running server's store (one transaction), as temporary CALs of 2022.</summary>
    private static async Task SeedAsync(string dataDirectory)
    {
        await using ILicenseStore store = LicenseStores.Create("sqlite", dataDirectory, null);
        DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-30);
        await store.WriteAsync(
            session =>
            {
                for (int i = 1; i <= Rows; i++)
                {
                    Assert.True(HardwareId.TryParse(Ui.Hwid(i), out HardwareId hwid));
                    DateTimeOffset issued = start.AddSeconds(i * 20);
                    session.AddLicense(IssuedLicense.Restore(
                        "BULK" + i.ToString("D8", CultureInfo.InvariantCulture), null, CalType.PerDevice, LicenseStatus.Temporary, true,
                        ProductVersions.V2022, $"BULK-{i:D6}", $@"CONTOSO\bulk{i}", hwid, issued, issued.AddDays(90), true, null, "RDSH-BULK"));
                }

                return true;
            },
            TestContext.Current.CancellationToken);
    }
}
