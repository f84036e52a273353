namespace RdLicensing.Crypto.StandardSecurity;

/// <summary>
/// The Standard RDP Security encryption methods ([MS-RDPBCGR] 2.2.1.4.3 encryptionMethod; 5.3.2). FIPS (0x10) is
/// not implemented: neither rdesktop nor FreeRDP needs it.
/// </summary>
public enum EncryptionMethod
{
    /// <summary>ENCRYPTION_METHOD_40BIT: RC4 with 40-bit keys (8-byte keys salted with D1 26 9E).</summary>
    Bits40 = 0x00000001,

    /// <summary>ENCRYPTION_METHOD_128BIT: RC4 with 128-bit keys.</summary>
    Bits128 = 0x00000002,

    /// <summary>ENCRYPTION_METHOD_56BIT: RC4 with 56-bit keys (8-byte keys salted with D1).</summary>
    Bits56 = 0x00000008,
}
