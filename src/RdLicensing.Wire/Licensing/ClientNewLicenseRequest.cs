namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.2 Client New License Request (CLIENT_NEW_LICENSE_REQUEST).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.2)
/// </summary>
/// <remarks>
/// The user and machine names are kept as the exact blob bytes (NUL-terminated ANSI from every known client), so
/// decoding then encoding gives the same bytes; <see cref="ClientUserNameText"/> and
/// <see cref="ClientMachineNameText"/> read them up to the first NUL.
/// </remarks>
public sealed class ClientNewLicenseRequest : ILicensingMessage
{
    public const string Name = "CLIENT_NEW_LICENSE_REQUEST";

    /// <summary>The size of ClientRandom.</summary>
    public const int RandomSize = 32;

    private readonly byte[] _clientRandom;
    private readonly byte[] _encryptedPreMasterSecret;
    private readonly byte[] _clientUserName;
    private readonly byte[] _clientMachineName;

    public ClientNewLicenseRequest(
        uint preferredKeyExchangeAlg,
        uint platformId,
        ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> encryptedPreMasterSecret,
        ReadOnlySpan<byte> clientUserName,
        ReadOnlySpan<byte> clientMachineName)
    {
        if (clientRandom.Length != RandomSize)
        {
            throw new ArgumentException($"the client random is {RandomSize} bytes, got {clientRandom.Length}", nameof(clientRandom));
        }

        if (encryptedPreMasterSecret.Length > ushort.MaxValue || clientUserName.Length > ushort.MaxValue || clientMachineName.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a blob holds at most 65535 bytes");
        }

        PreferredKeyExchangeAlg = preferredKeyExchangeAlg;
        PlatformId = platformId;
        _clientRandom = clientRandom.ToArray();
        _encryptedPreMasterSecret = encryptedPreMasterSecret.ToArray();
        _clientUserName = clientUserName.ToArray();
        _clientMachineName = clientMachineName.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.NewLicenseRequest;

    public uint PreferredKeyExchangeAlg { get; }

    public uint PlatformId { get; }

    public ReadOnlySpan<byte> ClientRandom => _clientRandom;

    /// <summary>The BB_RANDOM_BLOB: the premaster secret, raw-RSA encrypted, little-endian, plus 8 zero bytes.</summary>
    public ReadOnlySpan<byte> EncryptedPreMasterSecret => _encryptedPreMasterSecret;

    /// <summary>The bytes of the BB_CLIENT_USER_NAME_BLOB, terminator included.</summary>
    public ReadOnlySpan<byte> ClientUserName => _clientUserName;

    /// <summary>The bytes of the BB_CLIENT_MACHINE_NAME_BLOB, terminator included.</summary>
    public ReadOnlySpan<byte> ClientMachineName => _clientMachineName;

    public string ClientUserNameText => LicensingText.AnsiUpToNul(_clientUserName);

    public string ClientMachineNameText => LicensingText.AnsiUpToNul(_clientMachineName);

    public int EncodedSize =>
        4 // PreferredKeyExchangeAlg
        + 4 // PlatformId
        + RandomSize // ClientRandom
        + LicenseBinaryBlob.HeaderSize + _encryptedPreMasterSecret.Length // EncryptedPreMasterSecret
        + LicenseBinaryBlob.HeaderSize + _clientUserName.Length // ClientUserName
        + LicenseBinaryBlob.HeaderSize + _clientMachineName.Length; // ClientMachineName

    /// <summary>A request whose names are NUL-terminated ANSI strings, as every known client sends them.</summary>
    public static ClientNewLicenseRequest Create(
        uint platformId, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> encryptedPreMasterSecret, string userName, string machineName) =>
        new(ServerLicenseRequest.KeyExchangeAlgRsa, platformId, clientRandom, encryptedPreMasterSecret,
            [.. LicensingText.ToAnsiBytes(userName), 0], [.. LicensingText.ToAnsiBytes(machineName), 0]);

    public static ClientNewLicenseRequest Decode(ref WireReader reader)
    {
        reader.Ensure(8 + RandomSize, Name);
        uint algorithm = reader.ReadU32LE(Name, "PreferredKeyExchangeAlg");
        uint platformId = reader.ReadU32LE(Name, "PlatformId");
        ReadOnlySpan<byte> random = reader.ReadBytes(RandomSize, Name, "ClientRandom");

        // [MS-RDPELE] 2.2.2.2: blobs of type BB_RANDOM_BLOB, BB_CLIENT_USER_NAME_BLOB and BB_CLIENT_MACHINE_NAME_BLOB.
        LicenseBinaryBlob premaster = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedPreMasterSecret", BlobType.Random);
        LicenseBinaryBlob user = LicenseBinaryBlob.Decode(ref reader, Name, "ClientUserName", BlobType.ClientUserName);
        LicenseBinaryBlob machine = LicenseBinaryBlob.Decode(ref reader, Name, "ClientMachineName", BlobType.ClientMachineName);
        return new ClientNewLicenseRequest(algorithm, platformId, random, premaster.BlobData, user.BlobData, machine.BlobData);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(PreferredKeyExchangeAlg);
        writer.WriteU32LE(PlatformId);
        writer.WriteBytes(_clientRandom);
        new LicenseBinaryBlob(BlobType.Random, _encryptedPreMasterSecret).Encode(ref writer);
        new LicenseBinaryBlob(BlobType.ClientUserName, _clientUserName).Encode(ref writer);
        new LicenseBinaryBlob(BlobType.ClientMachineName, _clientMachineName).Encode(ref writer);
    }
}
