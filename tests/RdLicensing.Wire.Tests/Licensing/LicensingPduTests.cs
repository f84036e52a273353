using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class LicensingPduTests
{
    [Fact]
    public void Dispatches_every_message_type()
    {
        ILicensingMessage[] messages =
        [
            Vectors.DecodeAll(Vectors.Load("server-license-request-x509.hex"), ServerLicenseRequest.Decode),
            new ServerPlatformChallenge(0, new LicenseBinaryBlob(0, new byte[10]), new byte[16]),
            new ServerNewLicense([1, 2, 3], new byte[16]),
            new ServerUpgradeLicense([1, 2, 3], new byte[16]),
            Vectors.DecodeAll(ClientNewLicenseRequestTests.IronRdpBody, ClientNewLicenseRequest.Decode),
            new ClientLicenseInfo(1, 2, new byte[32], new byte[72], [9], new LicenseBinaryBlob(BlobType.EncryptedData, new byte[20]), new byte[16]),
            new ClientPlatformChallengeResponse(new LicenseBinaryBlob(9, new byte[18]), new LicenseBinaryBlob(9, new byte[20]), new byte[16]),
            LicenseErrorMessage.ValidClient(),
        ];

        foreach (ILicensingMessage message in messages)
        {
            byte[] payload = LicensingPdu.Serialize(message);
            LicensingPdu pdu = LicensingPdu.Decode(payload);
            Assert.Equal(message.MessageType, pdu.Preamble.BMsgType);
            Assert.Equal(payload.Length, pdu.Preamble.WMsgSize);
            Assert.Equal(message.GetType(), pdu.Message.GetType());
            Assert.Equal(payload, pdu.ToBytes());
            Assert.Equal(payload.Length, pdu.EncodedSize);
        }
    }

    [Theory]
    [InlineData("unknown message type", "99030800 00000000", LicensePreamble.Name, "bMsgType", DecodeErrorKind.UnexpectedMessageType)]
    [InlineData("wMsgSize beyond the input", "ff031400 07000000 02000000 04000000", LicensePreamble.Name, "wMsgSize", DecodeErrorKind.NotEnoughBytes)]
    [InlineData("wMsgSize cuts the message", "ff030c00 07000000 02000000 04000000", LicenseErrorMessage.Name, null, DecodeErrorKind.NotEnoughBytes)]
    [InlineData("wMsgSize leaves bytes in the message", "ff031100 07000000 02000000 04000000 00", LicenseErrorMessage.Name, null, DecodeErrorKind.TrailingBytes)]
    [InlineData("bytes after the pdu", "ff031000 07000000 02000000 04000000 00", LicensingPdu.Name, null, DecodeErrorKind.TrailingBytes)]
    [InlineData("empty", "", LicensePreamble.Name, null, DecodeErrorKind.NotEnoughBytes)]
    public void Failures(string name, string hex, string structure, string? field, DecodeErrorKind kind)
    {
        Assert.NotEmpty(name);
        ProtocolException error = Assert.Throws<ProtocolException>(() => LicensingPdu.Decode(Vectors.Hex(hex)));
        Assert.Equal(structure, error.Structure);
        Assert.Equal(field, error.Field);
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void A_failed_decode_leaves_the_position_unchanged_and_a_good_one_takes_wMsgSize_bytes()
    {
        var reader = new WireReader(Vectors.Hex("ff031000 07000000 02000000 04000000 ff031000 07000000 02000000 0400"));
        _ = LicensingPdu.Decode(ref reader);
        Assert.Equal(16, reader.Position);
        try
        {
            _ = LicensingPdu.Decode(ref reader);
            Assert.Fail("the truncated second pdu decoded");
        }
        catch (ProtocolException)
        {
            Assert.Equal(16, reader.Position);
        }
    }

    [Fact]
    public void A_message_too_big_for_wMsgSize_is_caller_misuse() =>
        Assert.Throws<ArgumentException>(() => LicensingPdu.Create(new ServerNewLicense(new byte[65535], new byte[16])));
}
