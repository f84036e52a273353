namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.7 Server New License (SERVER_NEW_LICENSE).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.7)
/// </summary>
/// <remarks>Same layout as SERVER_UPGRADE_LICENSE (2.2.2.6); sent when a CAL is issued for the first time.</remarks>
public sealed class ServerNewLicense : ILicensingMessage
{
    public const string Name = "SERVER_NEW_LICENSE";

    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _encryptedLicenseInfo;
    private readonly byte[] _macData;

    public ServerNewLicense(ReadOnlySpan<byte> encryptedLicenseInfo, ReadOnlySpan<byte> macData)
    {
        if (encryptedLicenseInfo.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a blob holds at most 65535 bytes", nameof(encryptedLicenseInfo));
        }

        if (macData.Length != MacSize)
        {
            throw new ArgumentException($"the mac is {MacSize} bytes, got {macData.Length}", nameof(macData));
        }

        _encryptedLicenseInfo = encryptedLicenseInfo.ToArray();
        _macData = macData.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.NewLicense;

    /// <summary>The BB_ENCRYPTED_DATA_BLOB: RC4 of a NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> EncryptedLicenseInfo => _encryptedLicenseInfo;

    /// <summary>The MAC over the plaintext NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        LicenseBinaryBlob.HeaderSize + _encryptedLicenseInfo.Length // EncryptedLicenseInfo
        + MacSize; // MACData

    public static ServerNewLicense Decode(ref WireReader reader)
    {
        // [MS-RDPELE] 2.2.2.7: EncryptedLicenseInfo is a BB_ENCRYPTED_DATA_BLOB.
        LicenseBinaryBlob info = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedLicenseInfo", BlobType.EncryptedData);
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, Name, "MACData");
        return new ServerNewLicense(info.BlobData, mac);
    }

    public void Encode(ref WireWriter writer)
    {
        new LicenseBinaryBlob(BlobType.EncryptedData, _encryptedLicenseInfo).Encode(ref writer);
        writer.WriteBytes(_macData);
    }
}
