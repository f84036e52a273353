namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.3 Client License Information (CLIENT_LICENSE_INFO): the client presents a stored CAL.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.3)
/// </summary>
/// <remarks>
/// EncryptedHWID is a BB_ENCRYPTED_DATA_BLOB in the spec; rdesktop (licence.c licence_info) sends it as BB_DATA_BLOB,
/// so both types are accepted and the type is kept.
/// </remarks>
public sealed class ClientLicenseInfo : ILicensingMessage
{
    public const string Name = "CLIENT_LICENSE_INFO";

    /// <summary>The size of ClientRandom.</summary>
    public const int RandomSize = 32;

    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _clientRandom;
    private readonly byte[] _encryptedPreMasterSecret;
    private readonly byte[] _licenseInfo;
    private readonly byte[] _macData;

    public ClientLicenseInfo(
        uint preferredKeyExchangeAlg,
        uint platformId,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> encryptedPreMasterSecret,
        ReadOnlySpan<byte> licenseInfo,
        LicenseBinaryBlob encryptedHwid,
        ReadOnlySpan<byte> macData)
    {
        if (clientRandom.Length != RandomSize)
        {
            throw new ArgumentException($"the client random is {RandomSize} bytes, got {clientRandom.Length}", nameof(clientRandom));
        }

        if (macData.Length != MacSize)
        {
            throw new ArgumentException($"the mac is {MacSize} bytes, got {macData.Length}", nameof(macData));
        }

        if (encryptedPreMasterSecret.Length > ushort.MaxValue || licenseInfo.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a blob holds at most 65535 bytes");
        }

        PreferredKeyExchangeAlg = preferredKeyExchangeAlg;
        PlatformId = platformId;
        _clientRandom = clientRandom.ToArray();
        _encryptedPreMasterSecret = encryptedPreMasterSecret.ToArray();
        _licenseInfo = licenseInfo.ToArray();
        EncryptedHwid = encryptedHwid;
        _macData = macData.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.LicenseInfo;

    public uint PreferredKeyExchangeAlg { get; }

    public uint PlatformId { get; }

    public ReadOnlySpan<byte> ClientRandom => _clientRandom;

    /// <summary>The BB_RANDOM_BLOB: the encrypted premaster secret.</summary>
    public ReadOnlySpan<byte> EncryptedPreMasterSecret => _encryptedPreMasterSecret;

    /// <summary>The BB_DATA_BLOB: the CAL the client stored, byte for byte.</summary>
    public ReadOnlySpan<byte> LicenseInfo => _licenseInfo;

    /// <summary>The RC4-encrypted CLIENT_HARDWARE_ID (type BB_ENCRYPTED_DATA_BLOB, or BB_DATA_BLOB from rdesktop).</summary>
    public LicenseBinaryBlob EncryptedHwid { get; }

    /// <summary>The MAC over the plaintext CLIENT_HARDWARE_ID.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        4 // PreferredKeyExchangeAlg
        + 4 // PlatformId
        + RandomSize // ClientRandom
        + LicenseBinaryBlob.HeaderSize + _encryptedPreMasterSecret.Length // EncryptedPreMasterSecret
        + LicenseBinaryBlob.HeaderSize + _licenseInfo.Length // LicenseInfo
        + EncryptedHwid.EncodedSize // EncryptedHWID
        + MacSize; // MACData

    public static ClientLicenseInfo Decode(ref WireReader reader)
    {
        reader.Ensure(8 + RandomSize, Name);
        uint algorithm = reader.ReadU32LE(Name, "PreferredKeyExchangeAlg");
        uint platformId = reader.ReadU32LE(Name, "PlatformId");
        ReadOnlySpan<byte> random = reader.ReadBytes(RandomSize, Name, "ClientRandom");

        // [MS-RDPELE] 2.2.2.3: BB_RANDOM_BLOB, BB_DATA_BLOB, BB_ENCRYPTED_DATA_BLOB (rdesktop: BB_DATA_BLOB), then 16 bytes.
        LicenseBinaryBlob premaster = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedPreMasterSecret", BlobType.Random);
        LicenseBinaryBlob licenseInfo = LicenseBinaryBlob.Decode(ref reader, Name, "LicenseInfo", BlobType.Data);
        LicenseBinaryBlob hwid = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedHWID", BlobType.EncryptedData, BlobType.Data);
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, Name, "MACData");
        return new ClientLicenseInfo(algorithm, platformId, random, premaster.BlobData, licenseInfo.BlobData, hwid, mac);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(PreferredKeyExchangeAlg);
        writer.WriteU32LE(PlatformId);
        writer.WriteBytes(_clientRandom);
        new LicenseBinaryBlob(BlobType.Random, _encryptedPreMasterSecret).Encode(ref writer);
        new LicenseBinaryBlob(BlobType.Data, _licenseInfo).Encode(ref writer);
        EncryptedHwid.Encode(ref writer);
        writer.WriteBytes(_macData);
    }
}
