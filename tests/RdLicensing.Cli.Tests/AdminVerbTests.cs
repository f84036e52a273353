using System.Text.Json;
using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>The admin verbs, keys and roles, and errors from the server, against one real <c>rdlic serve</c>.</summary>
public sealed class AdminVerbTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ServerProcess Server => shared.Server;

    private string[] G => Server.Global;

    [Fact]
    public async Task Server_status_shows_a_35_character_id_in_7_groups()
    {
        JsonElement status = Json.Parse(await Rdlic.RunAsync([.. G, "server", "status", "--json"]));

        Assert.Matches("^[A-Z0-9]{35}$", status.Str("serverId"));
        Assert.Matches("^([A-Z0-9]{5}-){6}[A-Z0-9]{5}$", status.Str("serverIdDisplay"));

        RdlicResult table = await Rdlic.RunAsync([.. G, "server", "status"]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(status.Str("serverIdDisplay"), table.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        RdlicResult result = await Rdlic.RunAsync("--server", Server.Url.ToString(), "server", "health", "--json");

        Assert.Equal("ok", Json.Parse(result).Str("status"));
    }

    [Fact]
    public async Task Rejected_input_changes_nothing_and_names_the_field()
    {
        string before = (await Rdlic.RunAsync([.. G, "keypack", "list", "--json"])).StdOut;
        string beforeCals = (await Rdlic.RunAsync([.. G, "license", "list", "--json"])).StdOut;

        RdlicResult badCode = await Rdlic.RunAsync([.. G, "keypack", "install", "--program", "retail", "--code", "NOT-A-CODE",
            "--version", "2022", "--type", "per-device", "--quantity", "5"]);
        Assert.True(badCode.ExitCode == 1, badCode.ToString());
        Assert.Contains("--code", badCode.StdErr, StringComparison.Ordinal);

        // Refused by the server, not the CLI: a second host of the same name is a conflict (409 → exit 6) naming the field.
        Assert.Equal(0, (await Rdlic.RunAsync([.. G, "host", "add", "rdsh-dup"])).ExitCode);
        string hostsBefore = (await Rdlic.RunAsync([.. G, "host", "list", "--json"])).StdOut;
        RdlicResult duplicate = await Rdlic.RunAsync([.. G, "host", "add", "rdsh-dup"]);
        Assert.True(duplicate.ExitCode == 6, duplicate.ToString());
        Assert.Contains("rdsh-dup", duplicate.StdErr, StringComparison.Ordinal);
        Assert.Equal("", duplicate.StdOut);
        Assert.Equal(hostsBefore, (await Rdlic.RunAsync([.. G, "host", "list", "--json"])).StdOut);

        RdlicResult zero = await Rdlic.RunAsync([.. G, "keypack", "install", "--program", "retail", "--code", "BCDFG-HJKMP-QRTVW-XY234-67892",
            "--version", "2022", "--type", "per-device", "--quantity", "0"]);
        Assert.True(zero.ExitCode == 1, zero.ToString());

        RdlicResult badHwid = await Rdlic.RunAsync([.. G, "license", "request", "--machine", "PC-BAD", "--hwid", "12", "--host-version", "2022"]);
        Assert.True(badHwid.ExitCode == 1, badHwid.ToString());

        Assert.Equal(before, (await Rdlic.RunAsync([.. G, "keypack", "list", "--json"])).StdOut);
        Assert.Equal(beforeCals, (await Rdlic.RunAsync([.. G, "license", "list", "--json"])).StdOut);
    }

    [Fact]
    public async Task Unknown_ids_exit_2()
    {
        RdlicResult show = await Rdlic.RunAsync([.. G, "license", "show", "no-such-license"]);
        Assert.True(show.ExitCode == 2, show.ToString());

        RdlicResult showPack = await Rdlic.RunAsync([.. G, "keypack", "show", "no-such-pack"]);
        Assert.True(showPack.ExitCode == 2, showPack.ToString());

        RdlicResult remove = await Rdlic.RunAsync([.. G, "keypack", "remove", "no-such-pack"]);
        Assert.True(remove.ExitCode == 2, remove.ToString());

        RdlicResult host = await Rdlic.RunAsync([.. G, "host", "remove", "no-such-host"]);
        Assert.True(host.ExitCode == 2, host.ToString());
    }

    [Fact]
    public async Task A_wrong_key_exits_4()
    {
        RdlicResult result = await Rdlic.RunAsync("--server", Server.Url.ToString(), "--token", "wrong-key", "keypack", "list");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("--token", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_can_come_from_RDLIC_TOKEN()
    {
        RdlicResult result = await Rdlic.RunAsync(["--server", Server.Url.ToString(), "keypack", "list", "--json"],
            new Dictionary<string, string> { ["RDLIC_TOKEN"] = Server.AdminToken });

        Assert.Equal(JsonValueKind.Array, Json.Parse(result).ValueKind);
    }

    [Fact]
    public async Task An_auditor_reads_but_cannot_change()
    {
        string key = Json.Parse(await Rdlic.RunAsync([.. G, "key", "add", "audit-1", "--role", "auditor", "--json"])).Str("key");
        string[] asAuditor = ["--server", Server.Url.ToString(), "--token", key];

        RdlicResult list = await Rdlic.RunAsync([.. asAuditor, "keypack", "list", "--json"]);
        Assert.True(list.ExitCode == 0, list.ToString());

        RdlicResult install = await Rdlic.RunAsync([.. asAuditor, "keypack", "install", "--program", "retail", "--code", "BCDFG-HJKMP-QRTVW-XY234-67892",
            "--version", "2022", "--type", "per-device", "--quantity", "1"]);
        Assert.True(install.ExitCode == 4, install.ToString());

        JsonElement keys = Json.Parse(await Rdlic.RunAsync([.. G, "key", "list", "--json"]));
        Assert.Contains(keys.EnumerateArray(), k => k.Str("name") == "audit-1" && k.Str("role") == "auditor");
        Assert.DoesNotContain(key, keys.GetRawText(), StringComparison.Ordinal);

        RdlicResult remove = await Rdlic.RunAsync([.. G, "key", "remove", "audit-1"]);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        RdlicResult after = await Rdlic.RunAsync([.. asAuditor, "keypack", "list"]);
        Assert.True(after.ExitCode == 4, after.ToString());
    }

    [Fact]
    public async Task A_host_key_is_printed_once_and_may_request_cals_until_removed()
    {
        RdlicResult add = await Rdlic.RunAsync([.. G, "host", "add", "rdsh-01"]);
        Assert.True(add.ExitCode == 0, add.ToString());
        string key = add.StdOut.Trim();
        Assert.DoesNotContain('\n', key);
        Assert.Contains("only time", add.StdErr, StringComparison.Ordinal);

        JsonElement hosts = Json.Parse(await Rdlic.RunAsync([.. G, "host", "list", "--json"]));
        Assert.Contains(hosts.EnumerateArray(), h => h.Str("name") == "rdsh-01" && h.Str("role") == "host");

        string[] asHost = ["--server", Server.Url.ToString(), "--token", key];
        RdlicResult request = await Rdlic.RunAsync([.. asHost, "license", "request", "--machine", "PC-H1", "--hwid", Devices.Hwid(1, salt: 77),
            "--host-version", "2022", "--host-name", "rdsh-01", "--json"]);
        JsonElement cal = Json.Parse(request);
        Assert.Contains(cal.Str("status"), new[] { "temporary", "permanent" });

        RdlicResult install = await Rdlic.RunAsync([.. asHost, "keypack", "list"]);
        Assert.True(install.ExitCode == 4, install.ToString());

        RdlicResult remove = await Rdlic.RunAsync([.. G, "host", "remove", "rdsh-01"]);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        RdlicResult denied = await Rdlic.RunAsync([.. asHost, "license", "request", "--machine", "PC-H2", "--hwid", Devices.Hwid(2, salt: 77),
            "--host-version", "2022"]);
        Assert.True(denied.ExitCode == 4, denied.ToString());
    }

    [Fact]
    public async Task License_list_filters_and_prints_every_field()
    {
        string hwid = Devices.Hwid(5, salt: 88);
        JsonElement cal = Json.Parse(await Rdlic.RunAsync([.. G, "license", "request", "--machine", "PC-FILTER", "--hwid", hwid.ToLowerInvariant(),
            "--user", "filter-user", "--host-version", "2019", "--json"]));
        Assert.Equal(hwid, cal.Str("hwid"));

        JsonElement listed = Json.Parse(await Rdlic.RunAsync([.. G, "license", "list", "--machine", "PC-FILTER", "--json"]));
        JsonElement row = Assert.Single(listed.EnumerateArray());
        Assert.Equal(cal.Str("licenseId"), row.Str("licenseId"));
        foreach (string member in new[] { "licenseId", "status", "expiresOn", "machine", "hwid", "keyPackId" })
        {
            Assert.True(row.TryGetProperty(member, out _), $"no {member} in {row}");
        }

        Assert.True(row.TryGetProperty("user", out _), $"no user in {row}");
        JsonElement byHwid = Json.Parse(await Rdlic.RunAsync([.. G, "license", "list", "--hwid", hwid, "--json"]));
        Assert.Single(byHwid.EnumerateArray());

        RdlicResult table = await Rdlic.RunAsync([.. G, "license", "list", "--machine", "PC-FILTER"]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(cal.Str("licenseId"), table.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_list_prints_an_array_of_events()
    {
        await Rdlic.RunAsync([.. G, "license", "request", "--machine", "PC-EV", "--hwid", Devices.Hwid(9, salt: 99), "--host-version", "2022"]);

        JsonElement events = Json.Parse(await Rdlic.RunAsync([.. G, "events", "list", "--json"]));

        Assert.Equal(JsonValueKind.Array, events.ValueKind);
        Assert.NotEmpty(events.EnumerateArray());
        Assert.All(events.EnumerateArray(), e => Assert.True(e.TryGetProperty("eventId", out _)));

        // A server that is not activated says so with event 18.
        Assert.Contains(events.EnumerateArray(), e => e.Int("eventId") == 18);
    }
}
