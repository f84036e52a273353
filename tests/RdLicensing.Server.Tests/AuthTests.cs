using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RdLicensing.Contracts;

namespace RdLicensing.Server.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task Health_answers_without_a_key_and_everything_else_wants_one()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient anonymous = server.Client();

        HealthDto? health = await anonymous.GetFromJsonAsync<HealthDto>("/health", TestContext.Current.CancellationToken);
        Assert.Equal("ok", health!.Status);
        Assert.Equal("not-activated", health.ActivationState);
        Assert.Equal(35, health.ServerId!.Length);

        foreach (string path in new[] { "/api/server", "/api/keypacks", "/api/licenses", "/api/events", "/api/trust", "/api/keys", "/openapi/v1.json" })
        {
            HttpResponseMessage response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        HttpResponseMessage post = await anonymous.PostAsJsonAsync("/api/licenses/request", new LicenseRequest("PC1", Api.Hwid(1), "u", "2022"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);

        using HttpClient wrong = server.Client("rdl_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/server", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Admin_token_is_written_with_mode_0600_and_only_its_hash_is_stored()
    {
        await using TestServer server = await TestServer.StartAsync();
        string path = Path.Combine(server.DataDirectory, "admin.token");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.StartsWith("rdl_", server.AdminKey, StringComparison.Ordinal);
        byte[] database = await ReadSharedAsync(Path.Combine(server.DataDirectory, "rdlicensing.db"));
        byte[] wal = File.Exists(Path.Combine(server.DataDirectory, "rdlicensing.db-wal"))
            ? await ReadSharedAsync(Path.Combine(server.DataDirectory, "rdlicensing.db-wal"))
            : [];
        byte[] key = System.Text.Encoding.UTF8.GetBytes(server.AdminKey);
        Assert.Equal(-1, database.AsSpan().IndexOf(key));
        Assert.Equal(-1, wal.AsSpan().IndexOf(key));

        using HttpClient admin = server.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/server", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Auditor_reads_but_cannot_write_and_host_can_request_but_not_administer()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        using HttpClient auditor = server.Client(await server.CreateKeyAsync("audit", "auditor"));
        HttpResponseMessage hostCreated = await admin.PostAsJsonAsync("/api/hosts", new CreateKeyRequest("rdsh01"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, hostCreated.StatusCode);
        using HttpClient host = server.Client((await hostCreated.Content.ReadFromJsonAsync<CreatedKeyDto>(TestContext.Current.CancellationToken))!.Key);

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/keypacks", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/licenses", TestContext.Current.CancellationToken)).StatusCode);
        HttpResponseMessage install = await auditor.PostAsJsonAsync("/api/keypacks", new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 5), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, install.StatusCode);
        Assert.Equal("application/problem+json", install.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/licenses/request", new LicenseRequest("PC1", Api.Hwid(1), "u", "2022"), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync("/api/keys", TestContext.Current.CancellationToken)).StatusCode);

        LicenseResponse granted = await Api.RequestAsync(host, 1, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("issued-temporary", granted.Outcome);
        Assert.Equal("rdsh01", granted.License!.IssuedToHost);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/trust", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/api/keypacks", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostAsync($"/api/licenses/{granted.License.LicenseId}/revoke", null, TestContext.Current.CancellationToken)).StatusCode);

        ApiKeyDto[]? hosts = await auditor.GetFromJsonAsync<ApiKeyDto[]>("/api/hosts", TestContext.Current.CancellationToken);
        Assert.Equal("rdsh01", Assert.Single(hosts!).Name);

        // A removed host key stops working at once.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/hosts/rdsh01", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/trust", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_endpoints()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        using JsonDocument document = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        JsonElement paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/licenses/request", out _));
        Assert.True(paths.TryGetProperty("/api/keypacks", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
