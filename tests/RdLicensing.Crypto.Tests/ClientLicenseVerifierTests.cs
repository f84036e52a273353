using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Crypto.Tests;

public sealed class ClientLicenseVerifierTests
{
    private static readonly DateTimeOffset During = CalFixtures.Issued.AddDays(30);

    [Fact]
    public void Our_cal_is_valid_for_its_hwid_under_its_trusted_license_server()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);

        ClientLicenseVerification result = ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, During);

        Assert.Equal(ClientLicenseStatus.Valid, result.Status);
        Assert.True(result.IsValid);
        Assert.Equal("17", result.License!.LicenseId);
    }

    [Fact]
    public void License_server_issued_by_a_trusted_deployment_ca_is_trusted()
    {
        (X509Certificate2 ca, X509Certificate2 server) = CalFixtures.IssuedLicenseServer();
        using (ca)
        using (server)
        {
            byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content() with { LicenseServerName = "LS02" }, server);

            Assert.Equal(ClientLicenseStatus.Valid, ClientLicenseVerifier.Verify(cal, [ca], CalFixtures.Hwid, During).Status);
        }
    }

    [Fact]
    public void Cal_of_another_license_server_is_untrusted_even_with_the_same_name()
    {
        using X509Certificate2 trusted = CalFixtures.SelfSignedLicenseServer("LS01");
        using X509Certificate2 impostor = CalFixtures.SelfSignedLicenseServer("LS01");
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), impostor);

        Assert.Equal(ClientLicenseStatus.UntrustedIssuer, ClientLicenseVerifier.Verify(cal, [trusted], CalFixtures.Hwid, During).Status);
        Assert.Equal(ClientLicenseStatus.UntrustedIssuer, ClientLicenseVerifier.Verify(cal, [], CalFixtures.Hwid, During).Status);
    }

    [Fact]
    public void Trusted_certificate_that_is_not_a_ca_does_not_vouch_for_the_license_server()
    {
        (X509Certificate2 ca, X509Certificate2 server) = CalFixtures.IssuedLicenseServer();
        using (ca)
        using (server)
        {
            // A leaf with the CA's name and key but without the CA flag.
            using System.Security.Cryptography.RSA caKey = System.Security.Cryptography.RSA.Create(1024);
            byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);
            using X509Certificate2 notCa = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                ca.SubjectName, caKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(CalFixtures.Issued, CalFixtures.Issued.AddYears(1));

            Assert.Equal(ClientLicenseStatus.UntrustedIssuer, ClientLicenseVerifier.Verify(cal, [notCa], CalFixtures.Hwid, During).Status);
        }
    }

    [Fact]
    public void Client_certificate_paired_with_a_trusted_license_server_it_was_not_signed_by_is_a_bad_signature()
    {
        using X509Certificate2 trusted = CalFixtures.SelfSignedLicenseServer("LS01");
        using X509Certificate2 impostor = CalFixtures.SelfSignedLicenseServer("LS01");
        byte[] forgedClient = ClientLicenseReader.Read(ClientLicenseBuilder.Build(CalFixtures.Content(), impostor)).ClientCertificate;
        byte[] cal = ClientLicenseBuilder.CertificatesOnlySignedData(trusted.RawData, forgedClient);

        Assert.Equal(ClientLicenseStatus.BadSignature, ClientLicenseVerifier.Verify(cal, [trusted], CalFixtures.Hwid, During).Status);
    }

    [Fact]
    public void Tampered_client_certificate_is_a_bad_signature()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);
        int at = cal.AsSpan().LastIndexOf("testclient"u8); // the machine name (the HWID holds these bytes too)
        cal[at] = (byte)'T';

        ClientLicenseVerification result = ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, During);

        Assert.Equal(ClientLicenseStatus.BadSignature, result.Status);
        Assert.Equal("Testclient", result.License!.IssuedToComputer);
    }

    [Fact]
    public void Cal_without_the_issuer_certificate_is_untrusted()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] client = ClientLicenseReader.Read(ClientLicenseBuilder.Build(CalFixtures.Content(), server)).ClientCertificate;

        ClientLicenseVerification result = ClientLicenseVerifier.Verify(ClientLicenseBuilder.CertificatesOnlySignedData(client), [server], CalFixtures.Hwid, During);

        Assert.Equal(ClientLicenseStatus.UntrustedIssuer, result.Status);
    }

    [Fact]
    public void Another_hwid_is_a_mismatch()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);
        byte[] other = CalFixtures.Hwid.ToArray();
        other[^1] ^= 1;

        Assert.Equal(ClientLicenseStatus.HwidMismatch, ClientLicenseVerifier.Verify(cal, [server], other, During).Status);
        Assert.Equal(ClientLicenseStatus.HwidMismatch, ClientLicenseVerifier.Verify(cal, [server], [], During).Status);
    }

    [Fact]
    public void Cal_bound_to_no_hwid_matches_only_an_empty_hwid()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content() with { Hwid = null }, server);

        Assert.Equal(ClientLicenseStatus.Valid, ClientLicenseVerifier.Verify(cal, [server], [], During).Status);
        Assert.Equal(ClientLicenseStatus.HwidMismatch, ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, During).Status);
    }

    [Fact]
    public void Validity_is_checked_at_the_given_time_inclusive()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);

        Assert.Equal(ClientLicenseStatus.NotYetValid, ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, CalFixtures.Issued.AddSeconds(-1)).Status);
        Assert.Equal(ClientLicenseStatus.Valid, ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, CalFixtures.Issued).Status);
        Assert.Equal(ClientLicenseStatus.Valid, ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, CalFixtures.Issued.AddDays(90)).Status);
        Assert.Equal(ClientLicenseStatus.Expired, ClientLicenseVerifier.Verify(cal, [server], CalFixtures.Hwid, CalFixtures.Issued.AddDays(90).AddSeconds(1)).Status);
    }

    [Fact]
    public void Windows_cal_verifies_under_its_own_license_server_certificate()
    {
        byte[] cal = WindowsCal.LicenseInfo;
        using X509Certificate2 rodent = X509CertificateLoader.LoadCertificate(ClientLicenseReader.Read(cal).LicenseServerCertificate!);
        DateTimeOffset july2007 = new(2007, 7, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(ClientLicenseStatus.Valid, ClientLicenseVerifier.Verify(cal, [rodent], WindowsCal.Hwid, july2007).Status);
        Assert.Equal(ClientLicenseStatus.Expired, ClientLicenseVerifier.Verify(cal, [rodent], WindowsCal.Hwid, july2007.AddMonths(3)).Status);
        Assert.Equal(ClientLicenseStatus.NotYetValid, ClientLicenseVerifier.Verify(cal, [rodent], WindowsCal.Hwid, july2007.AddMonths(-1)).Status);
        Assert.Equal(ClientLicenseStatus.HwidMismatch, ClientLicenseVerifier.Verify(cal, [rodent], CalFixtures.Hwid, july2007).Status);
        Assert.Equal(ClientLicenseStatus.UntrustedIssuer, ClientLicenseVerifier.Verify(cal, [], WindowsCal.Hwid, july2007).Status);
    }

    [Fact]
    public void Tampered_windows_cal_is_a_bad_signature()
    {
        byte[] cal = WindowsCal.LicenseInfo;
        using X509Certificate2 rodent = X509CertificateLoader.LoadCertificate(ClientLicenseReader.Read(cal).LicenseServerCertificate!);
        int at = cal.AsSpan().IndexOf(System.Text.Encoding.BigEndianUnicode.GetBytes("Admin")); // BMPString is big-endian
        Assert.True(at > 0);
        cal[at + 1] = (byte)'a';

        ClientLicenseVerification result = ClientLicenseVerifier.Verify(cal, [rodent], WindowsCal.Hwid, new DateTimeOffset(2007, 7, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(ClientLicenseStatus.BadSignature, result.Status);
        Assert.Equal("administrator", result.License!.IssuedToUser);
    }
}
