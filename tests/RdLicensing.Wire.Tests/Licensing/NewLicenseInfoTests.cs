using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class NewLicenseInfoTests
{
    private static byte[] Bytes => Vectors.Load("new-license-info-windows.hex");

    private static readonly byte[] Small = Vectors.Concat(
        [0x00, 0x00, 0x06, 0x00], // dwVersion: 0x00060000
        [0x0e, 0x00, 0x00, 0x00], "microsoft.com\0"u8.ToArray(), // cbScope, pbScope
        [0x2c, 0x00, 0x00, 0x00], Vectors.Hex("4d006900630072006f0073006f0066007400200043006f00720070006f0072006100740069006f006e000000"), // cbCompanyName, pbCompanyName
        [0x08, 0x00, 0x00, 0x00], [0x41, 0x00, 0x30, 0x00, 0x32, 0x00, 0x00, 0x00], // cbProductId, pbProductId
        [0x03, 0x00, 0x00, 0x00], [0x30, 0x01, 0x00]); // cbLicenseInfo, pbLicenseInfo

    [Fact]
    public void Windows_license_info_decodes()
    {
        NewLicenseInfo info = NewLicenseInfo.Decode(Bytes);
        Assert.Equal(NewLicenseInfo.Version6, info.DwVersion);
        Assert.Equal("microsoft.com", info.Scope);
        Assert.Equal("Microsoft Corporation", info.CompanyName);
        Assert.Equal("A02", info.ProductId);
        Assert.Equal(0x0799, info.LicenseInfo.Length);
        Assert.Equal(Bytes[^0x0799..], info.LicenseInfo.ToArray());
        Assert.Equal([0x30, 0x82], info.LicenseInfo[..2].ToArray()); // a DER SEQUENCE: the PKCS#7 CAL
    }

    [Fact]
    public void Windows_license_info_encodes()
    {
        byte[] bytes = Bytes;
        Assert.Equal(bytes, new NewLicenseInfo(NewLicenseInfo.Version6, "microsoft.com", "Microsoft Corporation", "A02", bytes.AsSpan(bytes.Length - 0x0799)).ToBytes());
    }

    [Fact]
    public void Windows_license_info_size() => Assert.Equal(2031, NewLicenseInfo.Decode(Bytes).EncodedSize);

    [Fact]
    public void Small_triad()
    {
        var value = new NewLicenseInfo(NewLicenseInfo.Version6, "microsoft.com", "Microsoft Corporation", "A02", [0x30, 0x01, 0x00]);
        Assert.Equal(Small, value.ToBytes());
        Assert.Equal(Small.Length, value.EncodedSize);
        Assert.Equal([0x30, 0x01, 0x00], NewLicenseInfo.Decode(Small).LicenseInfo.ToArray());
    }

    public static TheoryData<string, byte[], string?> FailureCases()
    {
        byte[] s = Small;
        return new()
        {
            { "empty", [], "dwVersion" },
            { "scope length beyond the input", Vectors.Concat(s[..4], Vectors.Hex("ffffff7f")), "pbScope" },
            { "scope length of 4 gigabytes", Vectors.Concat(s[..4], Vectors.Hex("ffffffff")), "pbScope" },
            { "scope not nul-terminated", ClientNewLicenseRequestTests.Patch(s, 8 + 13, 0x41), "pbScope" },
            { "company of odd length", Vectors.Concat(s[..22], Vectors.Hex("03000000410000"), s[70..]), "pbCompanyName" },
            { "license length beyond the input", s[..^1], "pbLicenseInfo" },
            { "license length missing", s[..^7], "cbLicenseInfo" },
            { "trailing bytes", [.. s, 0x00], null },
        };
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void Failures(string name, byte[] input, string? field)
    {
        Assert.NotEmpty(name);
        ProtocolException error = Assert.Throws<ProtocolException>(() => NewLicenseInfo.Decode(input));
        Assert.Equal(NewLicenseInfo.Name, error.Structure);
        Assert.Equal(field, error.Field);
    }
}
