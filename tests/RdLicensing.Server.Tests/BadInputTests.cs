using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RdLicensing.Contracts;

namespace RdLicensing.Server.Tests;

public sealed class BadInputTests
{
    public static TheoryData<string, string, string> BadKeyPacks => new()
    {
        { "malformed retail code", """{"program":"retail","code":"ABCDE-12345","version":"2022","type":"per-device","quantity":5}""", "code" },
        { "retail code with bad characters", """{"program":"retail","code":"ABCDE-12345-FGHIJ-67890-KLM!O","version":"2022","type":"per-device","quantity":5}""", "code" },
        { "agreement number not 7 digits", """{"program":"select","code":"123456","version":"2022","type":"per-device","quantity":5}""", "code" },
        { "open license without authorization", """{"program":"open","code":"12345678","version":"2022","type":"per-device","quantity":5}""", "code" },
        { "unknown program", """{"program":"bargain","code":"1234567","version":"2022","type":"per-device","quantity":5}""", "program" },
        { "unknown version", """{"program":"select","code":"1234567","version":"2031","type":"per-device","quantity":5}""", "version" },
        { "unknown type", """{"program":"select","code":"1234567","version":"2022","type":"per-socket","quantity":5}""", "type" },
        { "zero quantity", """{"program":"select","code":"1234567","version":"2022","type":"per-device","quantity":0}""", "quantity" },
        { "negative quantity", """{"program":"select","code":"1234567","version":"2022","type":"per-device","quantity":-3}""", "quantity" },
        { "quantity not a number", """{"program":"select","code":"1234567","version":"2022","type":"per-device","quantity":"many"}""", "quantity" },
        { "not json", "this is not json", "body" },
    };

    [Theory]
    [MemberData(nameof(BadKeyPacks))]
    public async Task Bad_key_pack_installs_are_problems_naming_the_field_and_change_nothing(string because, string json, string field)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 5);
        string before = await admin.GetStringAsync("/api/keypacks", TestContext.Current.CancellationToken);

        HttpResponseMessage response = await admin.PostAsync("/api/keypacks", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await AssertProblemNamesAsync(response, field);
        Assert.Equal(before, await admin.GetStringAsync("/api/keypacks", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Key_packs_cannot_be_installed_before_activation()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keypacks", new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 5), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty((await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Activation_needs_the_contact_fields()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/server/activate", Api.Activation with { Company = " " }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemNamesAsync(response, "company");
        response = await admin.PostAsJsonAsync("/api/server/activate", Api.Activation with { Method = "carrier-pigeon" }, TestContext.Current.CancellationToken);
        await AssertProblemNamesAsync(response, "method");
        ServerStatusDto? status = await admin.GetFromJsonAsync<ServerStatusDto>("/api/server", TestContext.Current.CancellationToken);
        Assert.Equal("not-activated", status!.ActivationState);
        Assert.Null(status.Contact);
    }

    [Fact]
    public async Task Bad_license_requests_name_the_field()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        (LicenseRequest Request, string Field)[] cases =
        [
            (new LicenseRequest("PC1", "XYZ", "u", "2022"), "hwid"),
            (new LicenseRequest("PC1", null, "u", "2022"), "hwid"),
            (new LicenseRequest("PC1", Api.Hwid(1), "u", "1999"), "hostVersion"),
            (new LicenseRequest("PC1", Api.Hwid(1), "u", "2022", Mode: "per-cpu"), "mode"),
            (new LicenseRequest("PC1", Api.Hwid(1), null, "2022", Mode: "per-user"), "user"),
        ];
        foreach ((LicenseRequest request, string field) in cases)
        {
            HttpResponseMessage response = await admin.PostAsJsonAsync("/api/licenses/request", request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await AssertProblemNamesAsync(response, field);
        }

        LicensePageDto? page = await admin.GetFromJsonAsync<LicensePageDto>("/api/licenses", TestContext.Current.CancellationToken);
        Assert.Equal(0, page!.Total);
    }

    [Fact]
    public async Task Unknown_licenses_key_packs_and_hosts_are_404_problems()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        HttpResponseMessage[] responses =
        [
            await admin.PostAsync("/api/licenses/NOSUCHLICENSE/validate", null, TestContext.Current.CancellationToken),
            await admin.PostAsync("/api/licenses/NOSUCHLICENSE/revoke", null, TestContext.Current.CancellationToken),
            await admin.GetAsync("/api/licenses/NOSUCHLICENSE", TestContext.Current.CancellationToken),
            await admin.DeleteAsync("/api/keypacks/999", TestContext.Current.CancellationToken),
            await admin.DeleteAsync("/api/hosts/nosuchhost", TestContext.Current.CancellationToken),
        ];
        foreach (HttpResponseMessage response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        HttpResponseMessage badQuery = await admin.GetAsync("/api/licenses?take=0", TestContext.Current.CancellationToken);
        await AssertProblemNamesAsync(badQuery, "take");
        HttpResponseMessage badStatus = await admin.GetAsync("/api/licenses?status=lost", TestContext.Current.CancellationToken);
        await AssertProblemNamesAsync(badStatus, "status");
        HttpResponseMessage badName = await admin.PostAsJsonAsync("/api/hosts", new CreateKeyRequest("bad name!"), TestContext.Current.CancellationToken);
        await AssertProblemNamesAsync(badName, "name");
        HttpResponseMessage lastAdmin = await admin.DeleteAsync("/api/keys/admin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, lastAdmin.StatusCode);
    }

    internal static async Task AssertProblemNamesAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}");
        }
    }
}
