namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The wBlobType values of a licensing binary blob ([MS-RDPBCGR] 2.2.1.12.1.2 LICENSE_BINARY_BLOB).
/// </summary>
public static class BlobType
{
    /// <summary>Any type: what Windows puts in SERVER_PLATFORM_CHALLENGE, whose blob type clients ignore.</summary>
    public const ushort Any = 0x0000;

    /// <summary>BB_DATA_BLOB: used for license info, and by rdesktop for its encrypted blobs.</summary>
    public const ushort Data = 0x0001;

    /// <summary>BB_RANDOM_BLOB: the encrypted premaster secret.</summary>
    public const ushort Random = 0x0002;

    /// <summary>BB_CERTIFICATE_BLOB: the server certificate.</summary>
    public const ushort Certificate = 0x0003;

    /// <summary>BB_ERROR_BLOB: the error info of a licensing error message.</summary>
    public const ushort Error = 0x0004;

    /// <summary>BB_RSA_KEY_BLOB.</summary>
    public const ushort RsaKey = 0x0006;

    /// <summary>BB_ENCRYPTED_DATA_BLOB: RC4-encrypted licensing data.</summary>
    public const ushort EncryptedData = 0x0009;

    /// <summary>BB_RSA_SIGNATURE_BLOB.</summary>
    public const ushort RsaSignature = 0x0008;

    /// <summary>BB_KEY_EXCHG_ALG_BLOB: the key exchange list.</summary>
    public const ushort KeyExchangeAlgorithm = 0x000D;

    /// <summary>BB_SCOPE_BLOB: one scope name.</summary>
    public const ushort Scope = 0x000E;

    /// <summary>BB_CLIENT_USER_NAME_BLOB.</summary>
    public const ushort ClientUserName = 0x000F;

    /// <summary>BB_CLIENT_MACHINE_NAME_BLOB.</summary>
    public const ushort ClientMachineName = 0x0010;
}
