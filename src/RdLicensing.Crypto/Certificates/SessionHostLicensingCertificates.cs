using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// The certificates a session host offers in SERVER_LICENSE_REQUEST ([MS-RDPELE] 2.2.2.1): a self-signed root and a
/// 512-bit leaf it issued, as Windows does (the client encrypts the premaster secret to the leaf, 5.1.1.1), and
/// the same leaf key as a proprietary certificate signed with the Terminal Services Signing Key.
/// </summary>
/// <param name="Root">The self-signed root (public part).</param>
/// <param name="Leaf">The leaf, carrying its private key (to decrypt the premaster secret).</param>
/// <param name="X509Chain">SERVER_CERTIFICATE with the chain root, leaf (dwVersion 0x80000002).</param>
/// <param name="Proprietary">SERVER_CERTIFICATE with the leaf key as a proprietary certificate (dwVersion 1).</param>
public sealed record SessionHostLicensingCertificates(
    X509Certificate2 Root,
    X509Certificate2 Leaf,
    ServerCertificate X509Chain,
    ServerCertificate Proprietary) : IDisposable
{
    /// <summary>The leaf key size Windows uses and [MS-RDPELE] 5.1.1.1 expects.</summary>
    public const int LeafKeySize = 512;

    /// <summary>
    /// Creates the set from injected keys and validity (no randomness or clock inside). Serial numbers derive from
    /// the keys, so the same inputs give the same certificates.
    /// </summary>
    /// <param name="serverName">The session host's name; the root is CN=name, the leaf CN=name licensing.</param>
    /// <param name="rootKey">The root's RSA key (1024 bits or more).</param>
    /// <param name="leafKey">The leaf's RSA key, 512 bits.</param>
    /// <param name="notBefore">Start of validity of both certificates.</param>
    /// <param name="notAfter">End of validity of both certificates.</param>
    public static SessionHostLicensingCertificates Create(
        string serverName,
        RSA rootKey,
        RSA leafKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        if (leafKey.KeySize != LeafKeySize)
        {
            throw new ArgumentException($"the leaf key must be {LeafKeySize} bits, not {leafKey.KeySize}", nameof(leafKey));
        }

        X500DistinguishedNameBuilder rootName = new();
        rootName.AddCommonName(serverName);
        CertificateRequest rootRequest = new(rootName.Build(), rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using X509Certificate2 rootWithKey = rootRequest.Create(
            rootRequest.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            notBefore,
            notAfter,
            Serial(rootKey));

        X500DistinguishedNameBuilder leafName = new();
        leafName.AddCommonName(serverName + " licensing");
        CertificateRequest leafRequest = new(leafName.Build(), leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(rootWithKey, true, false));
        using X509Certificate2 leafPublic = leafRequest.Create(
            rootWithKey.SubjectName,
            X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            notBefore,
            notAfter,
            Serial(leafKey));

        X509Certificate2 root = X509CertificateLoader.LoadCertificate(rootWithKey.RawData);
        X509Certificate2 leaf = leafPublic.CopyWithPrivateKey(leafKey);
        ServerCertificate chain = ServerCertificate.FromChain(new X509CertificateChain([root.RawData, leaf.RawData]));
        ServerCertificate proprietary = ServerCertificate.FromProprietary(ProprietaryCertificate.Create(leafKey.ExportParameters(false)));
        return new SessionHostLicensingCertificates(root, leaf, chain, proprietary);
    }

    /// <summary>Disposes both certificates.</summary>
    public void Dispose()
    {
        Root.Dispose();
        Leaf.Dispose();
    }

    private static byte[] Serial(RSA key)
    {
        byte[] digest = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        byte[] serial = digest[..12];
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
