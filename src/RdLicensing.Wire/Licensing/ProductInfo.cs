namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.1.1 Product Information (PRODUCT_INFO).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.1.1)
/// </summary>
/// <remarks>The strings are UTF-16LE with a NUL terminator, which cbCompanyName and cbProductId include.</remarks>
public sealed class ProductInfo
{
    public const string Name = "PRODUCT_INFO";

    /// <summary>The dwVersion Windows Server 2008 and later put in captures: 0x00060000.</summary>
    public const uint Version6 = 0x00060000;

    public ProductInfo(uint dwVersion, string companyName, string productId)
    {
        DwVersion = dwVersion;
        CompanyName = LicensingText.RequireUtf16(companyName, nameof(companyName));
        ProductId = LicensingText.RequireUtf16(productId, nameof(productId));
    }

    public uint DwVersion { get; }

    /// <summary>pbCompanyName without its terminator (e.g. "Microsoft Corporation").</summary>
    public string CompanyName { get; }

    /// <summary>pbProductId without its terminator (e.g. "A02").</summary>
    public string ProductId { get; }

    public int EncodedSize =>
        4 // dwVersion
        + 4 // cbCompanyName
        + LicensingText.Utf16Size(CompanyName) // pbCompanyName
        + 4 // cbProductId
        + LicensingText.Utf16Size(ProductId); // pbProductId

    public static ProductInfo Decode(ref WireReader reader)
    {
        reader.Ensure(8, Name);
        uint version = reader.ReadU32LE(Name, "dwVersion");
        string company = ReadString(ref reader, "cbCompanyName", "pbCompanyName");
        string product = ReadString(ref reader, "cbProductId", "pbProductId");
        return new ProductInfo(version, company, product);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(DwVersion);
        writer.WriteU32LE((uint)LicensingText.Utf16Size(CompanyName));
        LicensingText.WriteUtf16(ref writer, CompanyName);
        writer.WriteU32LE((uint)LicensingText.Utf16Size(ProductId));
        LicensingText.WriteUtf16(ref writer, ProductId);
    }

    private static string ReadString(ref WireReader reader, string lengthField, string field)
    {
        uint length = reader.ReadU32LE(Name, lengthField);

        // Check against the bytes present before anything is sized by the untrusted length.
        if (length > (uint)reader.Remaining)
        {
            throw ProtocolException.NotEnoughBytes(Name, field, length > int.MaxValue ? int.MaxValue : (int)length, reader.Remaining);
        }

        // [MS-RDPELE] 2.2.2.1.1: a NUL-terminated UTF-16 string (FreeRDP rejects odd lengths and lengths below 2).
        return LicensingText.DecodeUtf16(reader.ReadBytes((int)length, Name, field), Name, field);
    }
}
