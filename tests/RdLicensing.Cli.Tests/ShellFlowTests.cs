using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>
/// Issue 2, "from a shell", exactly: serve; activate; a 3-CAL 2022 per-device pack; five requests (temporary); validate
/// each; five more (three permanent, two temporary); the counters; one revocation allowed, the second refused with the
/// date; the API without a key answers 401. Every step is the real <c>rdlic</c> against a real <c>rdlic serve</c>.
/// </summary>
public sealed partial class ShellFlowTests
{
    private const string RetailCode = "BCDFG-HJKMP-QRTVW-XY234-67892";

    [Fact]
    public async Task Lifecycle_from_a_shell()
    {
        await using ServerProcess server = await ServerProcess.StartAsync();
        string[] g = server.Global;

        RdlicResult activate = await Rdlic.RunAsync([.. g, "server", "activate", "--method", "automatic", "--first-name", "Ada",
            "--last-name", "Lovelace", "--company", "Contoso", "--country", "US", "--json"]);
        Assert.Equal("activated", Json.Parse(activate).Str("activationState"));

        RdlicResult install = await Rdlic.RunAsync([.. g, "keypack", "install", "--program", "retail", "--code", RetailCode,
            "--version", "2022", "--type", "per-device", "--quantity", "3", "--json"]);
        JsonElement pack = Json.Parse(install);
        string keyPackId = pack.Str("keyPackId");
        Assert.Equal(3, pack.Int("total"));

        var first = new List<JsonElement>();
        for (int i = 1; i <= 5; i++)
        {
            first.Add(Json.Parse(await RequestAsync(g, i)));
        }

        Assert.All(first, cal => Assert.Equal("temporary", cal.Str("status")));
        Assert.All(first, cal => Assert.True(DateTimeOffset.Parse(cal.Str("expiresOn"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow));
        Assert.Equal(5, first.Select(c => c.Str("licenseId")).Distinct().Count());

        foreach (JsonElement cal in first)
        {
            RdlicResult validate = await Rdlic.RunAsync([.. g, "license", "validate", cal.Str("licenseId")]);
            Assert.True(validate.ExitCode == 0, validate.ToString());
        }

        var second = new List<JsonElement>();
        for (int i = 1; i <= 5; i++)
        {
            second.Add(Json.Parse(await RequestAsync(g, i)));
        }

        List<JsonElement> permanent = second.Where(c => c.Str("status") == "permanent").ToList();
        Assert.Equal(3, permanent.Count);
        Assert.Equal(2, second.Count(c => c.Str("status") == "temporary"));
        Assert.All(permanent, cal => Assert.Equal(keyPackId, cal.Str("keyPackId")));
        Assert.All(permanent, cal => Assert.False(string.IsNullOrEmpty(cal.Str("cal"))));

        JsonElement packs = Json.Parse(await Rdlic.RunAsync([.. g, "keypack", "list", "--json"]));
        JsonElement listed = packs.EnumerateArray().Single(p => p.Str("keyPackId") == keyPackId);
        Assert.Equal(("2022", "per-device", 3, 3, 0),
            (listed.Str("version"), listed.Str("type"), listed.Int("total"), listed.Int("issued"), listed.Int("available")));

        JsonElement shown = Json.Parse(await Rdlic.RunAsync([.. g, "keypack", "show", keyPackId, "--json"]));
        Assert.Equal((3, 0), (shown.Int("issued"), shown.Int("available")));

        JsonElement licenses = Json.Parse(await Rdlic.RunAsync([.. g, "license", "list", "--json"]));
        foreach (JsonElement cal in permanent)
        {
            JsonElement row = licenses.EnumerateArray().Single(l => l.Str("licenseId") == cal.Str("licenseId"));
            Assert.Equal("permanent", row.Str("status"));
            Assert.Equal(cal.Str("hwid"), row.Str("hwid"));
            Assert.StartsWith("PC-", row.Str("machine"), StringComparison.Ordinal);
            Assert.Equal(keyPackId, row.Str("keyPackId"));
        }

        RdlicResult revoke = await Rdlic.RunAsync([.. g, "license", "revoke", permanent[0].Str("licenseId"), "--json"]);
        Assert.Equal("revoked", Json.Parse(revoke).Str("status"));

        RdlicResult refused = await Rdlic.RunAsync([.. g, "license", "revoke", permanent[1].Str("licenseId")]);
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("next revocation is allowed on", refused.StdErr, StringComparison.Ordinal);
        Assert.Matches(DateRegex(), refused.StdErr);
        Assert.Equal("permanent", Json.Parse(await Rdlic.RunAsync([.. g, "license", "show", permanent[1].Str("licenseId"), "--json"])).Str("status"));

        using var http = new HttpClient();
        using HttpResponseMessage anonymous = await http.GetAsync(new Uri(server.Url, "api/keypacks"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using HttpResponseMessage anonymousRequest = await http.PostAsync(new Uri(server.Url, "api/licenses/request"),
            new StringContent("""{"machine":"PC-X","hwid":"0200000000000000000000000000000000000099","hostVersion":"2022"}""",
                System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRequest.StatusCode);

        RdlicResult noKey = await Rdlic.RunAsync("--server", server.Url.ToString(), "keypack", "list");
        Assert.True(noKey.ExitCode == 4, noKey.ToString());
        Assert.Contains("--token", noKey.StdErr, StringComparison.Ordinal);
    }

    private static Task<RdlicResult> RequestAsync(string[] global, int device) =>
        Rdlic.RunAsync([.. global, "license", "request", "--machine", $"PC-{device}", "--hwid", Devices.Hwid(device),
            "--user", $"user{device}", "--host-version", "2022", "--json"]);

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex DateRegex();
}
