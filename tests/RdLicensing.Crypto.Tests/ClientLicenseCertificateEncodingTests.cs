using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Crypto.Tests;

/// <summary>
/// ClientLicenseBuilder encodes the client-license certificate itself instead of calling CertificateRequest.Create (which
/// loads its result back as an X509Certificate2). PKCS#1 v1.5 signatures are deterministic, so both must give the same
/// bytes: these tests hold the encoder to CertificateRequest.Create across the inputs that change the encoding.
/// </summary>
public sealed class ClientLicenseCertificateEncodingTests
{
    public static TheoryData<string, string> Validities => new()
    {
        { "2026-11-23T09:00:00+00:00", "2027-02-21T09:00:00+00:00" },
        { "2026-11-23T09:00:00.9876543+00:00", "2027-02-21T09:00:00.5+00:00" },
        { "2026-11-23T10:30:00+01:30", "2027-02-21T23:59:59.9999999-05:00" },
        { "2049-12-31T23:59:59+00:00", "2050-01-01T00:00:00+00:00" },
        { "2060-06-01T00:00:00.25+00:00", "9999-12-31T23:59:59+00:00" },
        { "1970-01-01T00:00:00+00:00", "2049-01-01T00:00:00+00:00" },
    };

    [Theory]
    [MemberData(nameof(Validities))]
    public void The_certificate_is_byte_equal_to_CertificateRequest_Create(string notBefore, string notAfter)
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        ClientLicenseContent content = CalFixtures.Content() with
        {
            NotBefore = DateTimeOffset.Parse(notBefore, System.Globalization.CultureInfo.InvariantCulture),
            NotAfter = DateTimeOffset.Parse(notAfter, System.Globalization.CultureInfo.InvariantCulture),
        };
        AssertSameAsCertificateRequest(content, server);
    }

    [Fact]
    public void Issued_servers_permanent_cals_other_users_and_serials_encode_the_same_too()
    {
        (X509Certificate2 ca, X509Certificate2 issued) = CalFixtures.IssuedLicenseServer();
        using (ca)
        using (issued)
        using (X509Certificate2 selfSigned = CalFixtures.SelfSignedLicenseServer("LS-2048", 2048))
        {
            var random = new Random(20261123);
            for (int i = 0; i < 40; i++)
            {
                byte[] hwid = new byte[20];
                random.NextBytes(hwid);
                ClientLicenseContent content = CalFixtures.Content(temporary: i % 2 == 0, hwid: i % 5 == 0 ? null : hwid) with
                {
                    LicenseId = "license-" + random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    UserName = i % 3 == 0 ? null : "user" + i,
                    MachineName = "PC-" + new string('x', i),
                };
                AssertSameAsCertificateRequest(content, i % 2 == 0 ? issued : selfSigned);
            }
        }
    }

    [Theory]
    [InlineData("01")]
    [InlineData("7F00")]
    [InlineData("80")]
    [InlineData("0080")]
    [InlineData("000001")]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    public void Serials_are_unsigned_as_CertificateRequest_takes_them(string serialHex)
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        ClientLicenseContent content = CalFixtures.Content();
        using RSA key = server.GetRSAPrivateKey()!;
        CertificateRequest request = ClientLicenseBuilder.Request(content, server);
        byte[] serial = Convert.FromHexString(serialHex);
        using X509Certificate2 expected = request.Create(server.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), content.NotBefore, content.NotAfter, serial);
        byte[] encoded = ClientLicenseBuilder.Certificate(
            request, server.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), content.NotBefore, content.NotAfter, serial);
        Assert.Equal(Convert.ToHexString(expected.RawData), Convert.ToHexString(encoded));
    }

    private static void AssertSameAsCertificateRequest(ClientLicenseContent content, X509Certificate2 server)
    {
        byte[] cal = ClientLicenseBuilder.Build(content, server);

        using RSA key = server.GetRSAPrivateKey()!;
        CertificateRequest request = ClientLicenseBuilder.Request(content, server);
        byte[] serial = SerialOf(cal, server);
        using X509Certificate2 expected = request.Create(server.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), content.NotBefore, content.NotAfter, serial);

        byte[] encoded = ClientLicenseBuilder.Certificate(
            request, server.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), content.NotBefore, content.NotAfter, serial);
        Assert.Equal(Convert.ToHexString(expected.RawData), Convert.ToHexString(encoded));
        Assert.Equal(
            Convert.ToHexString(ClientLicenseBuilder.CertificatesOnlySignedData(server.RawData, expected.RawData)),
            Convert.ToHexString(cal));
    }

    // The serial the builder derived (from the license id), read back from its CAL.
    private static byte[] SerialOf(byte[] cal, X509Certificate2 server)
    {
        var cms = new System.Security.Cryptography.Pkcs.SignedCms();
        cms.Decode(cal);
        X509Certificate2 client = cms.Certificates.Single(c => c.Thumbprint != server.Thumbprint);
        return client.SerialNumberBytes.ToArray();
    }
}
