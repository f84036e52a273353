using RdLicensing.Protocol.Connection;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// The licensing decision a session host asks for once a client has identified itself in the [MS-RDPELE]
/// exchange. The listener calls it with what the client proved (HWID, names, a presented CAL) and sends what it
/// decides. The lead wires it to the license server (issue, verify, upgrade, grace period).
/// </summary>
public interface ISessionHostLicensing
{
    Task<LicenseDecision> DecideAsync(LicenseDecisionRequest request, CancellationToken cancellationToken);
}

/// <summary>What the client presented in the licensing exchange.</summary>
/// <param name="HardwareId">The decrypted 20-byte CLIENT_HARDWARE_ID ([MS-RDPELE] 2.2.2.3.1), its MAC verified.</param>
/// <param name="ClientMachine">CLIENT_MACHINE_NAME from the new-license request, else the CS_CORE client name.</param>
/// <param name="ClientUser">CLIENT_USER_NAME from the new-license request, else the Client Info user name.</param>
/// <param name="PresentedCal">The CAL bytes of a CLIENT_LICENSE_INFO, verbatim; null for a new-license request.</param>
/// <param name="Security">The connection's security (TLS or Standard RDP Security).</param>
public sealed record LicenseDecisionRequest(
    byte[] HardwareId,
    string ClientMachine,
    string ClientUser,
    byte[]? PresentedCal,
    ConnectionSecurity Security);

/// <summary>What to answer: a CAL to send (new or upgraded), STATUS_VALID_CLIENT, or a licensing error.</summary>
public enum LicenseDecisionKind
{
    /// <summary>Send SERVER_NEW_LICENSE carrying <see cref="LicenseDecision.Cal"/>.</summary>
    NewLicense,

    /// <summary>Send SERVER_UPGRADE_LICENSE carrying <see cref="LicenseDecision.Cal"/>.</summary>
    UpgradeLicense,

    /// <summary>Send the STATUS_VALID_CLIENT error message.</summary>
    ValidClient,

    /// <summary>Send LICENSE_ERROR_MESSAGE with <see cref="LicenseDecision.ErrorCode"/> and <see cref="LicenseDecision.StateTransition"/>.</summary>
    Error,
}

/// <param name="Kind">What to send.</param>
/// <param name="Cal">The CAL bytes (pbLicenseInfo of NEW_LICENSE_INFO) for NewLicense and UpgradeLicense.</param>
/// <param name="ErrorCode">[MS-RDPBCGR] 2.2.1.12.1.3 dwErrorCode for Error (e.g. ERR_NO_LICENSE 2).</param>
/// <param name="StateTransition">dwStateTransition for Error (e.g. ST_TOTAL_ABORT 1).</param>
public sealed record LicenseDecision(LicenseDecisionKind Kind, byte[]? Cal = null, uint ErrorCode = 0, uint StateTransition = 0)
{
    public static LicenseDecision ValidClient { get; } = new(LicenseDecisionKind.ValidClient);

    public static LicenseDecision NewLicense(byte[] cal) => new(LicenseDecisionKind.NewLicense, cal);

    public static LicenseDecision UpgradeLicense(byte[] cal) => new(LicenseDecisionKind.UpgradeLicense, cal);

    public static LicenseDecision Error(uint errorCode, uint stateTransition) => new(LicenseDecisionKind.Error, null, errorCode, stateTransition);
}
