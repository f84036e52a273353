using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class HeaderAndPreambleTests
{
    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/tests.rs LICENSE_HEADER_BUFFER.
    private static readonly byte[] Header =
    [
        0x80, 0x00, // flags: SEC_LICENSE_PKT
        0x00, 0x00, // flagsHi
    ];

    private static readonly byte[] Preamble =
    [
        0xff, // bMsgType: ERROR_ALERT
        0x03, // flags: PREAMBLE_VERSION_3_0
        0x10, 0x00, // wMsgSize: 16
    ];

    [Fact]
    public void Header_decodes() =>
        Assert.Equal(LicensingSecurityHeader.SecLicensePkt, Vectors.DecodeAll(Header, LicensingSecurityHeader.Decode).Flags);

    [Fact]
    public void Header_encodes() =>
        Assert.Equal(Header, Vectors.Encode(4, LicensingSecurityHeader.Plain.Encode));

    [Fact]
    public void Header_size() => Assert.Equal(Header.Length, LicensingSecurityHeader.Plain.EncodedSize);

    [Fact]
    public void Header_tolerates_other_flag_bits()
    {
        // IronRDP #1457: SEC_LICENSE_ENCRYPT_SC and others may come along with SEC_LICENSE_PKT.
        LicensingSecurityHeader header = Vectors.DecodeAll([0x88, 0x02, 0x34, 0x12], LicensingSecurityHeader.Decode);
        Assert.Equal(0x0288, header.Flags);
        Assert.Equal(0x1234, header.FlagsHi);
        Assert.True(header.IsEncrypted);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("8000", null)]
    [InlineData("08000000", "flags")]
    [InlineData("01000000", "flags")]
    public void Header_failures(string hex, string? field) =>
        Vectors.AssertFails(Vectors.Hex(hex), LicensingSecurityHeader.Decode, LicensingSecurityHeader.Name, field);

    [Fact]
    public void Preamble_decodes()
    {
        LicensePreamble preamble = Vectors.DecodeAll(Preamble, LicensePreamble.Decode);
        Assert.Equal(LicensingMessageType.ErrorAlert, preamble.BMsgType);
        Assert.Equal(LicensePreamble.PreambleVersion3, preamble.Version);
        Assert.Equal(16, preamble.WMsgSize);
    }

    [Fact]
    public void Preamble_encodes() =>
        Assert.Equal(Preamble, Vectors.Encode(4, new LicensePreamble(LicensingMessageType.ErrorAlert, 0x03, 16).Encode));

    [Fact]
    public void Preamble_size() => Assert.Equal(Preamble.Length, new LicensePreamble(LicensingMessageType.ErrorAlert, 0x03, 16).EncodedSize);

    [Fact]
    public void Preamble_accepts_version_2_and_the_extended_error_flag()
    {
        Assert.Equal(2, Vectors.DecodeAll(Vectors.Hex("13022000"), LicensePreamble.Decode).Version);
        Assert.Equal(0x83, Vectors.DecodeAll(Vectors.Hex("13832000"), LicensePreamble.Decode).Flags);
    }

    [Theory]
    [InlineData("ff0310", null, DecodeErrorKind.NotEnoughBytes)]
    [InlineData("ff", null, DecodeErrorKind.NotEnoughBytes)]
    [InlineData("ff011000", "flags", DecodeErrorKind.UnsupportedVersion)]
    [InlineData("ff041000", "flags", DecodeErrorKind.UnsupportedVersion)]
    [InlineData("ff030300", "wMsgSize", DecodeErrorKind.InvalidField)]
    public void Preamble_failures(string hex, string? field, DecodeErrorKind kind) =>
        Assert.Equal(kind, Vectors.AssertFails(Vectors.Hex(hex), LicensePreamble.Decode, LicensePreamble.Name, field).Kind);
}
