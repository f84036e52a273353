using RdLicensing.Domain;

namespace RdLicensing.Protocol.Licensing;

/// <summary>Which client message led to a <see cref="LicenseDecisionRequest"/>.</summary>
public enum LicenseDecisionRequestKind
{
    /// <summary>The client holds no CAL (CLIENT_NEW_LICENSE_REQUEST, then a verified platform challenge response).</summary>
    NewLicense,

    /// <summary>The client presented a stored CAL (CLIENT_LICENSE_INFO with a verified HWID MAC).</summary>
    PresentedLicense,
}

/// <summary>
/// What <see cref="LicensingServerExchange"/> asks its driver once the client is identified: the driver looks the
/// client up (license server, CAL validation) and answers with a <see cref="LicenseDecision"/>.
/// </summary>
public sealed class LicenseDecisionRequest
{
    private readonly byte[]? _presentedLicense;

    internal LicenseDecisionRequest(
        LicenseDecisionRequestKind kind, uint platformId, HardwareId hardwareId, string? clientUserName, string? clientMachineName, ReadOnlySpan<byte> presentedLicense)
    {
        Kind = kind;
        PlatformId = platformId;
        HardwareId = hardwareId;
        ClientUserName = clientUserName;
        ClientMachineName = clientMachineName;
        _presentedLicense = kind == LicenseDecisionRequestKind.PresentedLicense ? presentedLicense.ToArray() : null;
    }

    public LicenseDecisionRequestKind Kind { get; }

    /// <summary>PlatformId of the client's request PDU (rdesktop 0xFF010000 / 0x02010000, FreeRDP 0x04010000).</summary>
    public uint PlatformId { get; }

    /// <summary>The decrypted, MAC-verified CLIENT_HARDWARE_ID.</summary>
    public HardwareId HardwareId { get; }

    /// <summary>
    /// The user name of CLIENT_NEW_LICENSE_REQUEST (up to its NUL); null for a presented license, whose PDU carries no
    /// names: the driver has them from the Client Info PDU.
    /// </summary>
    public string? ClientUserName { get; }

    /// <summary>The machine name of CLIENT_NEW_LICENSE_REQUEST; null for a presented license.</summary>
    public string? ClientMachineName { get; }

    /// <summary>The CAL bytes of CLIENT_LICENSE_INFO exactly as presented; null for a new license request.</summary>
    public byte[]? PresentedLicense => _presentedLicense?.ToArray();
}
