using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using RdLicensing.Contracts;

namespace RdLicensing.Server.Tests;

/// <summary>A license server on Kestrel at 127.0.0.1 on a free port, over its own temporary data directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, string dataDirectory, FakeTimeProvider time)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Time = time;
        BaseAddress = new Uri(app.Urls.Single());
        AdminKey = File.ReadAllText(Path.Combine(dataDirectory, "admin.token")).Trim();
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServer> StartAsync(string? dataDirectory = null, FakeTimeProvider? time = null)
    {
        string data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "rdlic-test-" + Guid.NewGuid().ToString("N"));
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        WebApplication app = LicenseServerHost.Build(new LicenseServerOptions
        {
            DataDirectory = data,
            Urls = "http://127.0.0.1:0",
            Time = time,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new TestServer(app, data, time);
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    public async Task<string> CreateKeyAsync(string name, string role)
    {
        using HttpClient admin = Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keys", new CreateKeyRequest(name, role));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedKeyDto>())!.Key;
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small helpers for the API calls the tests repeat.</summary>
internal static class Api
{
    public static readonly ActivateRequest Activation = new("automatic", "Ada", "Lovelace", "Analytical Engines", "GB");

    public static string Hwid(int device) => $"02000000{device:X8}{new string('A', 24)}";

    public static async Task ActivateAsync(HttpClient admin)
    {
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/server/activate", Activation);
        response.EnsureSuccessStatusCode();
    }

    public static async Task<KeyPackDto> InstallAsync(HttpClient admin, int quantity, string version = "2022", string type = "per-device")
    {
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keypacks", new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", version, type, quantity));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<KeyPackDto>())!;
    }

    public static async Task<LicenseResponse> RequestAsync(HttpClient client, int device, string hostVersion = "2022", CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/licenses/request", new LicenseRequest($"PC{device}", Hwid(device), $"user{device}", hostVersion), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LicenseResponse>(cancellationToken))!;
    }

    public static async Task ValidateAsync(HttpClient client, string licenseId, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response = await client.PostAsync($"/api/licenses/{licenseId}/validate", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public static async Task<KeyPackDto[]> KeyPacksAsync(HttpClient client, CancellationToken cancellationToken = default) =>
        (await client.GetFromJsonAsync<KeyPackDto[]>("/api/keypacks", cancellationToken))!;
}
