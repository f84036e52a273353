namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The dwErrorCode values of [MS-RDPBCGR] 2.2.1.12.1.3 Licensing Error Message (LICENSE_ERROR_MESSAGE).
/// Decoding keeps values that are not listed here.
/// </summary>
public enum LicenseErrorCode : uint
{
    /// <summary>ERR_INVALID_SERVER_CERTIFICATE (client).</summary>
    ErrInvalidServerCertificate = 0x00000001,

    /// <summary>ERR_NO_LICENSE (client).</summary>
    ErrNoLicense = 0x00000002,

    /// <summary>ERR_INVALID_MAC (either side).</summary>
    ErrInvalidMac = 0x00000003,

    /// <summary>ERR_INVALID_SCOPE (server).</summary>
    ErrInvalidScope = 0x00000004,

    /// <summary>ERR_NO_LICENSE_SERVER (server).</summary>
    ErrNoLicenseServer = 0x00000006,

    /// <summary>STATUS_VALID_CLIENT (server): licensing ended successfully without a new license.</summary>
    StatusValidClient = 0x00000007,

    /// <summary>ERR_INVALID_CLIENT (server).</summary>
    ErrInvalidClient = 0x00000008,

    /// <summary>ERR_INVALID_PRODUCTID (server).</summary>
    ErrInvalidProductId = 0x0000000B,

    /// <summary>ERR_INVALID_MESSAGE_LEN (server).</summary>
    ErrInvalidMessageLen = 0x0000000C,
}
