using RdLicensing.Protocol.Licensing;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Tests.Licensing;

public sealed class LicensingServerExchangeTests
{
    private static readonly byte[] Cal = [0x30, 0x82, 0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05];

    // [MS-RDPBCGR] 2.2.1.12 Valid Client, after the security header.
    private static readonly byte[] ValidClientPayload = Convert.FromHexString("FF031000070000000200000004000000");

    // ERR_INVALID_MAC, ST_TOTAL_ABORT, empty BB_ERROR_BLOB.
    private static readonly byte[] InvalidMacPayload = Convert.FromHexString("FF031000030000000100000004000000");

    [Fact]
    public void Start_sends_the_license_request()
    {
        LicensingServerExchange server = ServerSetup.Tls(seed: 7);
        byte[] payload = ServerSetup.Run(server.Start, out LicensingStepResult result);
        Assert.Equal(LicensingExchangeState.AwaitingClientRequest, result.State);

        LicensingPdu pdu = LicensingPdu.Decode(payload);
        Assert.Equal(0x03, pdu.Preamble.Flags); // version 3, no EXTENDED_ERROR_MSG_SUPPORTED
        ServerLicenseRequest request = Assert.IsType<ServerLicenseRequest>(pdu.Message);
        byte[] expectedRandom = new byte[32];
        new Random(7).NextBytes(expectedRandom);
        Assert.Equal(expectedRandom, request.ServerRandom.ToArray());
        Assert.Equal("A02", request.ProductInfo.ProductId);
        Assert.Equal(0x00060000u, request.ProductInfo.DwVersion);
        Assert.Equal([ServerLicenseRequest.KeyExchangeAlgRsa], request.KeyExchangeList.ToArray());
        Assert.Equal(ServerSetup.Certificate, request.ServerCertificate.ToArray());
        Assert.Equal("microsoft.com", Assert.Single(request.ScopeList.ScopeArray).ScopeName);
    }

    [Fact]
    public void Rdesktop_style_client_gets_a_new_license()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop, "alice", "testclient");

        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out LicensingStepResult result);
        Assert.Equal(LicensingExchangeState.AwaitingPlatformChallengeResponse, result.State);
        Assert.Equal(LicensingServerExchange.PlatformChallenge.ToArray(), client.DecryptChallenge(challenge));
        ServerPlatformChallenge pdu = Assert.IsType<ServerPlatformChallenge>(LicensingPdu.Decode(challenge).Message);
        Assert.Equal(10, pdu.EncryptedPlatformChallenge.WBlobLen); // rdesktop requires exactly 10

        byte[] nothing = ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out result);
        Assert.Empty(nothing);
        Assert.True(result.NeedsDecision);
        LicenseDecisionRequest request = Assert.IsType<LicenseDecisionRequest>(server.PendingDecision);
        Assert.Equal(LicenseDecisionRequestKind.NewLicense, request.Kind);
        Assert.Equal(0xFF010000u, request.PlatformId);
        Assert.Equal("alice", request.ClientUserName);
        Assert.Equal("testclient", request.ClientMachineName);
        Assert.Equal(client.Hwid, request.HardwareId.Bytes.ToArray());
        Assert.Equal("02000000" + Convert.ToHexString("testclient"u8) + "000000000000", request.HardwareId.ToString());
        Assert.Null(request.PresentedLicense);

        byte[] license = ServerSetup.Run(o => server.Decide(LicenseDecision.IssueNewLicense(Cal), o), out result);
        Assert.Equal(LicensingExchangeState.Completed, result.State);
        Assert.True(result.IsFinished);
        Assert.Equal(LicensingExchangeOutcome.NewLicenseIssued, server.Outcome);
        Assert.IsType<ServerNewLicense>(LicensingPdu.Decode(license).Message);
        NewLicenseInfo info = client.OnLicense(license);
        Assert.Equal(Cal, info.LicenseInfo.ToArray());
        Assert.Equal(0x00060000u, info.DwVersion);
        Assert.Equal("microsoft.com", info.Scope);
        Assert.Equal("Microsoft Corporation", info.CompanyName);
        Assert.Equal("A02", info.ProductId);
    }

    [Fact]
    public void FreeRdp_style_client_gets_a_new_license()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.FreeRdp, "bob", "fclient");

        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);
        ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out LicensingStepResult result);
        Assert.True(result.NeedsDecision);
        LicenseDecisionRequest request = server.PendingDecision!;
        Assert.Equal(("bob", "fclient", 0x04010000u), (request.ClientUserName, request.ClientMachineName, request.PlatformId));
        Assert.Equal(client.Hwid, request.HardwareId.Bytes.ToArray());

        byte[] license = ServerSetup.Run(o => server.Decide(LicenseDecision.IssueNewLicense(Cal), o), out _);
        Assert.Equal(Cal, client.OnLicense(license).LicenseInfo.ToArray());
    }

    [Fact]
    public void Standard_rdp_security_sends_no_certificate_and_decrypts_with_the_gcc_key()
    {
        LicensingServerExchange server = ServerSetup.StandardRdpSecurity();
        var client = new TestLicensingClient(ClientStyle.FreeRdp, gccKey: ServerSetup.PublicKey);

        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);
        Assert.True(client.LastRequest!.ServerCertificate.IsEmpty);
        ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out LicensingStepResult result);
        Assert.True(result.NeedsDecision);
    }

    [Theory]
    [InlineData(ClientStyle.Rdesktop)]
    [InlineData(ClientStyle.FreeRdp)]
    public void Presented_license_with_a_good_mac_reaches_the_driver_and_is_upgraded(ClientStyle style)
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(style);

        byte[] nothing = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _), storedCal: Cal), o), out LicensingStepResult result);
        Assert.Empty(nothing);
        Assert.True(result.NeedsDecision);
        LicenseDecisionRequest request = server.PendingDecision!;
        Assert.Equal(LicenseDecisionRequestKind.PresentedLicense, request.Kind);
        Assert.Equal(Cal, request.PresentedLicense);
        Assert.Equal(client.Hwid, request.HardwareId.Bytes.ToArray());
        Assert.Null(request.ClientUserName);
        Assert.Null(request.ClientMachineName);

        byte[] upgraded = [.. Cal, 0xff];
        byte[] license = ServerSetup.Run(o => server.Decide(LicenseDecision.UpgradeLicense(upgraded), o), out result);
        Assert.IsType<ServerUpgradeLicense>(LicensingPdu.Decode(license).Message);
        Assert.Equal(upgraded, client.OnLicense(license).LicenseInfo.ToArray());
        Assert.Equal(LicensingExchangeOutcome.LicenseUpgraded, server.Outcome);
        Assert.Equal(LicensingExchangeState.Completed, result.State);
    }

    [Fact]
    public void Valid_client_answer_sends_the_exact_valid_client_pdu()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop);
        ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _), storedCal: Cal), o), out _);

        byte[] payload = ServerSetup.Run(o => server.Decide(LicenseDecision.ValidClient(), o), out LicensingStepResult result);
        Assert.Equal(ValidClientPayload, payload);
        Assert.Equal((LicensingExchangeState.Completed, LicensingExchangeOutcome.ValidClient), (result.State, server.Outcome));
    }

    [Fact]
    public void Error_answer_sends_the_error_and_refuses()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.FreeRdp);
        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);
        ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out _);

        byte[] payload = ServerSetup.Run(o => server.Decide(LicenseDecision.Refuse(LicenseErrorCode.ErrNoLicenseServer, LicenseStateTransition.StTotalAbort), o), out LicensingStepResult result);
        Assert.Equal(Convert.FromHexString("FF031000060000000100000004000000"), payload);
        Assert.Equal((LicensingExchangeState.Refused, LicensingExchangeOutcome.Refused), (result.State, server.Outcome));
        Assert.True(result.IsFinished);
    }

    [Theory]
    [InlineData(ClientStyle.Rdesktop)]
    [InlineData(ClientStyle.FreeRdp)]
    public void Bad_mac_on_a_presented_license_aborts(ClientStyle style)
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(style);
        byte[] payload = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _), storedCal: Cal, corruptMac: true), o), out LicensingStepResult result);

        Assert.Equal(InvalidMacPayload, payload);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.InvalidMac), (result.State, server.Outcome));
        Assert.Null(server.PendingDecision);
        Assert.Contains("mac", server.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientStyle.Rdesktop)]
    [InlineData(ClientStyle.FreeRdp)]
    public void Bad_mac_on_the_challenge_response_aborts(ClientStyle style)
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(style);
        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);

        byte[] payload = ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge, corruptMac: true), o), out LicensingStepResult result);
        Assert.Equal(InvalidMacPayload, payload);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.InvalidMac), (result.State, server.Outcome));
    }

    public static TheoryData<string, byte[], ushort> WrongEchoes() => new()
    {
        { "response data with another challenge", TestLicensingClient.FreeRdpResponseData("TEST\0X\0"u8.ToArray()), BlobType.EncryptedData },
        { "IronRDP's 8 spurious zero bytes", [.. new byte[8], .. TestLicensingClient.FreeRdpResponseData(LicensingServerExchange.PlatformChallenge.ToArray())], BlobType.EncryptedData },
        { "raw echo in a BB_ENCRYPTED_DATA_BLOB", LicensingServerExchange.PlatformChallenge.ToArray(), BlobType.EncryptedData },
        { "raw echo of something else", [0x54, 0x00, 0x65, 0x00, 0x53, 0x00, 0x54, 0x00, 0x00, 0x00], BlobType.Data },
    };

    [Theory]
    [MemberData(nameof(WrongEchoes))]
    public void A_response_that_does_not_echo_the_challenge_aborts(string name, byte[] responseData, ushort blobType)
    {
        Assert.NotEmpty(name);
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.FreeRdp);
        ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);

        byte[] payload = ServerSetup.Run(o => server.Step(client.Response(responseData, blobType), o), out LicensingStepResult result);
        Assert.Equal(Convert.FromHexString("FF031000080000000100000004000000"), payload); // ERR_INVALID_CLIENT, ST_TOTAL_ABORT
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.ChallengeMismatch), (result.State, server.Outcome));
    }

    [Fact]
    public void Status_valid_client_from_the_client_is_tolerated_at_every_step()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop);
        byte[] request = ServerSetup.Run(server.Start, out _);

        Assert.Empty(ServerSetup.Run(o => server.Step(ValidClientPayload, o), out LicensingStepResult result));
        Assert.Equal(LicensingExchangeState.AwaitingClientRequest, result.State);

        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(request), o), out _);
        Assert.Empty(ServerSetup.Run(o => server.Step(ValidClientPayload, o), out result));
        Assert.Equal(LicensingExchangeState.AwaitingPlatformChallengeResponse, result.State);

        ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out result);
        Assert.True(result.NeedsDecision);
    }

    [Fact]
    public void Client_error_alert_with_total_abort_ends_the_exchange()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        ServerSetup.Run(server.Start, out _);
        byte[] alert = LicensingPdu.Serialize(new LicenseErrorMessage(LicenseErrorCode.ErrInvalidServerCertificate, LicenseStateTransition.StTotalAbort));

        Assert.Empty(ServerSetup.Run(o => server.Step(alert, o), out LicensingStepResult result));
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.ClientAborted), (result.State, server.Outcome));
        Assert.Equal(LicenseErrorCode.ErrInvalidServerCertificate, server.ClientError!.DwErrorCode);
    }

    [Fact]
    public void Client_error_alert_asking_to_resend_gets_the_last_message_again()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        byte[] request = ServerSetup.Run(server.Start, out _);
        byte[] alert = LicensingPdu.Serialize(new LicenseErrorMessage(LicenseErrorCode.ErrInvalidMac, LicenseStateTransition.StResendLastMessage));

        Assert.Equal(request, ServerSetup.Run(o => server.Step(alert, o), out LicensingStepResult result));
        Assert.Equal(LicensingExchangeState.AwaitingClientRequest, result.State);
    }

    [Fact]
    public void Client_error_alert_resetting_the_phase_restarts_with_a_fresh_request()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.FreeRdp);
        ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _)), o), out _);
        byte[] alert = LicensingPdu.Serialize(new LicenseErrorMessage(LicenseErrorCode.ErrNoLicense, LicenseStateTransition.StResetPhaseToStart));

        byte[] request = ServerSetup.Run(o => server.Step(alert, o), out LicensingStepResult result);
        Assert.Equal(LicensingExchangeState.AwaitingClientRequest, result.State);
        byte[] challenge = ServerSetup.Run(o => server.Step(client.OnLicenseRequest(request), o), out _);
        ServerSetup.Run(o => server.Step(client.OnPlatformChallenge(challenge), o), out result);
        Assert.True(result.NeedsDecision);
    }

    [Fact]
    public void Malformed_input_aborts_with_invalid_message_length()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        ServerSetup.Run(server.Start, out _);
        byte[] payload = ServerSetup.Run(o => server.Step([0x13, 0x03, 0x09, 0x00, 0x01], o), out LicensingStepResult result);

        Assert.Equal(Convert.FromHexString("FF0310000C0000000100000004000000"), payload);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.MalformedMessage), (result.State, server.Outcome));
        Assert.Contains("wMsgSize", server.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_premaster_above_the_modulus_is_malformed_not_a_crash()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        ServerSetup.Run(server.Start, out _);
        byte[] premaster = [.. Enumerable.Repeat((byte)0xff, 64), .. new byte[8]];
        byte[] request = LicensingPdu.Serialize(ClientNewLicenseRequest.Create(1, new byte[32], premaster, "u", "m"));

        ServerSetup.Run(o => server.Step(request, o), out LicensingStepResult result);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.MalformedMessage), (result.State, server.Outcome));
    }

    [Fact]
    public void A_hardware_id_of_the_wrong_size_is_malformed()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop);
        client.OnLicenseRequest(ServerSetup.Run(server.Start, out _));
        byte[] shortHwid = client.Hwid[..16];
        byte[] info = LicensingPdu.Serialize(new ClientLicenseInfo(
            1, 2, new byte[32], new byte[72], Cal,
            new LicenseBinaryBlob(BlobType.Data, Crypto.Licensing.LicensingCrypto.Encrypt(client.Keys.LicensingEncryptionKey, shortHwid)),
            Crypto.Licensing.LicensingCrypto.Mac(client.Keys.MacSaltKey, shortHwid)));

        ServerSetup.Run(o => server.Step(info, o), out LicensingStepResult result);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.MalformedMessage), (result.State, server.Outcome));
    }

    [Fact]
    public void An_out_of_order_message_aborts_with_invalid_client()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        ServerSetup.Run(server.Start, out _);
        byte[] response = LicensingPdu.Serialize(new ClientPlatformChallengeResponse(
            new LicenseBinaryBlob(9, new byte[18]), new LicenseBinaryBlob(9, new byte[20]), new byte[16]));

        byte[] payload = ServerSetup.Run(o => server.Step(response, o), out LicensingStepResult result);
        Assert.Equal(Convert.FromHexString("FF031000080000000100000004000000"), payload);
        Assert.Equal((LicensingExchangeState.Failed, LicensingExchangeOutcome.UnexpectedMessage), (result.State, server.Outcome));
    }

    [Fact]
    public void Stepping_a_finished_exchange_is_a_bug()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop);
        ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _), storedCal: Cal), o), out _);
        ServerSetup.Run(o => server.Decide(LicenseDecision.ValidClient(), o), out _);

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Contains("this is a bug", Assert.Throws<InvalidOperationException>(() => server.Step(ValidClientPayload, output)).Message, StringComparison.Ordinal);
        Assert.Contains("this is a bug", Assert.Throws<InvalidOperationException>(() => server.Decide(LicenseDecision.ValidClient(), output)).Message, StringComparison.Ordinal);
        Assert.Contains("this is a bug", Assert.Throws<InvalidOperationException>(() => server.Start(output)).Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Calls_out_of_order_are_bugs()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() => server.Step(ValidClientPayload, output));
        Assert.Throws<InvalidOperationException>(() => server.Decide(LicenseDecision.ValidClient(), output));
        server.Start(output);
        Assert.Throws<InvalidOperationException>(() => server.Start(output));
        Assert.Throws<InvalidOperationException>(() => server.Decide(LicenseDecision.ValidClient(), output));
    }

    [Fact]
    public void Decisions_reject_misuse()
    {
        Assert.Throws<ArgumentException>(() => LicenseDecision.IssueNewLicense([]));
        Assert.Throws<ArgumentException>(() => LicenseDecision.Refuse(LicenseErrorCode.StatusValidClient, LicenseStateTransition.StNoTransition));
    }

    [Fact]
    public void A_license_too_big_for_a_pdu_is_the_drivers_bug_and_keeps_the_decision_pending()
    {
        LicensingServerExchange server = ServerSetup.Tls();
        var client = new TestLicensingClient(ClientStyle.Rdesktop);
        ServerSetup.Run(o => server.Step(client.OnLicenseRequest(ServerSetup.Run(server.Start, out _), storedCal: Cal), o), out _);

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => server.Decide(LicenseDecision.UpgradeLicense(new byte[65500]), output));
        Assert.Equal(LicensingExchangeState.AwaitingDecision, server.State);
        Assert.Equal(0, output.WrittenCount);
    }
}
