namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3.3 Client Security Data encryptionMethods and 2.2.1.4.3 Server Security Data
/// encryptionMethod values.
/// </summary>
[Flags]
public enum EncryptionMethods : uint
{
    None = 0x0000_0000,

    /// <summary>40BIT_ENCRYPTION_FLAG.</summary>
    Bit40 = 0x0000_0001,

    /// <summary>128BIT_ENCRYPTION_FLAG.</summary>
    Bit128 = 0x0000_0002,

    /// <summary>56BIT_ENCRYPTION_FLAG.</summary>
    Bit56 = 0x0000_0008,

    /// <summary>FIPS_ENCRYPTION_FLAG.</summary>
    Fips = 0x0000_0010,
}
