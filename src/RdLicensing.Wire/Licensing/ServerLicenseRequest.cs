namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.1 Server License Request (SERVER_LICENSE_REQUEST).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/e17772e9-9642-4bb6-a2bc-82875dd6da7c
/// </summary>
/// <remarks>
/// The server certificate is carried as the opaque bytes of its BB_CERTIFICATE_BLOB: the SERVER_CERTIFICATE structure
/// ([MS-RDPBCGR] 2.2.1.4.3.1) belongs to RdLicensing.Crypto. Empty bytes mean an empty blob, which Windows sends under
/// Standard RDP Security (the client then uses the certificate from the GCC Server Security Data).
/// </remarks>
public sealed class ServerLicenseRequest : ILicensingMessage
{
    public const string Name = "SERVER_LICENSE_REQUEST";

    /// <summary>The size of ServerRandom.</summary>
    public const int RandomSize = 32;

    /// <summary>KEY_EXCHANGE_ALG_RSA, the only key exchange algorithm.</summary>
    public const uint KeyExchangeAlgRsa = 0x00000001;

    private readonly byte[] _serverRandom;
    private readonly uint[] _keyExchangeList;
    private readonly byte[] _serverCertificate;

    public ServerLicenseRequest(
        ReadOnlySpan<byte> serverRandom,
        ProductInfo productInfo,
        ReadOnlySpan<uint> keyExchangeList,
        ReadOnlySpan<byte> serverCertificate,
        ScopeList scopeList)
    {
        if (serverRandom.Length != RandomSize)
        {
            throw new ArgumentException($"the server random is {RandomSize} bytes, got {serverRandom.Length}", nameof(serverRandom));
        }

        if (keyExchangeList.Length * 4 > ushort.MaxValue || serverCertificate.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a blob holds at most 65535 bytes");
        }

        _serverRandom = serverRandom.ToArray();
        ProductInfo = productInfo;
        _keyExchangeList = keyExchangeList.ToArray();
        _serverCertificate = serverCertificate.ToArray();
        ScopeList = scopeList;
    }

    public LicensingMessageType MessageType => LicensingMessageType.LicenseRequest;

    public ReadOnlySpan<byte> ServerRandom => _serverRandom;

    public ProductInfo ProductInfo { get; }

    /// <summary>The algorithm ids in the BB_KEY_EXCHG_ALG_BLOB (Windows sends KEY_EXCHANGE_ALG_RSA only).</summary>
    public ReadOnlySpan<uint> KeyExchangeList => _keyExchangeList;

    /// <summary>The bytes of the BB_CERTIFICATE_BLOB, a SERVER_CERTIFICATE; empty under Standard RDP Security.</summary>
    public ReadOnlySpan<byte> ServerCertificate => _serverCertificate;

    public ScopeList ScopeList { get; }

    public int EncodedSize =>
        RandomSize // ServerRandom
        + ProductInfo.EncodedSize // ProductInfo
        + LicenseBinaryBlob.HeaderSize + (_keyExchangeList.Length * 4) // KeyExchangeList
        + LicenseBinaryBlob.HeaderSize + _serverCertificate.Length // ServerCertificate
        + ScopeList.EncodedSize; // ScopeList

    public static ServerLicenseRequest Decode(ref WireReader reader)
    {
        ReadOnlySpan<byte> random = reader.ReadBytes(RandomSize, Name, "ServerRandom");
        ProductInfo productInfo = ProductInfo.Decode(ref reader);

        // [MS-RDPELE] 2.2.2.1: KeyExchangeList is a BB_KEY_EXCHG_ALG_BLOB holding an array of u32 algorithm ids.
        LicenseBinaryBlob keyExchange = LicenseBinaryBlob.Decode(ref reader, Name, "KeyExchangeList", BlobType.KeyExchangeAlgorithm);
        if (keyExchange.WBlobLen % 4 != 0)
        {
            throw ProtocolException.InvalidField(Name, "KeyExchangeList", $"{keyExchange.WBlobLen} bytes is not a whole number of u32 algorithm ids");
        }

        var algorithms = new uint[keyExchange.WBlobLen / 4];
        var algorithmReader = new WireReader(keyExchange.BlobData);
        for (int i = 0; i < algorithms.Length; i++)
        {
            algorithms[i] = algorithmReader.ReadU32LE(Name, "KeyExchangeList");
        }

        // [MS-RDPELE] 2.2.2.1: ServerCertificate is a BB_CERTIFICATE_BLOB (empty under Standard RDP Security).
        LicenseBinaryBlob certificate = LicenseBinaryBlob.Decode(ref reader, Name, "ServerCertificate", BlobType.Certificate);
        ScopeList scopes = ScopeList.Decode(ref reader);
        return new ServerLicenseRequest(random, productInfo, algorithms, certificate.BlobData, scopes);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteBytes(_serverRandom);
        ProductInfo.Encode(ref writer);
        writer.WriteU16LE(BlobType.KeyExchangeAlgorithm);
        writer.WriteU16LE((ushort)(_keyExchangeList.Length * 4));
        foreach (uint algorithm in _keyExchangeList)
        {
            writer.WriteU32LE(algorithm);
        }

        writer.WriteU16LE(BlobType.Certificate);
        writer.WriteU16LE((ushort)_serverCertificate.Length);
        writer.WriteBytes(_serverCertificate);
        ScopeList.Encode(ref writer);
    }
}
