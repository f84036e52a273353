using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Server.Certificates;

/// <summary>
/// The deployment's own certificate authority, which stands in for Microsoft's Clearinghouse, and the certificates it
/// issues this license server. All live in the store (with their private keys, as PKCS#12) so several nodes on one
/// database share them.
/// <list type="bullet">
/// <item>"deployment-ca": RSA 2048, self-signed, CA:true; created at first start unless the admin brings a PFX.</item>
/// <item>"temporary-issuer": issued by the CA at first start; signs the temporary CALs a server issues before it is
/// activated (Windows' server has no Clearinghouse certificate then either).</item>
/// <item>"license-server:&lt;thumbprint&gt;": issued by the CA at each activation; signs every CAL from then on. The
/// server row records the current thumbprint; earlier ones stay so CALs they signed still verify.</item>
/// </list>
/// </summary>
public sealed class DeploymentCertificates
{
    public const string CaName = "deployment-ca";
    public const string TemporaryIssuerName = "temporary-issuer";
    public const string LicenseServerPrefix = "license-server:";

    private readonly ILicenseStore _store;
    private readonly TimeProvider _time;
    private readonly LicenseServerOptions _options;
    private readonly ConcurrentDictionary<string, X509Certificate2> _loaded = new(StringComparer.Ordinal);

    public DeploymentCertificates(ILicenseStore store, TimeProvider time, LicenseServerOptions options)
    {
        _store = store;
        _time = time;
        _options = options;
    }

    /// <summary>Creates (or adopts from the PFX option) the CA and the temporary issuer when the store has none.</summary>
    public async Task InitializeAsync(LicenseServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        StoredCertificate? ca = await _store.ReadAsync(s => s.FindCertificate(CaName), cancellationToken).ConfigureAwait(false);
        if (ca is null)
        {
            StoredCertificate created = _options.CaPfx is { } path ? AdoptCa(path, _options.CaPfxPassword) : CreateCa(server);
            await _store.WriteAsync(s => s.AddCertificateIfAbsent(created), cancellationToken).ConfigureAwait(false);
        }

        StoredCertificate? issuer = await _store.ReadAsync(s => s.FindCertificate(TemporaryIssuerName), cancellationToken).ConfigureAwait(false);
        if (issuer is null)
        {
            StoredCertificate created = await IssueAsync(TemporaryIssuerName, $"CN={Escape(server.Name)} temporary issuance, OU={server.ServerId.Value}, O=RdLicensing", cancellationToken).ConfigureAwait(false);
            await _store.WriteAsync(s => s.AddCertificateIfAbsent(created), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A new license-server certificate from the CA (not stored: the caller stores it with the activation).</summary>
    public Task<StoredCertificate> IssueLicenseServerCertificateAsync(LicenseServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return IssueAsync(null, $"CN={Escape(server.Name)}, OU={server.ServerId.Value}, O=RdLicensing", cancellationToken);
    }

    /// <summary>The certificate (with private key) that signs CALs now: the activation certificate, else the temporary issuer.</summary>
    public X509Certificate2 SigningCertificate(LicenseServer server, ILicenseSession session)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(session);
        string name = server.CertificateThumbprint is { } thumbprint ? LicenseServerPrefix + thumbprint : TemporaryIssuerName;
        if (_loaded.TryGetValue(name, out X509Certificate2? cached))
        {
            return cached;
        }

        StoredCertificate stored = session.FindCertificate(name)
            ?? throw new InvalidOperationException($"the store has no certificate '{name}': the deployment certificates were not initialized");
        X509Certificate2 certificate = Load(stored.Pkcs12);
        return _loaded.GetOrAdd(name, certificate);
    }

    /// <summary>The CA certificate and every certificate it issued this server (DER).</summary>
    public async Task<(byte[] Ca, IReadOnlyList<byte[]> Issued)> TrustAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredCertificate> all = await _store.ReadAsync(s => s.Certificates(), cancellationToken).ConfigureAwait(false);
        byte[]? ca = null;
        var issued = new List<byte[]>();
        foreach (StoredCertificate stored in all)
        {
            using X509Certificate2 certificate = Load(stored.Pkcs12);
            if (stored.Name == CaName)
            {
                ca = certificate.RawData;
            }
            else
            {
                issued.Add(certificate.RawData);
            }
        }

        return (ca ?? throw new InvalidOperationException("the store has no deployment ca"), issued);
    }

    /// <summary>Loads a stored PKCS#12 (no password) with an exportable, ephemeral private key.</summary>
    public static X509Certificate2 Load(byte[] pkcs12) =>
        X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);

    private StoredCertificate CreateCa(LicenseServer server)
    {
        DateTimeOffset now = _time.GetUtcNow();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=RdLicensing Deployment CA {server.ServerId.Value[..10]}, O=RdLicensing", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using X509Certificate2 ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        return new StoredCertificate(CaName, ca.Export(X509ContentType.Pkcs12), ca.Thumbprint, now);
    }

    private StoredCertificate AdoptCa(string path, string? password)
    {
        using X509Certificate2 ca = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        if (!ca.HasPrivateKey || ca.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"the ca pfx '{path}' holds no rsa private key");
        }

        if (ca.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new InvalidOperationException($"the certificate in '{path}' is not a certificate authority (basic constraints ca:true)");
        }

        return new StoredCertificate(CaName, ca.Export(X509ContentType.Pkcs12), ca.Thumbprint, _time.GetUtcNow());
    }

    private async Task<StoredCertificate> IssueAsync(string? name, string subject, CancellationToken cancellationToken)
    {
        StoredCertificate caStored = await _store.ReadAsync(s => s.FindCertificate(CaName), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the store has no deployment ca");
        using X509Certificate2 ca = Load(caStored.Pkcs12);
        DateTimeOffset now = _time.GetUtcNow();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        // The license server certificate issues the client-license certificates inside each CAL, so it is a (leaf) CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        DateTimeOffset notAfter = now.AddYears(10) < ca.NotAfter ? now.AddYears(10) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using X509Certificate2 issued = request.Create(ca, now.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(16));
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        return new StoredCertificate(name ?? LicenseServerPrefix + withKey.Thumbprint, withKey.Export(X509ContentType.Pkcs12), withKey.Thumbprint, now);
    }

    private static string Escape(string value) => value.Replace(",", " ", StringComparison.Ordinal).Replace("=", " ", StringComparison.Ordinal).Replace("+", " ", StringComparison.Ordinal);
}
