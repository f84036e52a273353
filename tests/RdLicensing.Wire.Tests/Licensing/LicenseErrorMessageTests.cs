using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class LicenseErrorMessageTests
{
    // [MS-RDPBCGR] 2.2.1.12 Server License Error PDU - Valid Client; IronRDP tests.rs STATUS_VALID_CLIENT_BUFFER.
    private static readonly byte[] ValidClientPdu =
    [
        0x80, 0x00, 0x00, 0x00, // security header: SEC_LICENSE_PKT
        0xff, 0x03, 0x10, 0x00, // preamble: ERROR_ALERT, version 3, wMsgSize 16
        0x07, 0x00, 0x00, 0x00, // dwErrorCode: STATUS_VALID_CLIENT
        0x02, 0x00, 0x00, 0x00, // dwStateTransition: ST_NO_TRANSITION
        0x04, 0x00, 0x00, 0x00, // bbErrorInfo: BB_ERROR_BLOB, empty
    ];

    [Fact]
    public void Valid_client_decodes()
    {
        LicenseErrorMessage message = Vectors.DecodePdu<LicenseErrorMessage>(ValidClientPdu);
        Assert.True(message.IsValidClient);
        Assert.Equal(LicenseStateTransition.StNoTransition, message.DwStateTransition);
        Assert.True(message.ErrorInfo.IsEmpty);
    }

    [Fact]
    public void Valid_client_encodes_to_the_exact_pdu() => Assert.Equal(ValidClientPdu, Vectors.WithSecurityHeader(LicenseErrorMessage.ValidClient()));

    [Fact]
    public void Valid_client_size() => Assert.Equal(12, LicenseErrorMessage.ValidClient().EncodedSize);

    [Fact]
    public void Invalid_mac_total_abort_encodes()
    {
        var message = new LicenseErrorMessage(LicenseErrorCode.ErrInvalidMac, LicenseStateTransition.StTotalAbort);
        Assert.Equal(Vectors.Hex("80000000 ff031000 03000000 01000000 04000000"), Vectors.WithSecurityHeader(message));
    }

    [Fact]
    public void Unknown_codes_and_error_info_are_kept()
    {
        LicenseErrorMessage message = Vectors.DecodeAll(Vectors.Hex("99000000 05000000 04000200 abcd"), LicenseErrorMessage.Decode);
        Assert.Equal((LicenseErrorCode)0x99, message.DwErrorCode);
        Assert.Equal((LicenseStateTransition)5, message.DwStateTransition);
        Assert.Equal([0xab, 0xcd], message.ErrorInfo.ToArray());
        Assert.Equal(Vectors.Hex("99000000 05000000 04000200 abcd"), Vectors.Encode(message.EncodedSize, message.Encode));
    }

    [Fact]
    public void Empty_error_blob_may_carry_any_type() =>
        Assert.True(Vectors.DecodeAll(Vectors.Hex("07000000 02000000 00000000"), LicenseErrorMessage.Decode).IsValidClient);

    [Theory]
    [InlineData("070000000200000004", null)]
    [InlineData("07000000020000000100 0100 aa", "bbErrorInfo")]
    [InlineData("07000000020000000400 0500 aa", "bbErrorInfo")]
    [InlineData("0700000002000000040000 0000", null)]
    public void Failures(string hex, string? field) =>
        Vectors.AssertFails(Vectors.Hex(hex), LicenseErrorMessage.Decode, LicenseErrorMessage.Name, field);
}
