using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.Tests;

public sealed class AdminTests
{
    [Fact]
    public async Task Key_packs_with_issued_cals_cannot_be_removed_and_empty_ones_can()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        KeyPackDto used = await Api.InstallAsync(admin, 2);
        KeyPackDto spare = await Api.InstallAsync(admin, 2, version: "2025");
        LicenseResponse temporary = await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken);
        await Api.ValidateAsync(admin, temporary.License!.LicenseId, TestContext.Current.CancellationToken);
        Assert.Equal(used.KeyPackId, (await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken)).License!.KeyPackId);

        HttpResponseMessage refused = await admin.DeleteAsync($"/api/keypacks/{used.KeyPackId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(refused, "keyPackId");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keypacks/{spare.KeyPackId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/keypacks/{spare.KeyPackId}", TestContext.Current.CancellationToken)).StatusCode);
        KeyPackDto kept = (await admin.GetFromJsonAsync<KeyPackDto>($"/api/keypacks/{used.KeyPackId}", TestContext.Current.CancellationToken))!;
        Assert.Equal(("*****-*****-*****-*****-KLMNO", "RDS Per Device CAL", 1), (kept.Code, kept.TypeAndModel, kept.Issued));
    }

    [Fact]
    public async Task Per_user_requests_over_allocate_and_settings_change_the_server()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        KeyPackDto pack = await Api.InstallAsync(admin, 1, type: "per-user");
        foreach (string user in new[] { "alice", "bob" })
        {
            HttpResponseMessage response = await admin.PostAsJsonAsync("/api/licenses/request", new LicenseRequest("PC", null, user, "2022", Mode: "per-user"), TestContext.Current.CancellationToken);
            LicenseResponse answer = (await response.Content.ReadFromJsonAsync<LicenseResponse>(TestContext.Current.CancellationToken))!;
            Assert.Equal("per-user-recorded", answer.Outcome);
            Assert.Equal("per-user", answer.License!.Type);
            Assert.NotNull(answer.Cal);
        }

        KeyPackDto over = (await admin.GetFromJsonAsync<KeyPackDto>($"/api/keypacks/{pack.KeyPackId}", TestContext.Current.CancellationToken))!;
        Assert.Equal((1, 2, 0), (over.Total, over.Issued, over.Available));

        HttpResponseMessage patched = await admin.PatchAsJsonAsync("/api/server/settings", new ServerSettingsRequest("forest", true, "LS-EAST"), TestContext.Current.CancellationToken);
        ServerStatusDto status = (await patched.Content.ReadFromJsonAsync<ServerStatusDto>(TestContext.Current.CancellationToken))!;
        Assert.Equal(("forest", true, "LS-EAST"), (status.DiscoveryScope, status.PreventLicenseUpgrade, status.Name));
        Assert.Matches("^([A-Z0-9]{5}-){6}[A-Z0-9]{5}$", status.ServerIdDisplay);
        HttpResponseMessage badScope = await admin.PatchAsJsonAsync("/api/server/settings", new ServerSettingsRequest("galaxy"), TestContext.Current.CancellationToken);
        await BadInputTests.AssertProblemNamesAsync(badScope, "discoveryScope");

        HttpResponseMessage deactivated = await admin.PostAsJsonAsync("/api/server/deactivate", new DeactivateRequest("telephone", "246810"), TestContext.Current.CancellationToken);
        Assert.Equal("deactivated", (await deactivated.Content.ReadFromJsonAsync<ServerStatusDto>(TestContext.Current.CancellationToken))!.ActivationState);
        HttpResponseMessage byWeb = await admin.PostAsJsonAsync("/api/server/deactivate", new DeactivateRequest("web"), TestContext.Current.CancellationToken);
        await BadInputTests.AssertProblemNamesAsync(byWeb, "method");
    }

    [Fact]
    public async Task An_in_process_session_host_gets_the_same_decisions_through_the_licensing_service()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 1);
        LicensingService licensing = server.Services.GetRequiredService<LicensingService>();

        CalRequest request = CalRequest.Parse("PC9", Api.Hwid(9), "ann", "2022", "per-device", null, null);
        LicenseGrant first = await licensing.RequestAsync(request, "in-process-host", TestContext.Current.CancellationToken);
        Assert.Equal(LicenseOutcome.IssuedTemporary, first.Decision.Outcome);
        Assert.NotNull(first.Cal);
        await licensing.ValidateAsync(first.Decision.License!.LicenseId, TestContext.Current.CancellationToken);

        // The same device over HTTP now gets the upgrade the in-process host would have got.
        LicenseResponse overHttp = await Api.RequestAsync(admin, 9, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("upgraded", overHttp.Outcome);
        Assert.Equal(first.Decision.License.LicenseId, overHttp.License!.LicenseId);
        LicenseGrant again = await licensing.RequestAsync(request with { }, "in-process-host", TestContext.Current.CancellationToken);
        Assert.Equal(LicenseOutcome.Valid, again.Decision.Outcome);
        Assert.Null(again.Cal);

        EventDto[] page = (await admin.GetFromJsonAsync<EventDto[]>("/api/events?take=2", TestContext.Current.CancellationToken))!;
        Assert.Equal(2, page.Length);
        EventDto[] next = (await admin.GetFromJsonAsync<EventDto[]>($"/api/events?after={page[^1].Sequence}&take=1000", TestContext.Current.CancellationToken))!;
        Assert.All(next, e => Assert.True(e.Sequence > page[^1].Sequence));
        Assert.Contains(page.Concat(next), e => e.EventId == WindowsEventIds.ServerActivated && e.Source == WindowsEventIds.LicensingSource);
    }
}
