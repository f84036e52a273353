namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.6 Server Upgrade License (SERVER_UPGRADE_LICENSE).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.6)
/// </summary>
/// <remarks>Same layout as SERVER_NEW_LICENSE (2.2.2.7); sent when a presented CAL is upgraded or renewed.</remarks>
public sealed class ServerUpgradeLicense : ILicensingMessage
{
    public const string Name = "SERVER_UPGRADE_LICENSE";

    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _encryptedLicenseInfo;
    private readonly byte[] _macData;

    public ServerUpgradeLicense(ReadOnlySpan<byte> encryptedLicenseInfo, ReadOnlySpan<byte> macData)
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

    public LicensingMessageType MessageType => LicensingMessageType.UpgradeLicense;

    /// <summary>The BB_ENCRYPTED_DATA_BLOB: RC4 of a NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> EncryptedLicenseInfo => _encryptedLicenseInfo;

    /// <summary>The MAC over the plaintext NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        LicenseBinaryBlob.HeaderSize + _encryptedLicenseInfo.Length // EncryptedLicenseInfo
        + MacSize; // MACData

    public static ServerUpgradeLicense Decode(ref WireReader reader)
    {
        // [MS-RDPELE] 2.2.2.6: EncryptedLicenseInfo is a BB_ENCRYPTED_DATA_BLOB.
        LicenseBinaryBlob info = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedLicenseInfo", BlobType.EncryptedData);
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, Name, "MACData");
        return new ServerUpgradeLicense(info.BlobData, mac);
    }

    public void Encode(ref WireWriter writer)
    {
        new LicenseBinaryBlob(BlobType.EncryptedData, _encryptedLicenseInfo).Encode(ref writer);
        writer.WriteBytes(_macData);
    }
}
