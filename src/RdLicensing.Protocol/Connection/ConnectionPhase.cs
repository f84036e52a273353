namespace RdLicensing.Protocol.Connection;

/// <summary>
/// Where a <see cref="ConnectionAcceptor"/> is in the server side of the [MS-RDPBCGR] 1.3.1.1 connection sequence:
/// the PDU it waits for next. <see cref="Licensing"/> is the hand-over point; <see cref="Closed"/> is terminal.
/// </summary>
public enum ConnectionPhase
{
    /// <summary>Waiting for the Client X.224 Connection Request (2.2.1.1).</summary>
    ConnectionRequest,

    /// <summary>Waiting for the Client MCS Connect Initial (2.2.1.3); TLS, if selected, has started.</summary>
    ConnectInitial,

    /// <summary>Waiting for the Client MCS Erect Domain Request (2.2.1.5).</summary>
    ErectDomain,

    /// <summary>Waiting for the Client MCS Attach User Request (2.2.1.6).</summary>
    AttachUser,

    /// <summary>Answering Client MCS Channel Join Requests (2.2.1.8) until the next phase's PDU arrives.</summary>
    ChannelJoin,

    /// <summary>Waiting for the Client Security Exchange PDU (2.2.1.10), Standard RDP Security only.</summary>
    SecurityExchange,

    /// <summary>Waiting for the Client Info PDU (2.2.1.11).</summary>
    ClientInfo,

    /// <summary>Connection set up; licensing PDUs ([MS-RDPELE]) are exchanged through the framing helpers.</summary>
    Licensing,

    /// <summary>The client disconnected or the acceptor failed; nothing more may be stepped.</summary>
    Closed,
}
