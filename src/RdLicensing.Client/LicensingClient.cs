using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RdLicensing.Contracts;

namespace RdLicensing.Client;

/// <summary>
/// A typed client for the license server's REST API (docs/api.md): one method per endpoint, returning the contract DTOs.
/// An error answer throws <see cref="LicensingApiException"/> (status code and problem details); a server that cannot be
/// reached throws <see cref="LicensingServerUnreachableException"/>. Thread-safe: one instance can serve many callers.
/// </summary>
public sealed class LicensingClient : IDisposable
{
    /// <summary>The serializer options of the API: System.Text.Json web defaults (camelCase, case-insensitive reads).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The largest page <see cref="ListAllLicensesAsync"/> asks for.</summary>
    public const int LicensePageSize = 500;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>
    /// Uses <paramref name="http"/> as configured by the caller: its <see cref="HttpClient.BaseAddress"/> is the server
    /// and its default headers carry the key (if any). The caller owns and disposes it.
    /// </summary>
    public LicensingClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _ownsHttp = false;
        _baseAddress = NormalizeBase(http.BaseAddress
            ?? throw new ArgumentException("the HttpClient has no BaseAddress: set it to the license server's address", nameof(http)));
    }

    /// <summary>Talks to the server at <paramref name="baseAddress"/> with the API key <paramref name="apiKey"/> (none when null).</summary>
    public LicensingClient(Uri baseAddress, string? apiKey)
        : this(baseAddress, apiKey, handler: null)
    {
    }

    /// <summary>As <see cref="LicensingClient(Uri, string?)"/>, over a caller's message handler (not disposed by this client).</summary>
    public LicensingClient(Uri baseAddress, string? apiKey, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _baseAddress = NormalizeBase(baseAddress);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _ownsHttp = true;
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            _authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
        }
    }

    /// <summary>The server's base address (always ends with '/').</summary>
    public Uri BaseAddress => _baseAddress;

    // ---- health and server ----

    /// <summary>GET /health (answers without a key).</summary>
    public Task<HealthDto> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync<HealthDto>(HttpMethod.Get, "health", null, cancellationToken);

    /// <summary>GET /api/server.</summary>
    public Task<ServerStatusDto> GetServerAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ServerStatusDto>(HttpMethod.Get, "api/server", null, cancellationToken);

    /// <summary>POST /api/server/activate.</summary>
    public Task<ServerStatusDto> ActivateAsync(ActivateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ServerStatusDto>(HttpMethod.Post, "api/server/activate", Body(request), cancellationToken);

    /// <summary>POST /api/server/deactivate.</summary>
    public Task<ServerStatusDto> DeactivateAsync(DeactivateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ServerStatusDto>(HttpMethod.Post, "api/server/deactivate", Body(request), cancellationToken);

    /// <summary>PATCH /api/server/settings.</summary>
    public Task<ServerStatusDto> UpdateSettingsAsync(ServerSettingsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ServerStatusDto>(HttpMethod.Patch, "api/server/settings", Body(request), cancellationToken);

    // ---- key packs ----

    /// <summary>GET /api/keypacks.</summary>
    public Task<IReadOnlyList<KeyPackDto>> ListKeyPacksAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<KeyPackDto>>(HttpMethod.Get, "api/keypacks", null, cancellationToken);

    /// <summary>GET /api/keypacks/{keyPackId}.</summary>
    public Task<KeyPackDto> GetKeyPackAsync(string keyPackId, CancellationToken cancellationToken = default) =>
        SendAsync<KeyPackDto>(HttpMethod.Get, "api/keypacks/" + Segment(keyPackId, nameof(keyPackId)), null, cancellationToken);

    /// <summary>POST /api/keypacks.</summary>
    public Task<KeyPackDto> InstallKeyPackAsync(InstallKeyPackRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<KeyPackDto>(HttpMethod.Post, "api/keypacks", Body(request), cancellationToken);

    /// <summary>DELETE /api/keypacks/{keyPackId}.</summary>
    public Task RemoveKeyPackAsync(string keyPackId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/keypacks/" + Segment(keyPackId, nameof(keyPackId)), null, cancellationToken);

    // ---- licenses ----

    /// <summary>GET /api/licenses: one page.</summary>
    public Task<LicensePageDto> ListLicensesAsync(LicenseQuery? query = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var parameters = new List<(string, string?)>
        {
            ("status", query?.Status),
            ("type", query?.Type),
            ("version", query?.Version),
            ("machine", query?.Machine),
            ("user", query?.User),
            ("hwid", query?.Hwid),
            ("keyPackId", query?.KeyPackId),
            ("search", query?.Search),
            ("skip", skip.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("take", take.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        return SendAsync<LicensePageDto>(HttpMethod.Get, "api/licenses" + QueryString(parameters), null, cancellationToken);
    }

    /// <summary>GET /api/licenses, following every page; stops when a page is empty or the total is reached.</summary>
    public async Task<IReadOnlyList<LicenseDto>> ListAllLicensesAsync(LicenseQuery? query = null, CancellationToken cancellationToken = default)
    {
        var all = new List<LicenseDto>();
        while (true)
        {
            LicensePageDto page = await ListLicensesAsync(query, all.Count, LicensePageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            if (page.Items.Count == 0 || all.Count >= page.Total)
            {
                return all;
            }
        }
    }

    /// <summary>GET /api/licenses/{licenseId}.</summary>
    public Task<LicenseDto> GetLicenseAsync(string licenseId, CancellationToken cancellationToken = default) =>
        SendAsync<LicenseDto>(HttpMethod.Get, "api/licenses/" + Segment(licenseId, nameof(licenseId)), null, cancellationToken);

    /// <summary>POST /api/licenses/request: what a session host does when a client connects. Refusals are answers (outcome "refused").</summary>
    public Task<LicenseResponse> RequestLicenseAsync(LicenseRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<LicenseResponse>(HttpMethod.Post, "api/licenses/request", Body(request), cancellationToken);

    /// <summary>POST /api/licenses/{licenseId}/validate: the client logged on with this CAL.</summary>
    public Task<LicenseDto> ValidateLicenseAsync(string licenseId, CancellationToken cancellationToken = default) =>
        SendAsync<LicenseDto>(HttpMethod.Post, "api/licenses/" + Segment(licenseId, nameof(licenseId)) + "/validate", null, cancellationToken);

    /// <summary>
    /// POST /api/licenses/{licenseId}/revoke. A refusal by the 20% rule throws <see cref="LicensingApiException"/> (409);
    /// read its fields with <see cref="TryGetRevocationRefusal"/>.
    /// </summary>
    public Task<LicenseDto> RevokeLicenseAsync(string licenseId, CancellationToken cancellationToken = default) =>
        SendAsync<LicenseDto>(HttpMethod.Post, "api/licenses/" + Segment(licenseId, nameof(licenseId)) + "/revoke", null, cancellationToken);

    /// <summary>The revocation refusal carried by a 409 problem, or null when the problem is not one.</summary>
    public static RevocationRefusalDto? TryGetRevocationRefusal(LicensingApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        IReadOnlyDictionary<string, JsonElement> extensions = exception.Extensions;
        if (exception.StatusCode != HttpStatusCode.Conflict
            || !extensions.TryGetValue("revocableCals", out JsonElement revocable)
            || !revocable.TryGetInt32(out int revocableCals))
        {
            return null;
        }

        int revoked = extensions.TryGetValue("revokedCount", out JsonElement r) && r.TryGetInt32(out int rv) ? rv : 0;
        int installed = extensions.TryGetValue("installedCount", out JsonElement i) && i.TryGetInt32(out int iv) ? iv : 0;
        DateTimeOffset? next = extensions.TryGetValue("nextRevokeAllowedOn", out JsonElement n)
            && n.ValueKind == JsonValueKind.String && n.TryGetDateTimeOffset(out DateTimeOffset nv) ? nv : null;
        return new RevocationRefusalDto(revoked, installed, revocableCals, next);
    }

    // ---- hosts and keys ----

    /// <summary>GET /api/hosts.</summary>
    public Task<IReadOnlyList<ApiKeyDto>> ListHostsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApiKeyDto>>(HttpMethod.Get, "api/hosts", null, cancellationToken);

    /// <summary>POST /api/hosts: a session host's key, shown once.</summary>
    public Task<CreatedKeyDto> AddHostAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedKeyDto>(HttpMethod.Post, "api/hosts", Body(new CreateKeyRequest(name, "host")), cancellationToken);

    /// <summary>DELETE /api/hosts/{name}.</summary>
    public Task RemoveHostAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/hosts/" + Segment(name, nameof(name)), null, cancellationToken);

    /// <summary>GET /api/keys.</summary>
    public Task<IReadOnlyList<ApiKeyDto>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApiKeyDto>>(HttpMethod.Get, "api/keys", null, cancellationToken);

    /// <summary>POST /api/keys: a key of any role, shown once.</summary>
    public Task<CreatedKeyDto> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedKeyDto>(HttpMethod.Post, "api/keys", Body(request), cancellationToken);

    /// <summary>DELETE /api/keys/{name}.</summary>
    public Task RemoveKeyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/keys/" + Segment(name, nameof(name)), null, cancellationToken);

    // ---- events and trust ----

    /// <summary>GET /api/events: events after sequence <paramref name="after"/> (all when null), at most <paramref name="take"/>.</summary>
    public Task<IReadOnlyList<EventDto>> ListEventsAsync(long? after = null, int? take = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<EventDto>>(
            HttpMethod.Get,
            "api/events" + QueryString([
                ("after", after?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("take", take?.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            null,
            cancellationToken);

    /// <summary>GET /api/trust.</summary>
    public Task<TrustDto> GetTrustAsync(CancellationToken cancellationToken = default) =>
        SendAsync<TrustDto>(HttpMethod.Get, "api/trust", null, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    // ---- plumbing ----

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendCoreAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        try
        {
            T? value = await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken).ConfigureAwait(false);
            return value ?? throw Unexpected(response, "the answer was empty");
        }
        catch (JsonException ex)
        {
            throw Unexpected(response, "the answer is not the expected JSON: " + ex.Message);
        }
        catch (NotSupportedException ex)
        {
            throw Unexpected(response, "the answer is not JSON: " + ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // A server that dies while sending its answer ends the body early: HttpIOException, an IOException.
            throw new LicensingServerUnreachableException(_baseAddress, "the connection broke while reading the answer", ex);
        }
    }

    private async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendCoreAsync(method, path, content, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseAddress, path);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_authorization is not null)
        {
            request.Headers.Authorization = _authorization;
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new LicensingServerUnreachableException(_baseAddress, DescribeConnectionFailure(ex), ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LicensingServerUnreachableException(_baseAddress, $"no answer within {_http.Timeout.TotalSeconds:0} seconds", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                body = "";
            }

            ProblemDetailsData problem = ProblemDetailsData.Parse(body);
            if (problem.Title is null && problem.Detail is null)
            {
                problem = new ProblemDetailsData
                {
                    Type = problem.Type,
                    Title = response.ReasonPhrase,
                    Status = problem.Status ?? (int)response.StatusCode,
                    Instance = problem.Instance,
                    Errors = problem.Errors,
                    Extensions = problem.Extensions,
                };
            }

            throw new LicensingApiException(response.StatusCode, problem, method.Method, uri);
        }
    }

    private LicensingApiException Unexpected(HttpResponseMessage response, string detail) =>
        new(response.StatusCode, new ProblemDetailsData { Title = "unexpected answer", Detail = detail, Status = (int)response.StatusCode },
            response.RequestMessage?.Method.Method ?? "?", response.RequestMessage?.RequestUri ?? _baseAddress);

    private static string DescribeConnectionFailure(HttpRequestException exception)
    {
        if (exception.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (is `rdlic serve` running?)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.ConnectionReset => "connection reset",
                _ => socket.Message.ToLowerInvariant(),
            };
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host name not found",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.SecureConnectionError => "tls handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before an answer arrived",
            _ => exception.Message.ToLowerInvariant(),
        };
    }

    /// <summary>
    /// The body serialized up front: it goes out with a Content-Length, in the same write as the headers, instead of
    /// JsonContent's chunked stream (a chunk framing on both sides and more writes on the socket per request).
    /// </summary>
    private static ByteArrayContent Body<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        return content;
    }

    private static string Segment(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        return Uri.EscapeDataString(value);
    }

    private static string QueryString(IEnumerable<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder();
        foreach ((string name, string? value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    private static Uri NormalizeBase(Uri baseAddress)
    {
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the server address must be an absolute http or https address, got '{baseAddress}'", nameof(baseAddress));
        }

        string text = baseAddress.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
