using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class PlatformChallengeResponseDataTests
{
    private static readonly byte[] Challenge = [0x54, 0x00, 0x45, 0x00, 0x53, 0x00, 0x54, 0x00, 0x00, 0x00]; // "TEST\0"

    // IronRDP client_platform_challenge_response/test.rs PLATFORM_CHALLENGE_RESPONSE_DATA_BUFFER.
    private static readonly byte[] Bytes = Vectors.Concat(
        [0x00, 0x01], // wVersion: 0x0100
        [0x00, 0x01], // wClientType: WIN32_PLATFORM_CHALLENGE_TYPE
        [0x03, 0x00], // wLicenseDetailLevel: LICENSE_DETAIL_DETAIL
        [0x0a, 0x00], // cbChallenge: 10
        Challenge); // pbChallenge

    private static readonly PlatformChallengeResponseData Value =
        new(PlatformChallengeResponseData.Version, PlatformChallengeResponseData.ClientTypeWin32, PlatformChallengeResponseData.DetailDetail, Challenge);

    [Fact]
    public void Decodes()
    {
        PlatformChallengeResponseData data = PlatformChallengeResponseData.Decode(Bytes);
        Assert.Equal(0x0100, data.WVersion);
        Assert.Equal(PlatformChallengeResponseData.ClientTypeWin32, data.WClientType);
        Assert.Equal(PlatformChallengeResponseData.DetailDetail, data.WLicenseDetailLevel);
        Assert.Equal(Challenge, data.PbChallenge.ToArray());
    }

    [Fact]
    public void Encodes() => Assert.Equal(Bytes, Value.ToBytes());

    [Fact]
    public void Size() => Assert.Equal(Bytes.Length, Value.EncodedSize);

    [Fact]
    public void FreeRDP_layout_decodes()
    {
        // rdpele.md section 3: FreeRDP sends 00 01 00 ff 03 00 0a 00 then the challenge.
        PlatformChallengeResponseData data = PlatformChallengeResponseData.Decode(Vectors.Concat(Vectors.Hex("000100ff03000a00"), Challenge));
        Assert.Equal(PlatformChallengeResponseData.ClientTypeOther, data.WClientType);
    }

    [Theory]
    [InlineData("IronRDP builder's 8 leading zero bytes", "0000000000000000000100ff03000a00540045005300540000 00", "wVersion", DecodeErrorKind.UnsupportedVersion)]
    [InlineData("rdesktop's raw challenge is not this structure", "54004500530054000000", "wVersion", DecodeErrorKind.UnsupportedVersion)]
    [InlineData("detail level 0", "0001000100000000", "wLicenseDetailLevel", DecodeErrorKind.InvalidField)]
    [InlineData("detail level 4", "0001000104000000", "wLicenseDetailLevel", DecodeErrorKind.InvalidField)]
    [InlineData("challenge longer than the input", "000100010300ffff5400", "pbChallenge", DecodeErrorKind.NotEnoughBytes)]
    [InlineData("truncated fixed part", "00010001030000", null, DecodeErrorKind.NotEnoughBytes)]
    [InlineData("trailing bytes", "00010001030001005400", null, DecodeErrorKind.TrailingBytes)]
    public void Failures(string name, string hex, string? field, DecodeErrorKind kind)
    {
        Assert.NotEmpty(name);
        ProtocolException error = Assert.Throws<ProtocolException>(() => PlatformChallengeResponseData.Decode(Vectors.Hex(hex)));
        Assert.Equal(PlatformChallengeResponseData.Name, error.Structure);
        Assert.Equal(field, error.Field);
        Assert.Equal(kind, error.Kind);
    }
}
