using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Crypto.Tests;

public sealed class ClientLicenseBuilderTests
{
    [Fact]
    public void Cal_is_a_certificates_only_signed_data_with_the_server_and_client_certificates()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();

        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);

        SignedCms cms = new();
        cms.Decode(cal);
        Assert.Empty(cms.SignerInfos);
        Assert.Equal(2, cms.Certificates.Count);
        X509Certificate2 client = cms.Certificates.Single(c => c.Thumbprint != server.Thumbprint);
        Assert.Contains(cms.Certificates, c => c.RawData.AsSpan().SequenceEqual(server.RawData));
        Assert.Equal(server.SubjectName.RawData, client.IssuerName.RawData);
        Assert.Equal(CalFixtures.Issued.UtcDateTime, client.NotBefore.ToUniversalTime());
        Assert.Equal(CalFixtures.Issued.AddDays(90).UtcDateTime, client.NotAfter.ToUniversalTime());
        Assert.NotNull(client.Extensions[CalOids.RdLicensingCal]);
        Assert.NotNull(client.Extensions[CalOids.MicrosoftLicensedProductInfo]);
        Assert.NotNull(client.Extensions[CalOids.MicrosoftLicenseServerInfo]);

        using RSA serverKey = server.GetRSAPublicKey()!;
        Assert.True(VerifyIssuedBy(client, serverKey));
    }

    [Fact]
    public void Subject_is_one_multi_valued_rdn_of_bmp_strings_as_windows_writes_it()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        SignedCms cms = new();
        cms.Decode(ClientLicenseBuilder.Build(CalFixtures.Content(), server));
        X509Certificate2 client = cms.Certificates.Single(c => c.Thumbprint != server.Thumbprint);

        AsnReader name = new AsnReader(client.SubjectName.RawData, AsnEncodingRules.DER).ReadSequence();
        AsnReader rdn = name.ReadSetOf();
        Assert.False(name.HasData);
        Dictionary<string, string> attributes = [];
        while (rdn.HasData)
        {
            AsnReader attribute = rdn.ReadSequence();
            string oid = attribute.ReadObjectIdentifier();
            Assert.Equal(new Asn1Tag(UniversalTagNumber.BMPString), attribute.PeekTag());
            attributes[oid] = attribute.ReadCharacterString(UniversalTagNumber.BMPString);
        }

        Assert.Equal("LS01", attributes[CalOids.CommonName]);
        Assert.Equal("alice", attributes[CalOids.Locality]);
        Assert.Equal(Convert.ToBase64String(CalFixtures.Hwid), attributes[CalOids.SerialNumber]);
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();

        Assert.Equal(ClientLicenseBuilder.Build(CalFixtures.Content(), server), ClientLicenseBuilder.Build(CalFixtures.Content(), server));
    }

    [Fact]
    public void Certificate_without_private_key_is_rejected()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(server.RawData);

        Assert.Throws<ArgumentException>(() => ClientLicenseBuilder.Build(CalFixtures.Content(), publicOnly));
    }

    [Fact]
    public void Inverted_validity_is_rejected()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        ClientLicenseContent content = CalFixtures.Content() with { NotAfter = CalFixtures.Issued.AddSeconds(-1) };

        Assert.Throws<ArgumentException>(() => ClientLicenseBuilder.Build(content, server));
    }

    private static bool VerifyIssuedBy(X509Certificate2 certificate, RSA issuerKey)
    {
        AsnReader cert = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        ReadOnlyMemory<byte> tbs = cert.ReadEncodedValue();
        cert.ReadSequence();
        byte[] signature = cert.ReadBitString(out _);
        return issuerKey.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
