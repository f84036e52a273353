using System.Security.Cryptography.X509Certificates;
using RdLicensing.Domain;
using RdLicensing.Server.Certificates;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>
/// The license server running in the same process (<c>rdlic serve --rdp</c>): calls <see cref="LicensingService"/>
/// directly, with the same decisions as POST /api/licenses/request, and trusts <see cref="DeploymentCertificates"/>.
/// </summary>
public sealed class InProcessLicenseServer : ILicenseServerConnection
{
    private readonly LicensingService _service;
    private readonly DeploymentCertificates _certificates;
    private readonly string _hostName;

    /// <param name="service">The license server's service.</param>
    /// <param name="certificates">The deployment's certificates (the trust a host needs).</param>
    /// <param name="hostName">The session host's name, recorded as the CAL's host.</param>
    public InProcessLicenseServer(LicensingService service, DeploymentCertificates certificates, string hostName)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(certificates);
        _service = service;
        _certificates = certificates;
        _hostName = hostName;
    }

    public string Name => "in-process";

    public async Task<LicenseServerAnswer> RequestAsync(CalRequest request, CancellationToken cancellationToken)
    {
        LicenseGrant grant = await _service.RequestAsync(request, _hostName, cancellationToken).ConfigureAwait(false);
        Domain.LicenseDecision decision = grant.Decision;
        return new LicenseServerAnswer(decision.Outcome, decision.License?.LicenseId, grant.Cal, decision.License?.ExpiresOn, decision.EventId, decision.Message);
    }

    public Task ValidateAsync(string licenseId, CancellationToken cancellationToken) => _service.ValidateAsync(licenseId, cancellationToken);

    public async Task<IReadOnlyList<X509Certificate2>> TrustAsync(CancellationToken cancellationToken)
    {
        (byte[] ca, IReadOnlyList<byte[]> issued) = await _certificates.TrustAsync(cancellationToken).ConfigureAwait(false);
        return [X509CertificateLoader.LoadCertificate(ca), .. issued.Select(d => X509CertificateLoader.LoadCertificate(d))];
    }
}
