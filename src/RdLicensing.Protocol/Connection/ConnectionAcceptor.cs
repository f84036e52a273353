using RdLicensing.Wire;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Connection;

/// <summary>
/// The server side of the [MS-RDPBCGR] 1.3.1.1 connection sequence as a sans-IO state machine, up to the Client
/// Info PDU and the hand-over to licensing. Each <see cref="Step"/> takes one complete TPKT packet from the client
/// and returns the packets to send. Once <see cref="Phase"/> is <see cref="ConnectionPhase.Licensing"/>, licensing
/// payloads (the bytes after the security header, [MS-RDPBCGR] 2.2.1.12) go through
/// <see cref="WrapLicensingPdu"/> and <see cref="UnwrapClientPdu"/>, which add or remove MCS Send Data on the I/O
/// channel, the security header and, under Standard RDP Security, the encryption.
/// </summary>
public sealed class ConnectionAcceptor
{
    /// <summary>The MCS I/O channel ([MS-RDPBCGR] 2.2.1.4.4 MCSChannelId, MCS_GLOBAL_CHANNEL).</summary>
    public const ushort IoChannelId = 1003;

    /// <summary>
    /// The user id (and user channel) given to the client. rdesktop assumes static channels are 1004 upwards
    /// whatever SC_NET says, so the user channel sits below the I/O channel, clear of them.
    /// </summary>
    public const ushort ClientUserId = 1002;

    /// <summary>The initiator of the server's Send Data Indications (Windows and IronRDP use 1002 as well).</summary>
    public const ushort ServerInitiator = 1002;

    private const string Name = "ConnectionAcceptor";

    private readonly ConnectionAcceptorOptions _options;
    private readonly Action<Span<byte>> _fillRandom;
    private readonly HashSet<ushort> _joinableChannels = [];
    private readonly HashSet<ushort> _joinedChannels = [];
    private SecurityProtocols _requestedProtocols;
    private string? _cookie;
    private ClientDataBlocks? _clientData;
    private EncryptionMethods _encryptionMethod;
    private byte[]? _serverRandom;
    private RdpSecuritySession? _session;

    /// <param name="options">Security choices and the Standard RDP Security key.</param>
    /// <param name="fillRandom">Fills a span with cryptographically strong random bytes (injected; the server random).</param>
    public ConnectionAcceptor(ConnectionAcceptorOptions options, Action<Span<byte>> fillRandom)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fillRandom);
        if (!options.TlsAvailable && options.ServerKey is null)
        {
            throw new ArgumentException("either tls or a standard rdp security key is needed", nameof(options));
        }

        _options = options;
        _fillRandom = fillRandom;
    }

    public ConnectionPhase Phase { get; private set; } = ConnectionPhase.ConnectionRequest;

    /// <summary>The security selected by the X.224 negotiation; null before the Connection Request.</summary>
    public ConnectionSecurity? Security { get; private set; }

    /// <summary>The client data blocks from the MCS Connect Initial; null before it.</summary>
    public ClientDataBlocks? ClientData => _clientData;

    /// <summary>The decoded Client Info PDU; null before it.</summary>
    public ClientInfoPacket? ClientInfo { get; private set; }

    /// <summary>The 32-byte server random sent in SC_SECURITY under Standard RDP Security; null under TLS.</summary>
    public byte[]? ServerRandom => _serverRandom;

    /// <summary>The client random decrypted from the Security Exchange PDU; null under TLS.</summary>
    public byte[]? ClientRandom { get; private set; }

    /// <summary>
    /// True when the client encrypts its licensing PDUs (Standard RDP Security with SEC_LICENSE_ENCRYPT_SC in its
    /// Security Exchange, as FreeRDP does, or a licensing PDU seen with SEC_ENCRYPT); the server then encrypts too.
    /// </summary>
    public bool LicensingEncrypted { get; private set; }

    /// <summary>What the sequence learned about the client; available from <see cref="ConnectionPhase.Licensing"/>.</summary>
    public ClientConnectionInfo ConnectionInfo => Phase is ConnectionPhase.Licensing or ConnectionPhase.Closed && ClientInfo is not null
        ? new ClientConnectionInfo(
            _clientData!.Core.ClientName,
            ClientInfo.UserName,
            ClientInfo.Domain,
            Security!.Value,
            _requestedProtocols,
            _cookie)
        : throw new InvalidOperationException("the client info is not known before the licensing phase");

    /// <summary>
    /// Consumes one complete TPKT packet from the client. Malformed or out-of-order input raises
    /// <see cref="ProtocolException"/> and closes the acceptor.
    /// </summary>
    public AcceptorStep Step(ReadOnlySpan<byte> packet)
    {
        if (Phase is ConnectionPhase.Licensing or ConnectionPhase.Closed)
        {
            throw new InvalidOperationException($"step called in phase {Phase}: this is a bug in the driver");
        }

        try
        {
            return StepCore(TpktHeader.Unwrap(packet));
        }
        catch (ProtocolException)
        {
            Phase = ConnectionPhase.Closed;
            throw;
        }
    }

    /// <summary>
    /// Wraps a licensing payload (preamble and message) for the client: security header with SEC_LICENSE_PKT
    /// (encrypted and signed when <see cref="LicensingEncrypted"/>), MCS Send Data Indication on the I/O channel,
    /// X.224 Data and TPKT.
    /// </summary>
    public byte[] WrapLicensingPdu(ReadOnlySpan<byte> licensingPayload)
    {
        RequireLicensing();
        byte[] secured;
        if (LicensingEncrypted && _session is not null)
        {
            secured = _session.Seal(SecurityFlags.LicensePacket, licensingPayload);
        }
        else
        {
            secured = new byte[BasicSecurityHeader.Size + licensingPayload.Length];
            var writer = new WireWriter(secured);
            new BasicSecurityHeader(SecurityFlags.LicensePacket).Encode(ref writer);
            writer.WriteBytes(licensingPayload);
        }

        return DataPacket(new McsSendDataIndication(ServerInitiator, IoChannelId, secured));
    }

    /// <summary>
    /// Unwraps a client packet in the licensing phase: returns the licensing payload (decrypted and its signature
    /// checked when SEC_ENCRYPT is set), or null when the client sent a Disconnect Provider Ultimatum.
    /// </summary>
    public byte[]? UnwrapClientPdu(ReadOnlySpan<byte> packet)
    {
        RequireLicensing();
        ReadOnlySpan<byte> payload = TpktHeader.Unwrap(packet);
        var reader = new WireReader(payload);
        X224DataHeader.Decode(ref reader);
        if (IsClientLeaving(ref reader))
        {
            Phase = ConnectionPhase.Closed;
            return null;
        }

        McsSendDataRequest request = ReadIoChannelData(ref reader);
        (SecurityFlags flags, byte[] data) = OpenSecured(request.UserData, "licensing");
        if ((flags & SecurityFlags.LicensePacket) == 0)
        {
            throw new ProtocolException(DecodeErrorKind.UnexpectedMessageType, BasicSecurityHeader.Name, "flags", "SEC_LICENSE_PKT is not set in the licensing phase");
        }

        if ((flags & SecurityFlags.Encrypt) != 0)
        {
            LicensingEncrypted = true;
        }

        return data;
    }

    /// <summary>The Disconnect Provider Ultimatum (2.2.2.3) that ends the connection cleanly; closes the acceptor.</summary>
    public byte[] Disconnect()
    {
        Phase = ConnectionPhase.Closed;
        return DataPacket(new McsDisconnectProviderUltimatum(McsDisconnectProviderUltimatum.ProviderInitiated));
    }

    private AcceptorStep StepCore(ReadOnlySpan<byte> payload)
    {
        if (Phase == ConnectionPhase.ConnectionRequest)
        {
            var crReader = new WireReader(payload);
            return OnConnectionRequest(X224ConnectionRequest.Decode(ref crReader));
        }

        var reader = new WireReader(payload);
        X224DataHeader.Decode(ref reader);
        if (Phase == ConnectionPhase.ConnectInitial)
        {
            return OnConnectInitial(McsConnectInitial.Decode(ref reader));
        }

        DomainMcsPduType type = DomainMcsPdu.PeekType(reader.RemainingSpan);
        if (IsClientLeaving(ref reader))
        {
            Phase = ConnectionPhase.Closed;
            return Reply([]);
        }

        switch (Phase, type)
        {
            case (ConnectionPhase.ErectDomain, DomainMcsPduType.ErectDomainRequest):
                McsErectDomainRequest.Decode(ref reader);
                Phase = ConnectionPhase.AttachUser;
                return Reply([]);

            case (ConnectionPhase.AttachUser, DomainMcsPduType.AttachUserRequest):
                McsAttachUserRequest.Decode(ref reader);
                Phase = ConnectionPhase.ChannelJoin;
                return Reply([DataPacket(new McsAttachUserConfirm(0, ClientUserId))]);

            case (ConnectionPhase.ChannelJoin, DomainMcsPduType.ChannelJoinRequest):
                return OnChannelJoin(McsChannelJoinRequest.Decode(ref reader));

            case (ConnectionPhase.ChannelJoin or ConnectionPhase.SecurityExchange or ConnectionPhase.ClientInfo, DomainMcsPduType.SendDataRequest):
                return OnSendData(ReadIoChannelData(ref reader));

            default:
                throw new ProtocolException(
                    DecodeErrorKind.UnexpectedMessageType, DomainMcsPdu.Name, "choice", $"domain pdu {(int)type} is not expected in phase {Phase}");
        }
    }

    private AcceptorStep OnConnectionRequest(X224ConnectionRequest request)
    {
        _cookie = request.RoutingTokenOrCookie;
        RdpNegotiationRequest? negotiation = request.NegotiationRequest;
        _requestedProtocols = negotiation?.RequestedProtocols ?? SecurityProtocols.Rdp;
        bool sslRequested = (_requestedProtocols & SecurityProtocols.Ssl) != 0;
        bool tlsPossible = sslRequested && _options.TlsAvailable;

        // PROTOCOL_RDP is implied by no negotiation, by requestedProtocols 0, and offered alongside TLS; a client asking
        // only for CredSSP (HYBRID without SSL) has ruled it out.
        bool rdpPossible = _options.ServerKey is not null
            && (negotiation is null || sslRequested || _requestedProtocols == SecurityProtocols.Rdp);
        ConnectionSecurity? selected =
            tlsPossible && !(_options.PreferStandardRdpSecurity && rdpPossible) ? ConnectionSecurity.Tls
            : rdpPossible ? ConnectionSecurity.StandardRdpSecurity
            : null;

        if (selected is null)
        {
            // [MS-RDPBCGR] 3.3.5.3.1: a client asking only for CredSSP (or anything we cannot serve) is refused.
            RdpNegotiationFailureCode code = _options.TlsAvailable
                ? RdpNegotiationFailureCode.SslRequiredByServer
                : RdpNegotiationFailureCode.SslNotAllowedByServer;
            Phase = ConnectionPhase.Closed;
            return new AcceptorStep([Packet(new X224ConnectionConfirm { NegotiationFailure = new RdpNegotiationFailure(code) })], false, Phase);
        }

        Security = selected;
        SecurityProtocols protocol = selected == ConnectionSecurity.Tls ? SecurityProtocols.Ssl : SecurityProtocols.Rdp;
        var confirm = new X224ConnectionConfirm
        {
            NegotiationResponse = negotiation is null ? null : new RdpNegotiationResponse(0, protocol),
        };
        Phase = ConnectionPhase.ConnectInitial;
        return new AcceptorStep([Packet(confirm)], selected == ConnectionSecurity.Tls, Phase);
    }

    private AcceptorStep OnConnectInitial(McsConnectInitial initial)
    {
        ClientDataBlocks blocks = initial.UserData.UserData;
        _clientData = blocks;
        int staticChannels = blocks.Network?.Channels.Count ?? 0;
        ushort[] channelIds = new ushort[staticChannels];
        for (int i = 0; i < staticChannels; i++)
        {
            channelIds[i] = (ushort)(IoChannelId + 1 + i);
            _joinableChannels.Add(channelIds[i]);
        }

        _joinableChannels.Add(IoChannelId);
        _joinableChannels.Add(ClientUserId);

        ServerSecurityData security;
        if (Security == ConnectionSecurity.Tls)
        {
            security = new ServerSecurityData();
        }
        else
        {
            EncryptionMethods offered = blocks.Security?.EncryptionMethods ?? EncryptionMethods.None;
            _encryptionMethod =
                (offered & EncryptionMethods.Bit128) != 0 ? EncryptionMethods.Bit128
                : (offered & EncryptionMethods.Bit56) != 0 ? EncryptionMethods.Bit56
                : (offered & EncryptionMethods.Bit40) != 0 ? EncryptionMethods.Bit40
                : throw ProtocolException.InvalidField(ClientSecurityData.Name, "encryptionMethods", $"no supported method in 0x{(uint)offered:x8} (40, 56 or 128-bit rc4)");
            _serverRandom = new byte[ServerSecurityData.ServerRandomSize];
            _fillRandom(_serverRandom);
            security = new ServerSecurityData
            {
                EncryptionMethod = _encryptionMethod,
                EncryptionLevel = EncryptionLevel.ClientCompatible,
                ServerRandom = _serverRandom,
                ServerCertificate = _options.ServerKey!.ServerCertificate,
            };
        }

        var response = new McsConnectResponse
        {
            DomainParameters = new DomainParameters(34, 3, 0, 1, 0, 1, 65528, 2),
            UserData = new ConferenceCreateResponse
            {
                UserData = new ServerDataBlocks
                {
                    Core = new ServerCoreData(ServerCoreData.Rdp5Version, _requestedProtocols),
                    Network = new ServerNetworkData { McsChannelId = IoChannelId, ChannelIds = channelIds },
                    Security = security,
                },
            },
        };

        Phase = ConnectionPhase.ErectDomain;
        return Reply([DataPacket(response.EncodedSize, response.Encode)]);
    }

    private AcceptorStep OnChannelJoin(McsChannelJoinRequest request)
    {
        if (request.Initiator != ClientUserId)
        {
            throw ProtocolException.InvalidField(McsChannelJoinRequest.Name, "initiator", $"{request.Initiator} is not the attached user {ClientUserId}");
        }

        if (!_joinableChannels.Contains(request.ChannelId))
        {
            throw ProtocolException.InvalidField(McsChannelJoinRequest.Name, "channelId", $"channel {request.ChannelId} was not announced");
        }

        _joinedChannels.Add(request.ChannelId);
        return Reply([DataPacket(new McsChannelJoinConfirm(0, ClientUserId, request.ChannelId, request.ChannelId))]);
    }

    private AcceptorStep OnSendData(McsSendDataRequest request)
    {
        if (!_joinedChannels.Contains(IoChannelId))
        {
            throw new ProtocolException(DecodeErrorKind.UnexpectedMessageType, McsSendDataRequest.Name, "channelId", "data before the i/o channel was joined");
        }

        if (Security == ConnectionSecurity.StandardRdpSecurity && _session is null)
        {
            var exchangeReader = new WireReader(request.UserData);
            OnSecurityExchange(SecurityExchangePdu.Decode(ref exchangeReader));
            Phase = ConnectionPhase.ClientInfo;
            return Reply([]);
        }

        (SecurityFlags flags, byte[] data) = OpenSecured(request.UserData, "client info");
        if ((flags & SecurityFlags.InfoPacket) == 0)
        {
            throw new ProtocolException(DecodeErrorKind.UnexpectedMessageType, BasicSecurityHeader.Name, "flags", "expected the client info pdu (SEC_INFO_PKT)");
        }

        var infoReader = new WireReader(data);
        ClientInfo = ClientInfoPacket.Decode(ref infoReader);
        Phase = ConnectionPhase.Licensing;
        return Reply([]);
    }

    private void OnSecurityExchange(SecurityExchangePdu exchange)
    {
        StandardSecurityServerKey key = _options.ServerKey!;
        ClientRandom = RdpSecuritySession.DecryptClientRandom(exchange.EncryptedClientRandom, key.PrivateKey);
        LicensingEncrypted = (exchange.Flags & SecurityFlags.LicenseEncrypt) != 0;
        _session = new RdpSecuritySession(ClientRandom, _serverRandom!, _encryptionMethod);
    }

    /// <summary>Removes the security header; decrypts and checks the signature when SEC_ENCRYPT is set.</summary>
    private (SecurityFlags Flags, byte[] Data) OpenSecured(byte[] userData, string what)
    {
        var reader = new WireReader(userData);
        BasicSecurityHeader header = BasicSecurityHeader.Decode(ref reader);
        if ((header.Flags & SecurityFlags.Encrypt) == 0)
        {
            return (header.Flags, reader.RemainingSpan.ToArray());
        }

        if (_session is null)
        {
            throw ProtocolException.InvalidField(BasicSecurityHeader.Name, "flags", $"SEC_ENCRYPT on the {what} pdu without standard rdp security");
        }

        return (header.Flags, _session.Open(header.Flags, userData));
    }

    /// <summary>
    /// A Disconnect Provider Ultimatum (2.2.2.3), or a Detach User Request, which is where rdesktop's BER-encoded
    /// ultimatum (mcs.c mcs_send_dpu) lands: the client is leaving.
    /// </summary>
    private static bool IsClientLeaving(ref WireReader reader)
    {
        switch (DomainMcsPdu.PeekType(reader.RemainingSpan))
        {
            case DomainMcsPduType.DisconnectProviderUltimatum:
                McsDisconnectProviderUltimatum.Decode(ref reader);
                return true;
            case DomainMcsPduType.DetachUserRequest:
                return true;
            default:
                return false;
        }
    }

    private static McsSendDataRequest ReadIoChannelData(ref WireReader reader)
    {
        McsSendDataRequest request = McsSendDataRequest.Decode(ref reader);
        if (request.ChannelId != IoChannelId)
        {
            throw ProtocolException.InvalidField(McsSendDataRequest.Name, "channelId", $"expected the i/o channel {IoChannelId}, got {request.ChannelId}");
        }

        return request;
    }

    private void RequireLicensing()
    {
        if (Phase != ConnectionPhase.Licensing)
        {
            throw new InvalidOperationException($"licensing framing used in phase {Phase}: this is a bug in the driver");
        }
    }

    private AcceptorStep Reply(byte[][] packets) => new(packets, false, Phase);

    private static byte[] Packet(X224ConnectionConfirm confirm)
    {
        byte[] body = new byte[confirm.EncodedSize];
        var writer = new WireWriter(body);
        confirm.Encode(ref writer);
        return TpktHeader.Wrap(body);
    }

    private static byte[] DataPacket(McsAttachUserConfirm pdu) => DataPacket(pdu.EncodedSize, pdu.Encode);

    private static byte[] DataPacket(McsChannelJoinConfirm pdu) => DataPacket(pdu.EncodedSize, pdu.Encode);

    private static byte[] DataPacket(McsSendDataIndication pdu) => DataPacket(pdu.EncodedSize, pdu.Encode);

    private static byte[] DataPacket(McsDisconnectProviderUltimatum pdu) => DataPacket(pdu.EncodedSize, pdu.Encode);

    private delegate void Encoder(ref WireWriter writer);

    private static byte[] DataPacket(int size, Encoder encode)
    {
        byte[] body = new byte[X224DataHeader.Size + size];
        var writer = new WireWriter(body);
        X224DataHeader.Encode(ref writer);
        encode(ref writer);
        if (writer.Remaining != 0)
        {
            throw new InvalidOperationException($"{Name}: EncodedSize is {size} but fewer bytes were written");
        }

        return TpktHeader.Wrap(body);
    }
}
