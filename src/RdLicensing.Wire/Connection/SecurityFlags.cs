namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.8.1.1.2.1 Basic (TS_SECURITY_HEADER) flags.</summary>
[Flags]
public enum SecurityFlags : ushort
{
    None = 0,

    /// <summary>SEC_EXCHANGE_PKT: a Security Exchange PDU (2.2.1.10).</summary>
    ExchangePacket = 0x0001,

    /// <summary>SEC_TRANSPORT_REQ.</summary>
    TransportRequest = 0x0002,

    /// <summary>RDP_SEC_TRANSPORT_RSP.</summary>
    TransportResponse = 0x0004,

    /// <summary>SEC_ENCRYPT: the data is encrypted and an 8-byte signature follows the flags.</summary>
    Encrypt = 0x0008,

    /// <summary>SEC_RESET_SEQNO.</summary>
    ResetSequenceNumber = 0x0010,

    /// <summary>SEC_IGNORE_SEQNO.</summary>
    IgnoreSequenceNumber = 0x0020,

    /// <summary>SEC_INFO_PKT: a Client Info PDU (2.2.1.11).</summary>
    InfoPacket = 0x0040,

    /// <summary>SEC_LICENSE_PKT: a licensing PDU (2.2.1.12).</summary>
    LicensePacket = 0x0080,

    /// <summary>SEC_LICENSE_ENCRYPT_CS / SEC_LICENSE_ENCRYPT_SC: licensing PDUs are encrypted in this direction.</summary>
    LicenseEncrypt = 0x0200,

    /// <summary>SEC_REDIRECTION_PKT.</summary>
    RedirectionPacket = 0x0400,

    /// <summary>SEC_SECURE_CHECKSUM: the signature is salted with the encryption count (5.3.6.1.1).</summary>
    SecureChecksum = 0x0800,

    /// <summary>SEC_AUTODETECT_REQ.</summary>
    AutodetectRequest = 0x1000,

    /// <summary>SEC_AUTODETECT_RSP.</summary>
    AutodetectResponse = 0x2000,

    /// <summary>SEC_HEARTBEAT.</summary>
    Heartbeat = 0x4000,

    /// <summary>SEC_FLAGSHI_VALID.</summary>
    FlagsHiValid = 0x8000,
}
