using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using RdLicensing.Crypto.Cal;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Tests;

public sealed class ClientLicenseReaderTests
{
    [Fact]
    public void Windows_cal_from_the_ironrdp_capture_decodes_as_tsctst_would_show_it()
    {
        byte[] cal = WindowsCal.LicenseInfo;
        Assert.Equal(0x799, cal.Length);
        Assert.Equal("microsoft.com", WindowsCal.Scope);

        ClientLicenseInfo info = ClientLicenseReader.Read(cal);

        Assert.Equal(ClientLicenseFormat.Windows, info.Format);
        Assert.Equal("RODENT", info.Issuer);
        Assert.Null(info.Scope);
        Assert.Null(info.IssuedToComputer);
        Assert.Equal("Administrator", info.IssuedToUser);
        Assert.Equal("030000000F", info.LicenseId);
        Assert.Equal("A02 6.0", info.TypeAndVersion);
        Assert.Equal(new DateTimeOffset(2007, 6, 20, 14, 51, 35, TimeSpan.Zero), info.ValidFrom);
        Assert.Equal(new DateTimeOffset(2007, 9, 18, 14, 51, 35, TimeSpan.Zero), info.ExpiresOn);
        Assert.Equal(0x00050001u, info.ServerCertificateVersion);
        Assert.Equal("6.0", info.LicensedProductVersion);
        Assert.Equal(WindowsCal.Hwid, info.HardwareId);
        Assert.Equal(0xFFu, info.ClientPlatformId);
        Assert.Equal("Microsoft Corporation", info.CompanyName);
        Assert.Equal("A02", info.ProductId);
        Assert.Equal("78440-006-5867045-70347", info.LicenseServerId);
        Assert.Null(info.Temporary);
        Assert.Null(info.Content);
        Assert.NotNull(info.LicenseServerCertificate);
    }

    [Fact]
    public void Our_cal_round_trips_every_content_field()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        ClientLicenseContent content = CalFixtures.Content();

        ClientLicenseInfo info = ClientLicenseReader.Read(ClientLicenseBuilder.Build(content, server));

        Assert.Equal(ClientLicenseFormat.RdLicensing, info.Format);
        ClientLicenseContent read = Assert.IsType<ClientLicenseContent>(info.Content);
        Assert.Equal(content.Hwid, read.Hwid);
        Assert.Equal(content with { Hwid = null }, read with { Hwid = null });
        Assert.Equal("LS01", info.Issuer);
        Assert.Equal("microsoft.com", info.Scope);
        Assert.Equal("testclient", info.IssuedToComputer);
        Assert.Equal("alice", info.IssuedToUser);
        Assert.Equal("17", info.LicenseId);
        Assert.Equal("Temporary PerDevice 10.0", info.TypeAndVersion);
        Assert.Equal(0x00050001u, info.ServerCertificateVersion);
        Assert.Equal("10.0", info.LicensedProductVersion);
        Assert.Equal(2u, info.ClientPlatformId);
        Assert.Equal("Microsoft Corporation", info.CompanyName);
        Assert.Equal("A02", info.ProductId);
        Assert.Equal("00000-00000-00000-00001", info.LicenseServerId);
        Assert.True(info.Temporary);
        Assert.Equal("PerDevice", info.CalType);
        Assert.Equal(server.RawData, info.LicenseServerCertificate);
    }

    [Fact]
    public void Optional_fields_may_be_absent_and_unicode_survives()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer("Sérveur-😀");
        ClientLicenseContent content = CalFixtures.Content(temporary: false) with
        {
            Hwid = null,
            MachineName = null,
            UserName = "Zoë 😀",
            LicenseServerName = "Sérveur-😀",
        };

        ClientLicenseInfo info = ClientLicenseReader.Read(ClientLicenseBuilder.Build(content, server));

        Assert.Equal(content, info.Content);
        Assert.Equal("Permanent PerDevice 10.0", info.TypeAndVersion);
        Assert.Null(info.HardwareId);
        Assert.Null(info.IssuedToComputer);
        Assert.Equal("Zoë 😀", info.IssuedToUser);
        Assert.Equal(0u, info.ClientPlatformId);
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(), server);
        byte[] wrongContentType = cal.ToArray();
        wrongContentType[wrongContentType.AsSpan().IndexOf(Convert.FromHexString("2a864886f70d010702"))+8] = 0x01; // signedData -> data

        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "garbage", "this is not a cal"u8.ToArray() },
            { "truncated", cal[..(cal.Length / 2)] },
            { "trailing bytes", [.. cal, 0x00] },
            { "a bare certificate", server.RawData },
            { "pkcs#7 data instead of signeddata", wrongContentType },
            { "signeddata without certificates", NoCertificates() },
            { "only the license server certificate", ClientLicenseBuilder.CertificatesOnlySignedData(server.RawData) },
            { "two client certificates", TwoClients(server) },
            { "seventeen certificates", ClientLicenseBuilder.CertificatesOnlySignedData([.. Enumerable.Repeat(server.RawData, 17)]) },
            { "certificate that is not a sequence", ClientLicenseBuilder.CertificatesOnlySignedData([0x04, 0x02, 0x00, 0x00]) },
            { "truncated licensed product info", WithExtension(CalOids.MicrosoftLicensedProductInfo, [0x00, 0x30, 0x00]) },
            { "product id offset past the end", WithExtension(CalOids.MicrosoftLicensedProductInfo, ProductInfoWithOffset(0xFFFF)) },
            { "rdlicensing extension of version 2", WithExtension(CalOids.RdLicensingCal, [0x30, 0x03, 0x02, 0x01, 0x02]) },
            { "rdlicensing extension that is not der", WithExtension(CalOids.RdLicensingCal, [0x30, 0x80]) },
            { "server info string without nul", WithExtension(CalOids.MicrosoftLicenseServerInfo, [0, 0x30, 0, 0, 0, 0, 2, 0, 4, 0, 0x41, 0]) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_cals_raise_a_protocol_exception_naming_the_cal(string _, byte[] cal)
    {
        ProtocolException e = Assert.Throws<ProtocolException>(() => ClientLicenseReader.Read(cal));

        Assert.StartsWith("CAL", e.Structure, StringComparison.Ordinal);
        Assert.Equal(ClientLicenseStatus.Malformed, ClientLicenseVerifier.Verify(cal, [], [], DateTimeOffset.UnixEpoch).Status);
    }

    [Fact]
    public void Every_truncation_of_the_windows_cal_raises_a_protocol_exception()
    {
        byte[] cal = WindowsCal.LicenseInfo;
        for (int length = 0; length < cal.Length; length += 13)
        {
            byte[] prefix = cal[..length];
            Assert.Throws<ProtocolException>(() => ClientLicenseReader.Read(prefix));
        }
    }

    [Fact]
    public void Mutated_windows_cals_decode_or_raise_a_protocol_exception_only() =>
        Gen.Select(Gen.Int[0, 0x798], Gen.Byte, Gen.Int[0, 0x798], Gen.Byte).Sample((i, a, j, b) =>
        {
            byte[] cal = WindowsCal.LicenseInfo;
            cal[i] = a;
            cal[j] = b;
            try
            {
                ClientLicenseReader.Read(cal);
            }
            catch (ProtocolException)
            {
            }

            ClientLicenseVerifier.Verify(cal, [], WindowsCal.Hwid, DateTimeOffset.UnixEpoch);
        });

    private static byte[] NoCertificates()
    {
        System.Formats.Asn1.AsnWriter writer = new(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(CalOids.SignedData);
            using (writer.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0, true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                writer.PushSetOf().Dispose();
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(CalOids.Data);
                }

                writer.PushSetOf().Dispose();
            }
        }

        return writer.Encode();
    }

    private static byte[] TwoClients(X509Certificate2 server)
    {
        byte[] a = ClientLicenseReader.Read(ClientLicenseBuilder.Build(CalFixtures.Content(), server)).ClientCertificate;
        byte[] b = ClientLicenseReader.Read(ClientLicenseBuilder.Build(CalFixtures.Content() with { LicenseId = "18" }, server)).ClientCertificate;
        return ClientLicenseBuilder.CertificatesOnlySignedData(server.RawData, a, b);
    }

    private static byte[] WithExtension(string oid, byte[] value)
    {
        using RSA key = RSA.Create(1024);
        CertificateRequest request = new("CN=LS01", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509Extension(oid, value, false));
        if (oid != CalOids.MicrosoftLicensedProductInfo)
        {
            request.CertificateExtensions.Add(new X509Extension(CalOids.MicrosoftLicensedProductInfo, ProductInfoWithOffset(28), false));
        }

        using X509Certificate2 certificate = request.CreateSelfSigned(CalFixtures.Issued, CalFixtures.Issued.AddDays(1));
        return ClientLicenseBuilder.CertificatesOnlySignedData(certificate.RawData);
    }

    /// <summary>A 1.3.6.1.4.1.311.18.5 value like Windows' with the given product id offset.</summary>
    private static byte[] ProductInfoWithOffset(ushort offset)
    {
        byte[] value = Convert.FromHexString("0030000001000000ff000000000400001c000800240016003a00010041003000320000004100300032002d0036002e00300030002d0053000000060000000080648000000000");
        value[16] = (byte)offset;
        value[17] = (byte)(offset >> 8);
        return value;
    }
}
