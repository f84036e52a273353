namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.4.3 Server Security Data encryptionLevel values.</summary>
public enum EncryptionLevel : uint
{
    /// <summary>ENCRYPTION_LEVEL_NONE.</summary>
    None = 0,

    /// <summary>ENCRYPTION_LEVEL_LOW.</summary>
    Low = 1,

    /// <summary>ENCRYPTION_LEVEL_CLIENT_COMPATIBLE.</summary>
    ClientCompatible = 2,

    /// <summary>ENCRYPTION_LEVEL_HIGH.</summary>
    High = 3,

    /// <summary>ENCRYPTION_LEVEL_FIPS.</summary>
    Fips = 4,
}
