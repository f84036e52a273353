using RdLicensing.Domain;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using LicenseDecision = RdLicensing.Protocol.Licensing.LicenseDecision;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// The licensing decision a session host asks for once a client has proved its identity in the [MS-RDPELE]
/// exchange (its HWID MAC verified). The listener calls it with what the client presented and sends the answer
/// (<see cref="LicenseDecision"/> of RdLicensing.Protocol: IssueNewLicense, UpgradeLicense, ValidClient or Refuse
/// with an error code and state transition). The host role wires it to the license server (issue, verify, upgrade,
/// grace period).
/// </summary>
public interface ISessionHostLicensing
{
    Task<LicenseDecision> DecideAsync(SessionLicenseRequest request, CancellationToken cancellationToken);
}

/// <summary>What the client presented in the licensing exchange, with the connection it came on.</summary>
/// <param name="Kind">A new-license request (no CAL) or a presented CAL (CLIENT_LICENSE_INFO).</param>
/// <param name="HardwareId">The decrypted, MAC-verified 20-byte CLIENT_HARDWARE_ID ([MS-RDPELE] 2.2.2.3.1).</param>
/// <param name="PlatformId">PlatformId of the client's licensing request.</param>
/// <param name="ClientMachine">CLIENT_MACHINE_NAME of the new-license request, else the CS_CORE client name.</param>
/// <param name="ClientUser">CLIENT_USER_NAME of the new-license request, else the Client Info user name.</param>
/// <param name="PresentedCal">The CAL bytes of CLIENT_LICENSE_INFO, verbatim; null for a new-license request.</param>
/// <param name="Connection">The connection: security (TLS or Standard RDP Security), client name, user, domain.</param>
public sealed record SessionLicenseRequest(
    LicenseDecisionRequestKind Kind,
    HardwareId HardwareId,
    uint PlatformId,
    string ClientMachine,
    string ClientUser,
    byte[]? PresentedCal,
    ClientConnectionInfo Connection);
