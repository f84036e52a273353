using System.Net;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>
/// A license server reached over its REST API with this host's key (<c>rdlic host add NAME</c> prints one):
/// POST /api/licenses/request, POST /api/licenses/{id}/validate, GET /api/trust.
/// </summary>
public sealed class RemoteLicenseServer : ILicenseServerConnection, IDisposable
{
    private readonly LicensingClient _client;

    public RemoteLicenseServer(Uri address, string? hostKey, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        _client = new LicensingClient(address, hostKey, handler);
        Name = _client.BaseAddress.ToString().TrimEnd('/');
    }

    public string Name { get; }

    /// <summary>
    /// A license server address from the host registry or the command line: a URL (http or https), or a host name
    /// (or host:port), which means http://NAME:5080 (the default port of <c>rdlic serve</c>).
    /// </summary>
    public static Uri ParseAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new FormatException($"license server '{text}' is not an http or https url");
        }

        string withPort = value.Contains(':', StringComparison.Ordinal) ? value : value + ":5080";
        return Uri.TryCreate("http://" + withPort, UriKind.Absolute, out Uri? address) && value.Length > 0
            ? address
            : throw new FormatException($"license server '{text}' is not a host name, host:port or url");
    }

    public async Task<LicenseServerAnswer> RequestAsync(CalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new LicenseRequest(
            request.Machine,
            request.Hwid?.ToString(),
            request.User,
            request.HostVersion.Key,
            WireNames.Of(request.Mode),
            request.PresentedLicenseId,
            request.HostName);
        LicenseResponse response = await CallAsync(() => _client.RequestLicenseAsync(body, cancellationToken)).ConfigureAwait(false);
        if (!WireNames.TryParse(response.Outcome, out LicenseOutcome outcome))
        {
            throw new LicenseServerUnavailableException(Name, $"unknown outcome '{response.Outcome}'", WindowsEventIds.LicenseServerUnreachable);
        }

        byte[]? cal = null;
        if (response.Cal is not null)
        {
            try
            {
                cal = Convert.FromBase64String(response.Cal);
            }
            catch (FormatException e)
            {
                throw new LicenseServerUnavailableException(Name, "the cal in the answer is not base64", WindowsEventIds.LicenseServerUnreachable, e);
            }
        }

        return new LicenseServerAnswer(outcome, response.License?.LicenseId, cal, response.License?.ExpiresOn, response.EventId, response.Message);
    }

    public Task ValidateAsync(string licenseId, CancellationToken cancellationToken) =>
        CallAsync(() => _client.ValidateLicenseAsync(licenseId, cancellationToken));

    public async Task<IReadOnlyList<X509Certificate2>> TrustAsync(CancellationToken cancellationToken)
    {
        TrustDto trust = await CallAsync(() => _client.GetTrustAsync(cancellationToken)).ConfigureAwait(false);
        try
        {
            return [.. new[] { trust.DeploymentCaCertificate }.Concat(trust.LicenseServerCertificates)
                .Select(b => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(b)))];
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new LicenseServerUnavailableException(Name, "its trust certificates do not decode", WindowsEventIds.LicenseServerUnreachable, e);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (LicensingServerUnreachableException e)
        {
            throw new LicenseServerUnavailableException(Name, e.Reason, WindowsEventIds.LicenseServerUnreachable, e);
        }
        catch (LicensingApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new LicenseServerUnavailableException(Name, $"it does not accept this host's key ({(int)e.StatusCode}): add the host with 'rdlic host add NAME'", WindowsEventIds.HostNotInEndpointServersGroup, e);
        }
        catch (LicensingApiException e) when ((int)e.StatusCode >= 500)
        {
            throw new LicenseServerUnavailableException(Name, $"it failed ({(int)e.StatusCode}): {e.Detail ?? e.Title}", WindowsEventIds.LicenseServerUnreachable, e);
        }
    }

    private Task CallAsync(Func<Task> call) => CallAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });
}
