using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ClientPlatformChallengeResponseTests
{
    // IronRDP client_platform_challenge_response/test.rs CLIENT_PLATFORM_CHALLENGE_RESPONSE_BUFFER (70 bytes).
    private static readonly byte[] Pdu = Vectors.Concat(
        [0x80, 0x00, 0x00, 0x00], // security header
        [0x15, 0x03, 0x42, 0x00], // preamble: PLATFORM_CHALLENGE_RESPONSE, version 3, wMsgSize 66
        [0x09, 0x00, 0x12, 0x00], Vectors.Hex("fab4e824cf56b24e8002bdb661fcdfe96c44"), // EncryptedPlatformChallengeResponse
        [0x09, 0x00, 0x14, 0x00], Vectors.Hex("f8b5e8253d0f3f701dda601916fe731a457e0271"), // EncryptedHWID
        Vectors.Hex("3823625d108b93c3f1e4671f4ab6000a")); // MACData

    // rdesktop licence.c licence_send_platform_challenge_response: BB_DATA_BLOB, the encrypted challenge echoed, length 58.
    private static readonly byte[] RdesktopPdu = Vectors.Concat(
        [0x80, 0x00, 0x00, 0x00], // security header
        [0x15, 0x03, 0x3a, 0x00], // preamble: wMsgSize 58
        [0x01, 0x00, 0x0a, 0x00], Vectors.Hex("46378554 8ec59134 975d"), // EncryptedPlatformChallengeResponse: 10 bytes
        [0x01, 0x00, 0x14, 0x00], new byte[20], // EncryptedHWID
        new byte[16]); // MACData

    private static ClientPlatformChallengeResponse Value => new(
        new LicenseBinaryBlob(BlobType.EncryptedData, Pdu.AsSpan(12, 18)),
        new LicenseBinaryBlob(BlobType.EncryptedData, Pdu.AsSpan(34, 20)),
        Pdu.AsSpan(54, 16));

    [Fact]
    public void Decodes()
    {
        ClientPlatformChallengeResponse response = Vectors.DecodePdu<ClientPlatformChallengeResponse>(Pdu);
        Assert.Equal(BlobType.EncryptedData, response.EncryptedPlatformChallengeResponse.WBlobType);
        Assert.Equal(Pdu[12..30], response.EncryptedPlatformChallengeResponse.BlobData.ToArray());
        Assert.Equal(Pdu[34..54], response.EncryptedHwid.BlobData.ToArray());
        Assert.Equal(Pdu[54..], response.MacData.ToArray());
    }

    [Fact]
    public void Encodes() => Assert.Equal(Pdu, Vectors.WithSecurityHeader(Value));

    [Fact]
    public void Size() => Assert.Equal(Pdu.Length - 8, Value.EncodedSize);

    [Fact]
    public void Rdesktop_raw_echo_with_blob_type_1_decodes_and_round_trips()
    {
        ClientPlatformChallengeResponse response = Vectors.DecodePdu<ClientPlatformChallengeResponse>(RdesktopPdu);
        Assert.Equal(BlobType.Data, response.EncryptedPlatformChallengeResponse.WBlobType);
        Assert.Equal(10, response.EncryptedPlatformChallengeResponse.WBlobLen);
        Assert.Equal(BlobType.Data, response.EncryptedHwid.WBlobType);
        Assert.Equal(RdesktopPdu, Vectors.WithSecurityHeader(response));
    }

    [Theory]
    [InlineData("response of the random type", 0, 0x02, "EncryptedPlatformChallengeResponse")]
    [InlineData("response of the certificate type", 0, 0x03, "EncryptedPlatformChallengeResponse")]
    [InlineData("hwid of the scope type", 22, 0x0e, "EncryptedHWID")]
    public void Bad_blob_types(string name, int offset, byte type, string field)
    {
        Assert.NotEmpty(name);
        byte[] body = Pdu[8..];
        body[offset] = type;
        Vectors.AssertFails(body, ClientPlatformChallengeResponse.Decode, ClientPlatformChallengeResponse.Name, field);
    }

    [Theory]
    [InlineData(2, "EncryptedPlatformChallengeResponse")]
    [InlineData(21, "EncryptedPlatformChallengeResponse")]
    [InlineData(25, "EncryptedHWID")]
    [InlineData(57, "MACData")]
    public void Truncations(int length, string field) =>
        Vectors.AssertFails(Pdu[8..(8 + length)], ClientPlatformChallengeResponse.Decode, ClientPlatformChallengeResponse.Name, field);

    [Fact]
    public void Trailing_bytes_fail() =>
        Vectors.AssertFails([.. Pdu[8..], 0x01], ClientPlatformChallengeResponse.Decode, ClientPlatformChallengeResponse.Name, null);
}
