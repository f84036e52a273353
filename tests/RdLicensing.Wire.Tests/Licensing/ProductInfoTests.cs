using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ProductInfoTests
{
    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/server_license_request/tests.rs PRODUCT_INFO_BUFFER (Windows).
    internal static readonly byte[] Bytes = Vectors.Concat(
        [0x00, 0x00, 0x06, 0x00], // dwVersion: 0x00060000
        [0x2c, 0x00, 0x00, 0x00], // cbCompanyName: 44
        Vectors.Hex("4d006900630072006f0073006f0066007400200043006f00720070006f0072006100740069006f006e000000"), // pbCompanyName
        [0x08, 0x00, 0x00, 0x00], // cbProductId: 8
        [0x41, 0x00, 0x30, 0x00, 0x32, 0x00, 0x00, 0x00]); // pbProductId: "A02"

    internal static readonly ProductInfo Value = new(ProductInfo.Version6, "Microsoft Corporation", "A02");

    [Fact]
    public void Decodes()
    {
        ProductInfo info = Vectors.DecodeAll(Bytes, ProductInfo.Decode);
        Assert.Equal(0x00060000u, info.DwVersion);
        Assert.Equal("Microsoft Corporation", info.CompanyName);
        Assert.Equal("A02", info.ProductId);
    }

    [Fact]
    public void Encodes() => Assert.Equal(Bytes, Vectors.Encode(Bytes.Length, Value.Encode));

    [Fact]
    public void Size() => Assert.Equal(Bytes.Length, Value.EncodedSize);

    [Theory]
    [InlineData("000006", null)] // truncated
    [InlineData("0000060001000000000000000000", "pbCompanyName")] // IronRDP invalid-string case: cbCompanyName 1
    [InlineData("00000600030000004100000000000000", "pbCompanyName")] // odd length
    [InlineData("0000060004000000410042000000000000", "pbCompanyName")] // not nul-terminated
    [InlineData("00000600ffffffff4100", "pbCompanyName")] // length far beyond the input
    [InlineData("00000600060000004100000000000000", "pbCompanyName")] // nul before the terminator (found by DecoderProperties)
    [InlineData("00000600040000004100000004000000410000", "pbProductId")] // product id truncated
    [InlineData("000006000400000041000000", "cbProductId")] // product id missing
    public void Failures(string hex, string? field) => Vectors.AssertFails(Vectors.Hex(hex), ProductInfo.Decode, ProductInfo.Name, field);

    [Fact]
    public void Rejects_nul_inside_a_name() => Assert.Throws<ArgumentException>(() => new ProductInfo(1, "a\0b", "A02"));
}
