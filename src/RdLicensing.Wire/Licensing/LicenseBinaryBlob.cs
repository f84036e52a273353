namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.12.1.2 Licensing Binary Blob (LICENSE_BINARY_BLOB).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/0a1c6079-af4d-4742-bb64-fecb8fa6e1a0
/// </summary>
public sealed class LicenseBinaryBlob
{
    public const string Name = "LICENSE_BINARY_BLOB";

    /// <summary>The fixed part: wBlobType and wBlobLen.</summary>
    public const int HeaderSize =
        2 // wBlobType
        + 2; // wBlobLen

    private readonly byte[] _blobData;

    public LicenseBinaryBlob(ushort wBlobType, ReadOnlySpan<byte> blobData)
    {
        if (blobData.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"a blob holds at most {ushort.MaxValue} bytes, got {blobData.Length}", nameof(blobData));
        }

        WBlobType = wBlobType;
        _blobData = blobData.ToArray();
    }

    public ushort WBlobType { get; }

    public ushort WBlobLen => (ushort)_blobData.Length;

    public ReadOnlySpan<byte> BlobData => _blobData;

    public int EncodedSize =>
        2 // wBlobType
        + 2 // wBlobLen
        + _blobData.Length; // blobData

    /// <summary>Decodes a blob of any type.</summary>
    public static LicenseBinaryBlob Decode(ref WireReader reader) => Decode(ref reader, Name, "blobData");

    /// <summary>Decodes a blob of any type, naming the enclosing structure and field in errors.</summary>
    public static LicenseBinaryBlob Decode(ref WireReader reader, string structure, string field)
    {
        reader.Ensure(HeaderSize, structure, field);
        ushort type = reader.ReadU16LE(structure, field);
        ushort length = reader.ReadU16LE(structure, field);
        return new LicenseBinaryBlob(type, reader.ReadBytes(length, structure, field));
    }

    /// <summary>
    /// Decodes a blob whose type must be one of <paramref name="allowedTypes"/>. A blob of length 0 may carry any
    /// type ([MS-RDPBCGR] 2.2.1.12.1.2: "if wBlobLen is 0, wBlobType is ignored").
    /// </summary>
    public static LicenseBinaryBlob Decode(ref WireReader reader, string structure, string field, params ReadOnlySpan<ushort> allowedTypes)
    {
        LicenseBinaryBlob blob = Decode(ref reader, structure, field);
        if (blob.WBlobLen != 0 && !allowedTypes.Contains(blob.WBlobType))
        {
            throw ProtocolException.InvalidField(structure, field, $"blob type 0x{blob.WBlobType:x4} is not {Describe(allowedTypes)}");
        }

        return blob;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(WBlobType);
        writer.WriteU16LE(WBlobLen);
        writer.WriteBytes(_blobData);
    }

    private static string Describe(ReadOnlySpan<ushort> types)
    {
        var parts = new string[types.Length];
        for (int i = 0; i < types.Length; i++)
        {
            parts[i] = $"0x{types[i]:x4}";
        }

        return string.Join(" or ", parts);
    }
}
