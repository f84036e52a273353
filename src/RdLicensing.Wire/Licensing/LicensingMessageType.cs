namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The bMsgType values of the licensing preamble ([MS-RDPBCGR] 2.2.1.12.1.1 LICENSE_PREAMBLE).
/// Unknown values survive decoding of the preamble; the dispatcher (<see cref="LicensingPdu"/>) rejects them.
/// </summary>
public enum LicensingMessageType : byte
{
    /// <summary>LICENSE_REQUEST (server): [MS-RDPELE] 2.2.2.1.</summary>
    LicenseRequest = 0x01,

    /// <summary>PLATFORM_CHALLENGE (server): [MS-RDPELE] 2.2.2.4.</summary>
    PlatformChallenge = 0x02,

    /// <summary>NEW_LICENSE (server): [MS-RDPELE] 2.2.2.7.</summary>
    NewLicense = 0x03,

    /// <summary>UPGRADE_LICENSE (server): [MS-RDPELE] 2.2.2.6.</summary>
    UpgradeLicense = 0x04,

    /// <summary>LICENSE_INFO (client): [MS-RDPELE] 2.2.2.3.</summary>
    LicenseInfo = 0x12,

    /// <summary>NEW_LICENSE_REQUEST (client): [MS-RDPELE] 2.2.2.2.</summary>
    NewLicenseRequest = 0x13,

    /// <summary>PLATFORM_CHALLENGE_RESPONSE (client): [MS-RDPELE] 2.2.2.5.</summary>
    PlatformChallengeResponse = 0x15,

    /// <summary>ERROR_ALERT (either side): [MS-RDPBCGR] 2.2.1.12.1.3.</summary>
    ErrorAlert = 0xFF,
}
