using Microsoft.Playwright;
using RdLicensing.Browser.Tests.Support;

namespace RdLicensing.Browser.Tests;

/// <summary>
/// Every page at 1280×800 and on a narrow (390×844) screen: axe-core finds no serious or critical violation, nothing
/// scrolls sideways on the narrow screen, and a screenshot is saved (docs/screenshots are made this way). The wizard is
/// driven by keyboard alone.
/// </summary>
public sealed class AccessibilityTests(Chromium chromium)
{
    [Fact]
    public async Task Every_page_passes_axe_wide_and_narrow()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        IReadOnlyList<string> permanent = await Seed.RealisticAsync(server);

        foreach ((int width, int height, string suffix) in new[] { (1280, 800, ""), (390, 844, "-narrow") })
        {
            await using IBrowserContext context = await chromium.NewContextAsync(width, height);
            IPage page = await context.NewPageAsync();

            await page.GotoAsync(new Uri(server.Url, "ui/signin").ToString());
            await CheckAsync(page, "signin" + suffix, width);
            await Ui.SignInAsync(page, server, server.AdminToken);

            var pages = new (string Path, string Name)[]
            {
                ("ui/", "overview"),
                ("ui/keypacks", "keypacks"),
                ("ui/cals", "cals"),
                ($"ui/cals/{permanent[5]}/revoke", "revoke"),
                ("ui/reports", "reports"),
                ("ui/diagnose", "diagnose"),
                ("ui/cals?hwid=12345&computer=PC-001", "cals-bad-filter"),
            };
            foreach ((string path, string name) in pages)
            {
                await page.GotoAsync(new Uri(server.Url, path).ToString());
                await CheckAsync(page, name + suffix, width);
            }

            // The wizard's three steps, with a code being typed (the as-you-type check showing).
            await page.GotoAsync(new Uri(server.Url, "ui/keypacks/install").ToString());
            await CheckAsync(page, "install-step1" + suffix, width);
            await page.GetByLabel("Enterprise Agreement").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
            await page.GetByLabel("Enrollment number").PressSequentiallyAsync("49654");
            await CheckAsync(page, "install-step2" + suffix, width);
            await page.GetByLabel("Enrollment number").PressSequentiallyAsync("37");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
            await page.GetByLabel("Quantity").FillAsync("0");
            await page.GetByRole(AriaRole.Button, new() { Name = "Install" }).ClickAsync();
            await Assertions.Expect(page.Locator("#quantity-error")).ToBeVisibleAsync();
            await CheckAsync(page, "install-step3" + suffix, width);
        }
    }

    [Fact]
    public async Task The_wizard_works_from_the_keyboard()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        await Ui.CliAsync(server, "server", "activate", "--method", "automatic", "--first-name", "Ada", "--last-name", "Lovelace",
            "--company", "Contoso", "--country", "US");
        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await Ui.SignInAsync(page, server, server.AdminToken);
        await page.GotoAsync(new Uri(server.Url, "ui/keypacks/install").ToString());

        // The first Tab stop is the skip link; it moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));

        await TabToAsync(page, "document.activeElement.name === 'program'");
        await page.Keyboard.PressAsync("ArrowDown"); // radio groups move with the arrow keys: retail → open
        Assert.True(await page.IsCheckedAsync("#program-open"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("License number and authorization number")).ToBeVisibleAsync();

        await TabToAsync(page, "document.activeElement.id === 'code'");
        await page.Keyboard.TypeAsync("12345678/ABCDE12345FGHIJ");
        await Assertions.Expect(page.Locator("#code-live")).ToContainTextAsync("the format is right");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Quantity")).ToBeVisibleAsync();

        await TabToAsync(page, "document.activeElement.id === 'version'");
        await page.Keyboard.PressAsync("ArrowDown"); // first version after "Choose…"
        await TabToAsync(page, "document.activeElement.name === 'type'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "document.activeElement.id === 'quantity'");
        await page.Keyboard.TypeAsync("25");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("key pack 1 installed");
        await Assertions.Expect(page.Locator("tr[data-keypack='1']")).ToContainTextAsync("Open License");
    }

    private static async Task TabToAsync(IPage page, string condition)
    {
        for (int i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition))
            {
                return;
            }
        }

        Assert.Fail($"no Tab stop satisfies {condition}");
    }

    private static async Task CheckAsync(IPage page, string name, int width)
    {
        await Ui.AssertAccessibleAsync(page, name);
        int scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{name}: the page is {scrollWidth} px wide in a {width} px window (it scrolls sideways)");
        await Ui.ScreenshotAsync(page, name);
    }
}
