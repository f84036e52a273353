using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Certificates;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// The session host's key material, made on first start and kept in the data directory: the TLS server certificate
/// (self-signed RSA 2048, <c>session-host-tls.pfx</c>) and the licensing/Standard RDP Security keys (a root key and
/// the 512-bit leaf key, PKCS#8 PEM), from which the licensing certificates are rebuilt deterministically.
/// </summary>
public sealed class SessionHostCredentials : IDisposable
{
    private const string TlsFileName = "session-host-tls.pfx";
    private const string RootKeyFileName = "session-host-licensing-root.key";
    private const string LeafKeyFileName = "session-host-licensing-leaf.key";

    // Fixed validity, so the certificates rebuilt from the kept keys are the same on every start.
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2120, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SessionHostCredentials(X509Certificate2 tlsCertificate, SessionHostLicensingCertificates licensing, RSA leafKey)
    {
        TlsCertificate = tlsCertificate;
        TlsCertificateContext = SslStreamCertificateContext.Create(tlsCertificate, additionalCertificates: null, offline: true);
        Licensing = licensing;
        LeafKey = leafKey;
        LeafKeyParameters = leafKey.ExportParameters(includePrivateParameters: true);
        ProprietaryCertificate = licensing.Proprietary.Encode();
        X509CertificateChain = licensing.X509Chain.Encode();
    }

    public X509Certificate2 TlsCertificate { get; }

    /// <summary>
    /// <see cref="TlsCertificate"/> with its chain, built once for every handshake (given the bare certificate, SslStream
    /// makes a new context, chain building included, for each connection).
    /// </summary>
    internal SslStreamCertificateContext TlsCertificateContext { get; }

    /// <summary>The certificates offered in SERVER_LICENSE_REQUEST; the leaf's proprietary form also goes in SC_SECURITY.</summary>
    public SessionHostLicensingCertificates Licensing { get; }

    /// <summary>The 512-bit leaf key: Standard RDP Security server key and licensing key.</summary>
    public RSA LeafKey { get; }

    /// <summary>
    /// <see cref="LeafKey"/> exported once, with its primes (what every connection's two raw RSA private operations
    /// use; exporting from OpenSSL per connection cost more than the operations themselves).
    /// </summary>
    internal RSAParameters LeafKeyParameters { get; }

    /// <summary>The encoded proprietary certificate of <see cref="Licensing"/> (SC_SECURITY, license request under Standard RDP Security).</summary>
    internal byte[] ProprietaryCertificate { get; }

    /// <summary>The encoded X.509 chain of <see cref="Licensing"/> (license request under TLS).</summary>
    internal byte[] X509CertificateChain { get; }

    /// <summary>Loads the credentials from <paramref name="dataDirectory"/>, making any that are missing.</summary>
    public static SessionHostCredentials LoadOrCreate(string dataDirectory, string serverName)
    {
        Directory.CreateDirectory(dataDirectory);
        X509Certificate2 tls = LoadOrCreateTls(Path.Combine(dataDirectory, TlsFileName), serverName);
        using RSA rootKey = LoadOrCreateKey(Path.Combine(dataDirectory, RootKeyFileName), 2048);
        RSA leafKey = LoadOrCreateKey(Path.Combine(dataDirectory, LeafKeyFileName), SessionHostLicensingCertificates.LeafKeySize);
        SessionHostLicensingCertificates licensing = SessionHostLicensingCertificates.Create(serverName, rootKey, leafKey, NotBefore, NotAfter);
        return new SessionHostCredentials(tls, licensing, leafKey);
    }

    public void Dispose()
    {
        TlsCertificate.Dispose();
        Licensing.Dispose();
        LeafKey.Dispose();
    }

    private static X509Certificate2 LoadOrCreateTls(string path, string serverName)
    {
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.Exportable);
        }

        using RSA key = RSA.Create(2048);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(serverName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(serverName);
        request.CertificateExtensions.Add(san.Build());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        byte[] pfx = created.Export(X509ContentType.Pkcs12);
        WritePrivate(path, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
    }

    private static RSA LoadOrCreateKey(string path, int bits)
    {
        if (File.Exists(path))
        {
            RSA key = RSA.Create();
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != bits)
            {
                throw new InvalidDataException($"{path} holds a {key.KeySize}-bit key, expected {bits}");
            }

            return key;
        }

        RSA created = RSA.Create(bits);
        WritePrivate(path, System.Text.Encoding.ASCII.GetBytes(created.ExportPkcs8PrivateKeyPem()));
        return created;
    }

    private static void WritePrivate(string path, byte[] content)
    {
        string temporary = path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
