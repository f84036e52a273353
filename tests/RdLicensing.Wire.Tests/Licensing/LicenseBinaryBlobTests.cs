using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class LicenseBinaryBlobTests
{
    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/tests.rs BLOB_BUFFER: a proprietary certificate signature blob.
    private static readonly byte[] Blob = Vectors.Concat(
        [
            0x08, 0x00, // wBlobType: BB_RSA_SIGNATURE_BLOB
            0x48, 0x00, // wBlobLen: 72
        ],
        Vectors.Hex(
            "e9e1d628468b4ef50adffdee2199acb4e18f5f815782ef9d9652632718" +
            "29dbb34afd9ada42adb56921890e1dc04c1aa8aa713e0f54b99ae499683f6cd67684610000000000000000")); // blobData

    [Fact]
    public void Decodes()
    {
        LicenseBinaryBlob blob = Vectors.DecodeAll(Blob, LicenseBinaryBlob.Decode);
        Assert.Equal(BlobType.RsaSignature, blob.WBlobType);
        Assert.Equal(72, blob.WBlobLen);
        Assert.Equal(Blob[4..], blob.BlobData.ToArray());
    }

    [Fact]
    public void Encodes() => Assert.Equal(Blob, Vectors.Encode(Blob.Length, new LicenseBinaryBlob(BlobType.RsaSignature, Blob[4..]).Encode));

    [Fact]
    public void Size() => Assert.Equal(Blob.Length, new LicenseBinaryBlob(BlobType.RsaSignature, Blob[4..]).EncodedSize);

    [Fact]
    public void Unknown_types_decode_when_no_type_is_required() =>
        Assert.Equal(0x0099, Vectors.DecodeAll(Vectors.Hex("99000100ab"), LicenseBinaryBlob.Decode).WBlobType);

    [Fact]
    public void An_empty_blob_may_carry_any_type()
    {
        var reader = new WireReader(Vectors.Hex("77770000"));
        LicenseBinaryBlob blob = LicenseBinaryBlob.Decode(ref reader, "X", "f", BlobType.Certificate);
        Assert.Equal(0, blob.WBlobLen);
    }

    [Theory]
    [InlineData("0800", "blobData")]
    [InlineData("08004800", "blobData")]
    [InlineData("0800ffff00", "blobData")]
    public void Failures(string hex, string field) =>
        Vectors.AssertFails(Vectors.Hex(hex), LicenseBinaryBlob.Decode, LicenseBinaryBlob.Name, field);

    [Fact]
    public void A_wrong_type_names_the_enclosing_structure_and_field()
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new WireReader(Blob);
            LicenseBinaryBlob.Decode(ref reader, ServerLicenseRequest.Name, "ServerCertificate", BlobType.Certificate);
        });
        Assert.Equal(DecodeErrorKind.InvalidField, error.Kind);
        Assert.Equal(ServerLicenseRequest.Name, error.Structure);
        Assert.Equal("ServerCertificate", error.Field);
        Assert.Contains("0x0008", error.Message, StringComparison.Ordinal);
    }
}
