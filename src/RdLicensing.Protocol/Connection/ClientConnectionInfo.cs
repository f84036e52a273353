using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Connection;

/// <summary>
/// What the connection sequence learned about the client before licensing: the client name from CS_CORE
/// (2.2.1.3.2 clientName) and the user and domain from the Client Info PDU (2.2.1.11.1.1).
/// </summary>
public sealed record ClientConnectionInfo(
    string ClientName,
    string UserName,
    string Domain,
    ConnectionSecurity Security,
    SecurityProtocols RequestedProtocols,
    string? Cookie);
