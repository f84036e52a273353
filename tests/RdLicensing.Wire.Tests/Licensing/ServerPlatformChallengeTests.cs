using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ServerPlatformChallengeTests
{
    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/tests.rs and server_platform_challenge/test.rs PLATFORM_CHALLENGE_BUFFER.
    private static readonly byte[] Pdu =
    [
        0x80, 0x00, 0x00, 0x00, // security header
        0x02, 0x03, 0x26, 0x00, // preamble: PLATFORM_CHALLENGE, version 3, wMsgSize 38
        0x00, 0x00, 0x00, 0x00, // ConnectFlags
        0x00, 0x00, // wBlobType: 0, ignored by clients
        0x0a, 0x00, // wBlobLen: 10
        0x46, 0x37, 0x85, 0x54, 0x8e, 0xc5, 0x91, 0x34, 0x97, 0x5d, // encrypted challenge
        0x38, 0x23, 0x62, 0x5d, 0x10, 0x8b, 0x93, 0xc3, 0xf1, 0xe4, 0x67, 0x1f, 0x4a, 0xb6, 0x00, 0x0a, // MACData
    ];

    private static readonly ServerPlatformChallenge Value =
        new(0, new LicenseBinaryBlob(BlobType.Any, Pdu.AsSpan(16, 10)), Pdu.AsSpan(26, 16));

    [Fact]
    public void Decodes()
    {
        ServerPlatformChallenge challenge = Vectors.DecodePdu<ServerPlatformChallenge>(Pdu);
        Assert.Equal(0u, challenge.ConnectFlags);
        Assert.Equal(Pdu[16..26], challenge.EncryptedPlatformChallenge.BlobData.ToArray());
        Assert.Equal(Pdu[26..], challenge.MacData.ToArray());
    }

    [Fact]
    public void Encodes() => Assert.Equal(Pdu, Vectors.WithSecurityHeader(Value));

    [Fact]
    public void Size() => Assert.Equal(Pdu.Length - 8, Value.EncodedSize);

    [Fact]
    public void Junk_blob_type_still_decodes()
    {
        // IronRDP from_buffer_correctly_parses_server_platform_challenge_resiliently; rdesktop skips the type too.
        byte[] pdu = [.. Pdu];
        pdu[12] = 0xbe;
        pdu[13] = 0xef;
        Assert.Equal(Pdu[16..26], Vectors.DecodePdu<ServerPlatformChallenge>(pdu).EncryptedPlatformChallenge.BlobData.ToArray());
    }

    [Theory]
    [InlineData(0, "ConnectFlags")]
    [InlineData(3, "ConnectFlags")]
    [InlineData(6, "EncryptedPlatformChallenge")]
    [InlineData(10, "EncryptedPlatformChallenge")]
    [InlineData(19, "MACData")]
    [InlineData(33, "MACData")]
    public void Truncations(int length, string field) =>
        Vectors.AssertFails(Pdu[8..(8 + length)], ServerPlatformChallenge.Decode, ServerPlatformChallenge.Name, field);

    [Fact]
    public void Blob_longer_than_the_input_fails() =>
        Vectors.AssertFails(Vectors.Concat(new byte[4], Vectors.Hex("0000ffff"), new byte[26]), ServerPlatformChallenge.Decode, ServerPlatformChallenge.Name, "EncryptedPlatformChallenge");

    [Fact]
    public void Trailing_bytes_fail_in_the_dispatcher()
    {
        byte[] pdu = [.. Pdu, 0x00];
        pdu[6] = 0x27;
        ProtocolException error = Assert.Throws<ProtocolException>(() => Vectors.DecodePdu<ServerPlatformChallenge>(pdu));
        Assert.Equal(DecodeErrorKind.TrailingBytes, error.Kind);
        Assert.Equal(ServerPlatformChallenge.Name, error.Structure);
    }
}
