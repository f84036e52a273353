namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The layout SERVER_NEW_LICENSE ([MS-RDPELE] 2.2.2.7) and SERVER_UPGRADE_LICENSE (2.2.2.6) share: EncryptedLicenseInfo
/// (a BB_ENCRYPTED_DATA_BLOB holding RC4 of a NEW_LICENSE_INFO) and a 16-byte MACData. The two messages differ only in
/// their message type; <see cref="ServerNewLicense"/> and <see cref="ServerUpgradeLicense"/> name them.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (sections 2.2.2.6, 2.2.2.7)
/// </summary>
public abstract class ServerLicenseMessage : ILicensingMessage
{
    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _encryptedLicenseInfo;
    private readonly byte[] _macData;

    private protected ServerLicenseMessage(ReadOnlySpan<byte> encryptedLicenseInfo, ReadOnlySpan<byte> macData)
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

    public abstract LicensingMessageType MessageType { get; }

    /// <summary>The BB_ENCRYPTED_DATA_BLOB: RC4 of a NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> EncryptedLicenseInfo => _encryptedLicenseInfo;

    /// <summary>The MAC over the plaintext NEW_LICENSE_INFO.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        LicenseBinaryBlob.HeaderSize + _encryptedLicenseInfo.Length // EncryptedLicenseInfo
        + MacSize; // MACData

    public void Encode(ref WireWriter writer)
    {
        new LicenseBinaryBlob(BlobType.EncryptedData, _encryptedLicenseInfo).Encode(ref writer);
        writer.WriteBytes(_macData);
    }

    /// <summary>Reads the shared body; <paramref name="name"/> is the message's name for errors.</summary>
    private protected static (byte[] EncryptedLicenseInfo, byte[] MacData) DecodeBody(ref WireReader reader, string name)
    {
        // EncryptedLicenseInfo is a BB_ENCRYPTED_DATA_BLOB.
        LicenseBinaryBlob info = LicenseBinaryBlob.Decode(ref reader, name, "EncryptedLicenseInfo", BlobType.EncryptedData);
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, name, "MACData");
        return (info.BlobData.ToArray(), mac.ToArray());
    }
}
