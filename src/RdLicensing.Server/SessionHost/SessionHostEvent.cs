using RdLicensing.Protocol.Connection;

namespace RdLicensing.Server.SessionHost;

/// <summary>What happened on a session-host connection, in order; for logs, diagnostics and tests.</summary>
public enum SessionHostEventKind
{
    Accepted,
    Refused,
    SecuritySelected,
    TlsStarted,
    ReachedLicensing,
    LicensingPduSent,
    LicensingPduReceived,
    Decision,
    LicensingFinished,
    Closed,
    Failed,
}

/// <param name="ConnectionId">A per-listener sequence number.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">A short description (message type, error text…).</param>
/// <param name="Client">The client's identity, from <see cref="SessionHostEventKind.ReachedLicensing"/> on.</param>
/// <param name="Payload">The licensing payload for PDU events, the decision request's CAL otherwise.</param>
public sealed record SessionHostEvent(
    long ConnectionId,
    SessionHostEventKind Kind,
    string Detail,
    ClientConnectionInfo? Client = null,
    byte[]? Payload = null);
