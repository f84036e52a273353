using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Crypto.Tests;

/// <summary>License server certificates and CAL contents for the CAL tests.</summary>
internal static class CalFixtures
{
    public static readonly DateTimeOffset Issued = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public static readonly byte[] Hwid = Convert.FromHexString("0200000074657374636c69656e740000000000ff");

    /// <summary>A self-signed license server certificate (CA, path length 0), as Windows' license server holds.</summary>
    public static X509Certificate2 SelfSignedLicenseServer(string name = "LS01", int bits = 1024)
    {
        using RSA key = RSA.Create(bits);
        CertificateRequest request = new($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Issued.AddYears(-1), Issued.AddYears(20));
    }

    /// <summary>A deployment CA and a license server certificate it issued (with the private key).</summary>
    public static (X509Certificate2 Ca, X509Certificate2 LicenseServer) IssuedLicenseServer()
    {
        using RSA caKey = RSA.Create(1024);
        CertificateRequest caRequest = new("CN=Deployment CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        X509Certificate2 ca = caRequest.CreateSelfSigned(Issued.AddYears(-2), Issued.AddYears(30));

        using RSA lsKey = RSA.Create(1024);
        CertificateRequest lsRequest = new("CN=LS02", lsKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        lsRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        using X509Certificate2 issued = lsRequest.Create(ca, Issued.AddYears(-1), Issued.AddYears(20), [0x42]);
        return (ca, issued.CopyWithPrivateKey(lsKey));
    }

    public static ClientLicenseContent Content(bool temporary = true, byte[]? hwid = null) => new(
        LicenseId: "17",
        Hwid: hwid ?? Hwid,
        MachineName: "testclient",
        UserName: "alice",
        ProductVersion: "10.0",
        CalType: "PerDevice",
        Temporary: temporary,
        NotBefore: Issued,
        NotAfter: Issued.AddDays(90),
        LicenseServerName: "LS01",
        LicenseServerId: "00000-00000-00000-00001",
        Scope: "microsoft.com",
        CompanyName: "Microsoft Corporation",
        ProductId: "A02");
}
