using System.Buffers;
using System.Security.Cryptography;
using RdLicensing.Crypto.Licensing;
using RdLicensing.Domain;
using RdLicensing.Wire;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Licensing;

/// <summary>
/// The server side of the [MS-RDPELE] licensing exchange (3.2.5 / 3.3.5), sans-IO. The driver moves licensing
/// payloads (the bytes after the SEC_LICENSE_PKT security header: preamble and message) between the wire and this
/// machine:
/// <list type="number">
/// <item><see cref="Start"/> writes SERVER_LICENSE_REQUEST.</item>
/// <item>Each client payload goes to <see cref="Step"/>, which writes at most one reply PDU.</item>
/// <item>When the result <see cref="LicensingStepResult.NeedsDecision"/>, the driver reads
/// <see cref="PendingDecision"/> (HWID, names, presented CAL) and answers with <see cref="Decide"/>, which writes
/// NEW_LICENSE, UPGRADE_LICENSE, STATUS_VALID_CLIENT or a licensing error.</item>
/// <item>When the result <see cref="LicensingStepResult.IsFinished"/>, the driver sends what was written and stops;
/// <see cref="Outcome"/> says why it ended.</item>
/// </list>
/// Tolerant where real clients deviate (rdesktop's all-zero premaster and client random, its raw 10-byte challenge
/// echo in BB_DATA_BLOBs, STATUS_VALID_CLIENT from the client at any step); strict on MACs. Not thread-safe: one
/// instance per connection.
/// </summary>
public sealed class LicensingServerExchange
{
    /// <summary>The platform challenge Windows sends: "TEST" and a NUL in UTF-16LE (rdpele.md section 1).</summary>
    public static ReadOnlySpan<byte> PlatformChallenge => [0x54, 0x00, 0x45, 0x00, 0x53, 0x00, 0x54, 0x00, 0x00, 0x00];

    private readonly LicensingServerOptions _options;
    private readonly FillRandom _random;
    private byte[] _serverRandom = [];
    private LicensingKeys? _keys;
    private uint _platformId;
    private string? _userName;
    private string? _machineName;
    private byte[] _lastSent = [];

    public LicensingServerExchange(LicensingServerOptions options, FillRandom random)
    {
        _options = options;
        _random = random;
    }

    public LicensingExchangeState State { get; private set; } = LicensingExchangeState.NotStarted;

    public LicensingExchangeOutcome Outcome { get; private set; } = LicensingExchangeOutcome.None;

    /// <summary>Why the exchange failed, for the driver's log (lower-case); null unless <see cref="State"/> is Failed.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The licensing error the client sent, when <see cref="Outcome"/> is ClientAborted.</summary>
    public LicenseErrorMessage? ClientError { get; private set; }

    /// <summary>The question for the driver while <see cref="State"/> is AwaitingDecision; null otherwise.</summary>
    public LicenseDecisionRequest? PendingDecision { get; private set; }

    public bool IsFinished => State is LicensingExchangeState.Completed or LicensingExchangeState.Refused or LicensingExchangeState.Failed;

    /// <summary>Writes SERVER_LICENSE_REQUEST: a fresh server random, the product, KEY_EXCHANGE_ALG_RSA, the certificate and the scope.</summary>
    public LicensingStepResult Start(IBufferWriter<byte> output)
    {
        Require(LicensingExchangeState.NotStarted, nameof(Start));
        return SendLicenseRequest(output);
    }

    /// <summary>
    /// Handles one client licensing payload (preamble and message). Malformed or out-of-order input, a bad MAC or a
    /// wrong challenge echo end the exchange in Failed, with a licensing error written for the client; it never throws
    /// for anything the client sends.
    /// </summary>
    public LicensingStepResult Step(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        if (State is not (LicensingExchangeState.AwaitingClientRequest or LicensingExchangeState.AwaitingPlatformChallengeResponse))
        {
            Require(LicensingExchangeState.AwaitingClientRequest, nameof(Step));
        }

        LicensingPdu pdu;
        try
        {
            pdu = LicensingPdu.Decode(input);
        }
        catch (ProtocolException error)
        {
            return Fail(output, LicensingExchangeOutcome.MalformedMessage, LicenseErrorCode.ErrInvalidMessageLen, error.Message);
        }

        try
        {
            return (State, pdu.Message) switch
            {
                (_, LicenseErrorMessage alert) => OnClientError(alert, output),
                (LicensingExchangeState.AwaitingClientRequest, ClientNewLicenseRequest request) => OnNewLicenseRequest(request, output),
                (LicensingExchangeState.AwaitingClientRequest, ClientLicenseInfo info) => OnLicenseInfo(info, output),
                (LicensingExchangeState.AwaitingPlatformChallengeResponse, ClientPlatformChallengeResponse response) => OnChallengeResponse(response, output),
                _ => Fail(output, LicensingExchangeOutcome.UnexpectedMessage, LicenseErrorCode.ErrInvalidClient,
                    $"{pdu.Preamble.BMsgType} is not expected in state {State}"),
            };
        }
        catch (ProtocolException error)
        {
            // Decrypted contents that do not decode (a hardware id of the wrong size, an rsa value above the modulus).
            return Fail(output, LicensingExchangeOutcome.MalformedMessage, LicenseErrorCode.ErrInvalidMessageLen, error.Message);
        }
    }

    /// <summary>Answers <see cref="PendingDecision"/> and writes the PDU that carries the answer; the exchange then ends.</summary>
    public LicensingStepResult Decide(LicenseDecision decision, IBufferWriter<byte> output)
    {
        Require(LicensingExchangeState.AwaitingDecision, nameof(Decide));
        ILicensingMessage message;
        LicensingExchangeOutcome outcome;
        switch (decision.Kind)
        {
            case LicenseDecisionKind.IssueNewLicense:
            case LicenseDecisionKind.UpgradeLicense:
                byte[] info = new NewLicenseInfo(
                    _options.ProductInfo.DwVersion, _options.Scope, _options.ProductInfo.CompanyName, _options.ProductInfo.ProductId, decision.License).ToBytes();

                // The blob length is a u16 and the whole message must fit wMsgSize: a CAL that does not is the driver's bug.
                if (info.Length + 4 + 4 + LicensingCrypto.MacSize > ushort.MaxValue)
                {
                    throw new ArgumentException($"a license of {decision.License.Length} bytes does not fit a licensing pdu", nameof(decision));
                }

                byte[] encrypted = LicensingCrypto.Encrypt(Keys.LicensingEncryptionKey, info);
                byte[] mac = LicensingCrypto.Mac(Keys.MacSaltKey, info);
                (message, outcome) = decision.Kind == LicenseDecisionKind.IssueNewLicense
                    ? (new ServerNewLicense(encrypted, mac), LicensingExchangeOutcome.NewLicenseIssued)
                    : ((ILicensingMessage)new ServerUpgradeLicense(encrypted, mac), LicensingExchangeOutcome.LicenseUpgraded);
                break;
            case LicenseDecisionKind.ValidClient:
                (message, outcome) = (LicenseErrorMessage.ValidClient(), LicensingExchangeOutcome.ValidClient);
                break;
            default:
                (message, outcome) = (new LicenseErrorMessage(decision.ErrorCode, decision.StateTransition), LicensingExchangeOutcome.Refused);
                break;
        }

        PendingDecision = null;
        int written = Send(output, message);
        Finish(outcome == LicensingExchangeOutcome.Refused ? LicensingExchangeState.Refused : LicensingExchangeState.Completed, outcome);
        return new LicensingStepResult(written, State);
    }

    private LicensingKeys Keys => _keys ?? throw new InvalidOperationException("licensing keys are missing: this is a bug");

    private LicensingStepResult SendLicenseRequest(IBufferWriter<byte> output)
    {
        _serverRandom = new byte[LicensingCrypto.RandomSize];
        _random(_serverRandom);
        var request = new ServerLicenseRequest(
            _serverRandom,
            _options.ProductInfo,
            [ServerLicenseRequest.KeyExchangeAlgRsa],
            _options.ServerCertificate,
            new ScopeList([new Scope(_options.Scope)]));
        int written = Send(output, request);
        State = LicensingExchangeState.AwaitingClientRequest;
        return new LicensingStepResult(written, State);
    }

    // [MS-RDPELE] 3.3.5.2: derive the keys, then challenge the client (3.3.5.3).
    private LicensingStepResult OnNewLicenseRequest(ClientNewLicenseRequest request, IBufferWriter<byte> output)
    {
        _keys = DeriveKeys(request.EncryptedPreMasterSecret, request.ClientRandom);
        _platformId = request.PlatformId;
        _userName = request.ClientUserNameText;
        _machineName = request.ClientMachineNameText;

        var challenge = new ServerPlatformChallenge(
            0,
            new LicenseBinaryBlob(BlobType.Any, LicensingCrypto.Encrypt(Keys.LicensingEncryptionKey, PlatformChallenge)),
            LicensingCrypto.Mac(Keys.MacSaltKey, PlatformChallenge));
        int written = Send(output, challenge);
        State = LicensingExchangeState.AwaitingPlatformChallengeResponse;
        return new LicensingStepResult(written, State);
    }

    // [MS-RDPELE] 3.3.5.4 (processing a presented license): decrypt the HWID and check its MAC, then ask the driver.
    private LicensingStepResult OnLicenseInfo(ClientLicenseInfo info, IBufferWriter<byte> output)
    {
        _keys = DeriveKeys(info.EncryptedPreMasterSecret, info.ClientRandom);
        byte[] hwid = LicensingCrypto.Decrypt(Keys.LicensingEncryptionKey, info.EncryptedHwid.BlobData);
        if (!LicensingCrypto.VerifyMac(Keys.MacSaltKey, hwid, info.MacData))
        {
            return Fail(output, LicensingExchangeOutcome.InvalidMac, LicenseErrorCode.ErrInvalidMac, "the mac over the hardware id of CLIENT_LICENSE_INFO does not verify");
        }

        _ = ClientHardwareId.Decode(hwid);
        PendingDecision = new LicenseDecisionRequest(
            LicenseDecisionRequestKind.PresentedLicense, info.PlatformId, HardwareId.FromBytes(hwid), null, null, info.LicenseInfo);
        State = LicensingExchangeState.AwaitingDecision;
        return new LicensingStepResult(0, State);
    }

    // [MS-RDPELE] 3.3.5.5: decrypt the response and the HWID, check the MAC over both, then the echoed challenge.
    private LicensingStepResult OnChallengeResponse(ClientPlatformChallengeResponse response, IBufferWriter<byte> output)
    {
        byte[] data = LicensingCrypto.Decrypt(Keys.LicensingEncryptionKey, response.EncryptedPlatformChallengeResponse.BlobData);
        byte[] hwid = LicensingCrypto.Decrypt(Keys.LicensingEncryptionKey, response.EncryptedHwid.BlobData);
        if (!LicensingCrypto.VerifyMac(Keys.MacSaltKey, [.. data, .. hwid], response.MacData))
        {
            return Fail(output, LicensingExchangeOutcome.InvalidMac, LicenseErrorCode.ErrInvalidMac, "the mac of CLIENT_PLATFORM_CHALLENGE_RESPONSE does not verify");
        }

        _ = ClientHardwareId.Decode(hwid);
        if (!EchoesChallenge(response.EncryptedPlatformChallengeResponse.WBlobType, data))
        {
            return Fail(output, LicensingExchangeOutcome.ChallengeMismatch, LicenseErrorCode.ErrInvalidClient, "the platform challenge response does not echo the challenge");
        }

        PendingDecision = new LicenseDecisionRequest(
            LicenseDecisionRequestKind.NewLicense, _platformId, HardwareId.FromBytes(hwid), _userName, _machineName, []);
        State = LicensingExchangeState.AwaitingDecision;
        return new LicensingStepResult(0, State);
    }

    // [MS-RDPELE] 3.1.5.2: the client's licensing error and its state transition.
    private LicensingStepResult OnClientError(LicenseErrorMessage alert, IBufferWriter<byte> output)
    {
        if (alert.IsValidClient)
        {
            // Tolerated at any step: nothing to answer, nothing changes.
            return new LicensingStepResult(0, State);
        }

        switch (alert.DwStateTransition)
        {
            case LicenseStateTransition.StNoTransition:
                return new LicensingStepResult(0, State);
            case LicenseStateTransition.StResendLastMessage:
                output.Write(_lastSent);
                return new LicensingStepResult(_lastSent.Length, State);
            case LicenseStateTransition.StResetPhaseToStart:
                _keys = null;
                return SendLicenseRequest(output);
            default:
                ClientError = alert;
                FailureReason = $"the client sent licensing error {alert.DwErrorCode} with {alert.DwStateTransition}";
                Finish(LicensingExchangeState.Failed, LicensingExchangeOutcome.ClientAborted);
                return new LicensingStepResult(0, State);
        }
    }

    private LicensingKeys DeriveKeys(ReadOnlySpan<byte> encryptedPremaster, ReadOnlySpan<byte> clientRandom)
    {
        // rdesktop sends 72 zero bytes: raw RSA of 0 is 0, so its premaster secret is 48 zero bytes.
        byte[] premaster = LicensingCrypto.DecryptPremasterSecret(encryptedPremaster, _options.PremasterKey);
        LicensingKeys keys = LicensingCrypto.DeriveKeys(premaster, clientRandom, _serverRandom);
        CryptographicOperations.ZeroMemory(premaster);
        return keys;
    }

    // PLATFORM_CHALLENGE_RESPONSE_DATA echoing the challenge, or rdesktop's raw echo of it in a BB_DATA_BLOB.
    private static bool EchoesChallenge(ushort blobType, byte[] data)
    {
        if (blobType == BlobType.Data && data.AsSpan().SequenceEqual(PlatformChallenge))
        {
            return true;
        }

        try
        {
            return PlatformChallengeResponseData.Decode(data).PbChallenge.SequenceEqual(PlatformChallenge);
        }
        catch (ProtocolException)
        {
            return false;
        }
    }

    private LicensingStepResult Fail(IBufferWriter<byte> output, LicensingExchangeOutcome outcome, LicenseErrorCode code, string reason)
    {
        int written = Send(output, new LicenseErrorMessage(code, LicenseStateTransition.StTotalAbort));
        FailureReason = reason;
        PendingDecision = null;
        Finish(LicensingExchangeState.Failed, outcome);
        return new LicensingStepResult(written, State);
    }

    private void Finish(LicensingExchangeState state, LicensingExchangeOutcome outcome)
    {
        State = state;
        Outcome = outcome;
        _keys = null;
    }

    private int Send(IBufferWriter<byte> output, ILicensingMessage message)
    {
        _lastSent = LicensingPdu.Serialize(message);
        output.Write(_lastSent);
        return _lastSent.Length;
    }

    private void Require(LicensingExchangeState expected, string operation)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"{operation} on a licensing exchange that already ended ({State}, {Outcome}): this is a bug in the driver");
        }

        if (State != expected)
        {
            throw new InvalidOperationException($"{operation} is not valid in state {State} (expected {expected}): this is a bug in the driver");
        }
    }
}
