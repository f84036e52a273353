namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.6.1 New License Information (NEW_LICENSE_INFO), the plaintext of EncryptedLicenseInfo.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.6.1)
/// </summary>
/// <remarks>
/// Every length here is a u32, unlike blob lengths. pbLicenseInfo is the CAL, the only part clients store
/// (rdesktop licence.c licence_process_new_license, FreeRDP license.c saveCal).
/// </remarks>
public sealed class NewLicenseInfo
{
    public const string Name = "NEW_LICENSE_INFO";

    /// <summary>The dwVersion Windows sends: 0x00060000 (major 6 in the high word).</summary>
    public const uint Version6 = 0x00060000;

    private readonly byte[] _licenseInfo;

    public NewLicenseInfo(uint dwVersion, string scope, string companyName, string productId, ReadOnlySpan<byte> licenseInfo)
    {
        _ = LicensingText.ToAnsiBytes(scope);
        DwVersion = dwVersion;
        Scope = scope;
        CompanyName = LicensingText.RequireUtf16(companyName, nameof(companyName));
        ProductId = LicensingText.RequireUtf16(productId, nameof(productId));
        _licenseInfo = licenseInfo.ToArray();
    }

    public uint DwVersion { get; }

    /// <summary>pbScope without its terminator (ANSI).</summary>
    public string Scope { get; }

    /// <summary>pbCompanyName without its terminator (UTF-16).</summary>
    public string CompanyName { get; }

    /// <summary>pbProductId without its terminator (UTF-16).</summary>
    public string ProductId { get; }

    /// <summary>pbLicenseInfo: the CAL.</summary>
    public ReadOnlySpan<byte> LicenseInfo => _licenseInfo;

    public int EncodedSize =>
        4 // dwVersion
        + 4 // cbScope
        + LicensingText.AnsiSize(Scope) // pbScope
        + 4 // cbCompanyName
        + LicensingText.Utf16Size(CompanyName) // pbCompanyName
        + 4 // cbProductId
        + LicensingText.Utf16Size(ProductId) // pbProductId
        + 4 // cbLicenseInfo
        + _licenseInfo.Length; // pbLicenseInfo

    /// <summary>Decodes the structure, which must fill <paramref name="bytes"/> (a decrypted blob).</summary>
    public static NewLicenseInfo Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        NewLicenseInfo info = Decode(ref reader);
        reader.EnsureEnd(Name);
        return info;
    }

    public static NewLicenseInfo Decode(ref WireReader reader)
    {
        uint version = reader.ReadU32LE(Name, "dwVersion");
        string scope = LicensingText.DecodeAnsi(ReadSized(ref reader, "cbScope", "pbScope"), Name, "pbScope");
        string company = LicensingText.DecodeUtf16(ReadSized(ref reader, "cbCompanyName", "pbCompanyName"), Name, "pbCompanyName");
        string product = LicensingText.DecodeUtf16(ReadSized(ref reader, "cbProductId", "pbProductId"), Name, "pbProductId");
        ReadOnlySpan<byte> license = ReadSized(ref reader, "cbLicenseInfo", "pbLicenseInfo");
        return new NewLicenseInfo(version, scope, company, product, license);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(DwVersion);
        writer.WriteU32LE((uint)LicensingText.AnsiSize(Scope));
        LicensingText.WriteAnsi(ref writer, Scope);
        writer.WriteU32LE((uint)LicensingText.Utf16Size(CompanyName));
        LicensingText.WriteUtf16(ref writer, CompanyName);
        writer.WriteU32LE((uint)LicensingText.Utf16Size(ProductId));
        LicensingText.WriteUtf16(ref writer, ProductId);
        writer.WriteU32LE((uint)_licenseInfo.Length);
        writer.WriteBytes(_licenseInfo);
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        var writer = new WireWriter(bytes);
        Encode(ref writer);
        return bytes;
    }

    private static ReadOnlySpan<byte> ReadSized(ref WireReader reader, string lengthField, string field)
    {
        uint length = reader.ReadU32LE(Name, lengthField);

        // Check against the bytes present before anything is sized by the untrusted length.
        if (length > (uint)reader.Remaining)
        {
            throw ProtocolException.NotEnoughBytes(Name, field, length > int.MaxValue ? int.MaxValue : (int)length, reader.Remaining);
        }

        return reader.ReadBytes((int)length, Name, field);
    }
}
