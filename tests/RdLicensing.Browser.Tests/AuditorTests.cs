using Microsoft.Playwright;
using RdLicensing.Browser.Tests.Support;

namespace RdLicensing.Browser.Tests;

/// <summary>Auditors read everything and change nothing: no controls on their pages, and the server refuses the posts anyway.</summary>
public sealed class AuditorTests(Chromium chromium)
{
    [Fact]
    public async Task Auditor_sees_no_controls_and_cannot_revoke_install_or_remove()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        string keyPackId = await Ui.ActivateAndInstallAsync(server, 10);
        string licenseId = await Ui.PermanentCalAsync(server, 1);
        string auditorKey = Ui.Json(await Ui.CliAsync(server, "key", "add", "auditor1", "--role", "auditor", "--json")).GetProperty("key").GetString()!;

        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await Ui.SignInAsync(page, server, auditorKey);
        await Assertions.Expect(page.Locator("p.readonly")).ToContainTextAsync("auditor key");
        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("auditor1");

        await page.GetByRole(AriaRole.Link, new() { Name = "Key packs" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-keypack='{keyPackId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Install licenses" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Remove key pack", Exact = false })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Issued CALs" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-license='{licenseId}']")).ToContainTextAsync("Active");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Revoke", Exact = false })).ToHaveCountAsync(0);

        // Typing the confirmation's address shows the 403 page, not the button.
        IResponse? confirm = await page.GotoAsync(new Uri(server.Url, $"ui/cals/{licenseId}/revoke").ToString());
        Assert.Equal(403, confirm!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke license" })).ToHaveCountAsync(0);

        // Posting the forms directly, with the session cookie and a valid form token, is refused by the server.
        await page.GotoAsync(new Uri(server.Url, "ui/cals").ToString());
        string token = await page.Locator("form[action='/ui/signout'] input[name='__csrf']").InputValueAsync();
        var posts = new (string Path, Dictionary<string, object> Form)[]
        {
            ($"ui/cals/{licenseId}/revoke", new() { ["__csrf"] = token }),
            ("ui/keypacks/install", new() { ["__csrf"] = token, ["step"] = "3", ["program"] = "select", ["code"] = "7654321", ["version"] = "2022", ["type"] = "per-device", ["quantity"] = "5", ["action"] = "next" }),
            ($"ui/keypacks/{keyPackId}/remove", new() { ["__csrf"] = token }),
            ("ui/activate", new() { ["__csrf"] = token, ["firstName"] = "Eve", ["lastName"] = "X", ["company"] = "Y", ["country"] = "US" }),
        };
        foreach ((string path, Dictionary<string, object> form) in posts)
        {
            IFormData data = context.APIRequest.CreateFormData();
            foreach ((string name, object value) in form)
            {
                data.Set(name, (string)value);
            }

            IAPIResponse response = await context.APIRequest.PostAsync(new Uri(server.Url, path).ToString(), new() { Form = data, MaxRedirects = 0 });
            Assert.True(response.Status == 403, $"POST {path} as an auditor: {response.Status}");
        }

        Assert.Equal("permanent", Ui.Json(await Ui.CliAsync(server, "license", "show", licenseId, "--json")).GetProperty("status").GetString());
        var packs = Ui.Json(await Ui.CliAsync(server, "keypack", "list", "--json"));
        Assert.Equal(1, packs.GetArrayLength());

        // Removing the key signs the browser out at once.
        await Ui.CliAsync(server, "key", "remove", "auditor1");
        await page.GotoAsync(new Uri(server.Url, "ui/cals").ToString());
        Assert.Contains("/ui/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_keys_and_unknown_keys_cannot_sign_in()
    {
        chromium.Require();
        await using ServerProcess server = await ServerProcess.StartAsync();
        string hostKey = (await Ui.CliAsync(server, "host", "add", "RDSH-07")).StdOut.Trim();

        await using IBrowserContext context = await chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server.Url, "ui/signin").ToString());
        ILocator key = page.GetByLabel("API key");
        await key.FillAsync(hostKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("is a host key: sign in with an admin or auditor key");
        await Assertions.Expect(key).ToHaveAttributeAsync("aria-invalid", "true");

        await key.FillAsync("rdl_not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("not known to this license server");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "rdlic-ui");
        await page.GotoAsync(new Uri(server.Url, "ui/").ToString());
        Assert.Contains("/ui/signin", page.Url, StringComparison.Ordinal);
    }
}
