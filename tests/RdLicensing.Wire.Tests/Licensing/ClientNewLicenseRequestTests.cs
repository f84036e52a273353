using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ClientNewLicenseRequestTests
{
    private static readonly byte[] ClientRandom = Vectors.Hex("4b5b7b43638a08fed17abaf5918577fe3936f6d778ec6acc894a90412cac5a49");

    private static readonly byte[] EncryptedPremaster = Vectors.Hex(
        "b095f7cb813445856583b2cf5bdffe406fd81414180b2b6daad0380aaf74e951552bdbfd3bd3fb2f3492ddc8af48f391618a5bbd8187ecb8cc0b0bc90d1ce717" +
        "0000000000000000");

    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/client_new_license_request/tests.rs REQUEST_BUFFER (FreeRDP-like).
    internal static readonly byte[] IronRdpBody = Vectors.Concat(
        [0x01, 0x00, 0x00, 0x00], // PreferredKeyExchangeAlg: KEY_EXCHANGE_ALG_RSA
        [0x00, 0x00, 0x01, 0x04], // PlatformId: 0x04010000
        ClientRandom, // ClientRandom
        [0x02, 0x00, 0x48, 0x00], EncryptedPremaster, // EncryptedPreMasterSecret: BB_RANDOM_BLOB, 72 bytes
        [0x0f, 0x00, 0x0c, 0x00], "sample-user\0"u8.ToArray(), // ClientUserName
        [0x10, 0x00, 0x14, 0x00], "sample-machine-name\0"u8.ToArray()); // ClientMachineName

    // rdesktop licence.c licence_send_new_licence_request: zero random, 64 zero bytes + 8 padding, "alice", "testclient".
    internal static readonly byte[] RdesktopBody = Vectors.Concat(
        [0x01, 0x00, 0x00, 0x00], // PreferredKeyExchangeAlg
        [0x00, 0x00, 0x01, 0xff], // PlatformId: 0xFF010000
        new byte[32], // ClientRandom: all zero
        [0x02, 0x00, 0x48, 0x00], new byte[72], // EncryptedPreMasterSecret: all zero
        [0x0f, 0x00, 0x06, 0x00], "alice\0"u8.ToArray(), // ClientUserName
        [0x10, 0x00, 0x0b, 0x00], "testclient\0"u8.ToArray()); // ClientMachineName

    private static readonly ClientNewLicenseRequest IronRdpValue =
        ClientNewLicenseRequest.Create(0x04010000, ClientRandom, EncryptedPremaster, "sample-user", "sample-machine-name");

    [Fact]
    public void Decodes()
    {
        ClientNewLicenseRequest request = Vectors.DecodeAll(IronRdpBody, ClientNewLicenseRequest.Decode);
        Assert.Equal(1u, request.PreferredKeyExchangeAlg);
        Assert.Equal(0x04010000u, request.PlatformId);
        Assert.Equal(ClientRandom, request.ClientRandom.ToArray());
        Assert.Equal(EncryptedPremaster, request.EncryptedPreMasterSecret.ToArray());
        Assert.Equal("sample-user", request.ClientUserNameText);
        Assert.Equal("sample-machine-name", request.ClientMachineNameText);
    }

    [Fact]
    public void Encodes() => Assert.Equal(IronRdpBody, Vectors.Encode(IronRdpBody.Length, IronRdpValue.Encode));

    [Fact]
    public void Size() => Assert.Equal(IronRdpBody.Length, IronRdpValue.EncodedSize);

    [Fact]
    public void Whole_pdu_round_trips_with_the_ironrdp_header()
    {
        // IronRDP LICENSE_HEADER_BUFFER_NO_SIZE 80 00 00 00 13 03, then wMsgSize = body + preamble.
        byte[] pdu = Vectors.WithSecurityHeader(IronRdpValue);
        Assert.Equal(Vectors.Concat(Vectors.Hex("800000001303"), BitConverter.GetBytes((ushort)(IronRdpBody.Length + 4)), IronRdpBody), pdu);
        Assert.Equal("sample-user", Vectors.DecodePdu<ClientNewLicenseRequest>(pdu).ClientUserNameText);
    }

    [Fact]
    public void Rdesktop_request_decodes_and_round_trips()
    {
        ClientNewLicenseRequest request = Vectors.DecodeAll(RdesktopBody, ClientNewLicenseRequest.Decode);
        Assert.Equal(0xFF010000u, request.PlatformId);
        Assert.True(request.ClientRandom.IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(72, request.EncryptedPreMasterSecret.Length);
        Assert.Equal("alice", request.ClientUserNameText);
        Assert.Equal("testclient", request.ClientMachineNameText);
        Assert.Equal(RdesktopBody, Vectors.Encode(request.EncodedSize, request.Encode));
    }

    [Fact]
    public void Names_without_a_terminator_are_kept_byte_for_byte()
    {
        byte[] body = Vectors.Concat(IronRdpBody[..116], [0x0f, 0x00, 0x02, 0x00], "ab"u8.ToArray(), [0x10, 0x00, 0x00, 0x00]);
        ClientNewLicenseRequest request = Vectors.DecodeAll(body, ClientNewLicenseRequest.Decode);
        Assert.Equal("ab", request.ClientUserNameText);
        Assert.Equal("", request.ClientMachineNameText);
        Assert.Equal(body, Vectors.Encode(request.EncodedSize, request.Encode));
    }

    public static TheoryData<string, byte[], string?> FailureCases()
    {
        byte[] body = IronRdpBody;
        return new()
        {
            { "empty", [], null },
            { "truncated random", body[..39], null },
            { "premaster of the wrong type", Patch(body, 40, 0x09), "EncryptedPreMasterSecret" },
            { "premaster longer than the input", Vectors.Concat(body[..40], Vectors.Hex("0200ffff")), "EncryptedPreMasterSecret" },
            { "user name of the machine-name type", Patch(body, 116, 0x10), "ClientUserName" },
            { "machine name missing", body[..132], "ClientMachineName" },
            { "machine name truncated", body[..^1], "ClientMachineName" },
            { "trailing bytes", [.. body, 0x00], null },
        };
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void Failures(string name, byte[] input, string? field)
    {
        Assert.NotEmpty(name);
        Vectors.AssertFails(input, ClientNewLicenseRequest.Decode, ClientNewLicenseRequest.Name, field);
    }

    internal static byte[] Patch(byte[] bytes, int offset, byte value)
    {
        byte[] copy = [.. bytes];
        copy[offset] = value;
        return copy;
    }
}
