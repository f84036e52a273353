namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.3.1 Client Hardware Identification (CLIENT_HARDWARE_ID): PlatformId and four u32 of data.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.3.1)
/// </summary>
/// <remarks>
/// rdesktop fills Data1..Data4 with its NUL-padded host name (licence.c licence_generate_hwid), FreeRDP with the MD5 of
/// it (license.c license_generate_hwid); both are opaque here.
/// </remarks>
public sealed class ClientHardwareId
{
    public const string Name = "CLIENT_HARDWARE_ID";

    /// <summary>The size of the structure.</summary>
    public const int Size =
        4 // PlatformId
        + 4 // Data1
        + 4 // Data2
        + 4 // Data3
        + 4; // Data4

    public ClientHardwareId(uint platformId, uint data1, uint data2, uint data3, uint data4)
    {
        PlatformId = platformId;
        Data1 = data1;
        Data2 = data2;
        Data3 = data3;
        Data4 = data4;
    }

    public uint PlatformId { get; }

    public uint Data1 { get; }

    public uint Data2 { get; }

    public uint Data3 { get; }

    public uint Data4 { get; }

    public int EncodedSize => Size;

    /// <summary>Decodes exactly <see cref="Size"/> bytes that must be the whole input (a decrypted EncryptedHWID).</summary>
    public static ClientHardwareId Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        ClientHardwareId id = Decode(ref reader);
        reader.EnsureEnd(Name);
        return id;
    }

    public static ClientHardwareId Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        return new ClientHardwareId(
            reader.ReadU32LE(Name, "PlatformId"),
            reader.ReadU32LE(Name, "Data1"),
            reader.ReadU32LE(Name, "Data2"),
            reader.ReadU32LE(Name, "Data3"),
            reader.ReadU32LE(Name, "Data4"));
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(PlatformId);
        writer.WriteU32LE(Data1);
        writer.WriteU32LE(Data2);
        writer.WriteU32LE(Data3);
        writer.WriteU32LE(Data4);
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        var writer = new WireWriter(bytes);
        Encode(ref writer);
        return bytes;
    }
}
