using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ServerLicenseRequestTests
{
    private static readonly byte[] ServerRandom = Vectors.Hex("84efae20b1d59e36491ae82e0a9989ac49a6474f339b5ab99503a6c6c23c3f61");

    private static readonly byte[] KeyExchangeList =
    [
        0x0d, 0x00, // wBlobType: BB_KEY_EXCHG_ALG_BLOB
        0x04, 0x00, // wBlobLen: 4
        0x01, 0x00, 0x00, 0x00, // KEY_EXCHANGE_ALG_RSA
    ];

    // IronRDP server_license_request/tests.rs, from_buffer_correctly_parses_server_license_request_no_certificate.
    private static readonly byte[] NoCertificateBody = Vectors.Concat(
        ServerRandom, // ServerRandom
        ProductInfoTests.Bytes, // ProductInfo
        KeyExchangeList, // KeyExchangeList
        [0x03, 0x00, 0x00, 0x00], // ServerCertificate: BB_CERTIFICATE_BLOB, empty
        ScopeListTests.Bytes); // ScopeList

    private static byte[] X509Body => Vectors.Load("server-license-request-x509.hex");

    private static ServerLicenseRequest Create(ReadOnlySpan<byte> certificate) =>
        new(ServerRandom, ProductInfoTests.Value, [ServerLicenseRequest.KeyExchangeAlgRsa], certificate, ScopeListTests.Value);

    [Fact]
    public void Windows_x509_request_decodes()
    {
        ServerLicenseRequest request = Vectors.DecodeAll(X509Body, ServerLicenseRequest.Decode);
        Assert.Equal(ServerRandom, request.ServerRandom.ToArray());
        Assert.Equal("Microsoft Corporation", request.ProductInfo.CompanyName);
        Assert.Equal("A02", request.ProductInfo.ProductId);
        Assert.Equal([1u], request.KeyExchangeList.ToArray());
        Assert.Equal(0x0812, request.ServerCertificate.Length);
        Assert.Equal(Vectors.Hex("02000080 02000000 f5020000 3082"), request.ServerCertificate[..14].ToArray()); // 0x80000002, 2 certs, 757 bytes, DER
        Assert.Equal("microsoft.com", Assert.Single(request.ScopeList.ScopeArray).ScopeName);
    }

    [Fact]
    public void Windows_x509_request_encodes()
    {
        byte[] body = X509Body;
        ServerLicenseRequest request = Create(body.AsSpan(32 + 64 + 8 + 4, 0x0812));
        Assert.Equal(body, Vectors.Encode(body.Length, request.Encode));
    }

    [Fact]
    public void Windows_x509_request_size() => Assert.Equal(X509Body.Length, Vectors.DecodeAll(X509Body, ServerLicenseRequest.Decode).EncodedSize);

    [Fact]
    public void Whole_pdu_carries_the_right_wMsgSize()
    {
        byte[] pdu = Vectors.WithSecurityHeader(Vectors.DecodeAll(X509Body, ServerLicenseRequest.Decode));
        Assert.Equal(Vectors.Hex("80000000 01039808"), pdu[..8]); // LICENSE_REQUEST, version 3, wMsgSize 0x0898
        Assert.Equal(X509Body, pdu[8..]);
        Assert.Equal(0x0812, Vectors.DecodePdu<ServerLicenseRequest>(pdu).ServerCertificate.Length);
    }

    [Fact]
    public void IronRDP_header_with_its_wMsgSize_of_0x089C_is_four_bytes_too_long()
    {
        // IronRDP's LICENSE_HEADER_BUFFER_WITH_CERT counts the 4-byte security header in wMsgSize; [MS-RDPBCGR]
        // 2.2.1.12.1.1 counts the preamble and the message only (as every other IronRDP vector does).
        byte[] pdu = Vectors.Concat(Vectors.Hex("80000000 01039c08"), X509Body);
        ProtocolException error = Assert.Throws<ProtocolException>(() => Vectors.DecodePdu<ServerLicenseRequest>(pdu));
        Assert.Equal(LicensePreamble.Name, error.Structure);
        Assert.Equal("wMsgSize", error.Field);
    }

    [Fact]
    public void Empty_certificate_variant_decodes()
    {
        ServerLicenseRequest request = Vectors.DecodeAll(NoCertificateBody, ServerLicenseRequest.Decode);
        Assert.True(request.ServerCertificate.IsEmpty);
        Assert.Equal("microsoft.com", request.ScopeList.ScopeArray[0].ScopeName);
    }

    [Fact]
    public void Empty_certificate_variant_encodes() => Assert.Equal(NoCertificateBody, Vectors.Encode(NoCertificateBody.Length, Create([]).Encode));

    [Fact]
    public void Empty_certificate_variant_size() => Assert.Equal(NoCertificateBody.Length, Create([]).EncodedSize);

    public static TheoryData<string, byte[], string, string?> FailureCases()
    {
        byte[] body = NoCertificateBody;
        int kex = 32 + 64;
        int cert = kex + 8;
        int scopes = cert + 4;
        return new()
        {
            { "truncated random", body[..31], ServerLicenseRequest.Name, "ServerRandom" },
            { "truncated product info", body[..(kex - 1)], ProductInfo.Name, "pbProductId" },
            { "key exchange list of the wrong type", Patch(body, kex, 0x0e), ServerLicenseRequest.Name, "KeyExchangeList" },
            { "key exchange list of 3 bytes", Vectors.Concat(body[..kex], Vectors.Hex("0d000300010000"), body[(kex + 7)..]), ServerLicenseRequest.Name, "KeyExchangeList" },
            { "certificate of the wrong type", Vectors.Concat(body[..cert], Vectors.Hex("04000100aa"), body[scopes..]), ServerLicenseRequest.Name, "ServerCertificate" },
            { "certificate longer than the input", Vectors.Concat(body[..cert], Vectors.Hex("0300ff7f")), ServerLicenseRequest.Name, "ServerCertificate" },
            { "missing scope list", body[..scopes], ScopeList.Name, "ScopeCount" },
            { "trailing bytes", [.. body, 0x00], ServerLicenseRequest.Name, null },
        };
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void Failures(string name, byte[] input, string structure, string? field)
    {
        Assert.NotEmpty(name);
        Vectors.AssertFails(input, ServerLicenseRequest.Decode, structure, field);
    }

    private static byte[] Patch(byte[] bytes, int offset, byte value)
    {
        byte[] copy = [.. bytes];
        copy[offset] = value;
        return copy;
    }
}
