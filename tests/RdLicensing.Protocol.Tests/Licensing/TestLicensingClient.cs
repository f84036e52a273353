using System.Security.Cryptography;
using System.Text;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.Licensing;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Tests.Licensing;

/// <summary>How a test client behaves, after the two real clients (rdpele.md sections 2 and 3).</summary>
public enum ClientStyle
{
    /// <summary>
    /// rdesktop 1.9 (licence.c): all-zero client random and premaster (72 zero bytes), PlatformId 0xFF010000 /
    /// 0x02010000, HWID = 2 then the host name NUL-padded, raw encrypted challenge echoed in BB_DATA_BLOBs.
    /// </summary>
    Rdesktop,

    /// <summary>
    /// FreeRDP 2.11 (license.c): random client random and premaster RSA-encrypted to the server certificate,
    /// PlatformId 0x04010000, HWID = PlatformId then MD5(host name), PLATFORM_CHALLENGE_RESPONSE_DATA in
    /// BB_ENCRYPTED_DATA_BLOBs; verifies the challenge and license MACs.
    /// </summary>
    FreeRdp,
}

/// <summary>A client side of the licensing exchange built from the wire PDUs and the licensing crypto, for tests.</summary>
internal sealed class TestLicensingClient
{
    private readonly ClientStyle _style;
    private readonly string _user;
    private readonly string _machine;
    private readonly RSAParameters? _gccKey;
    private LicensingKeys? _keys;

    public TestLicensingClient(ClientStyle style, string user = "alice", string machine = "testclient", RSAParameters? gccKey = null)
    {
        _style = style;
        _user = user;
        _machine = machine;
        _gccKey = gccKey;
        Hwid = style == ClientStyle.Rdesktop
            ? [0x02, 0x00, 0x00, 0x00, .. PadTo16(Encoding.ASCII.GetBytes(machine))]
            : [0x00, 0x00, 0x01, 0x04, .. MD5.HashData(Encoding.ASCII.GetBytes(machine))];
    }

    public byte[] Hwid { get; }

    public LicensingKeys Keys => _keys ?? throw new InvalidOperationException("no keys yet");

    public ServerLicenseRequest? LastRequest { get; private set; }

    /// <summary>Answers SERVER_LICENSE_REQUEST: NEW_LICENSE_REQUEST, or LICENSE_INFO when a CAL is stored.</summary>
    public byte[] OnLicenseRequest(byte[] payload, byte[]? storedCal = null, bool corruptMac = false)
    {
        ServerLicenseRequest request = Assert.IsType<ServerLicenseRequest>(LicensingPdu.Decode(payload).Message);
        LastRequest = request;
        byte[] clientRandom = new byte[32];
        byte[] premaster = new byte[48];
        byte[] encryptedPremaster = new byte[72];
        if (_style == ClientStyle.FreeRdp)
        {
            RandomNumberGenerator.Fill(clientRandom);
            RandomNumberGenerator.Fill(premaster);
            premaster[^1] &= 0x3f; // stays below any 512-bit modulus
            RSAParameters key = request.ServerCertificate.IsEmpty
                ? _gccKey ?? throw new InvalidOperationException("no certificate and no gcc key")
                : ServerCertificate.Decode(request.ServerCertificate).GetPublicKey();
            encryptedPremaster = LicensingCrypto.EncryptPremasterSecret(premaster, key);
        }

        _keys = LicensingCrypto.DeriveKeys(premaster, clientRandom, request.ServerRandom);
        uint platformId = _style == ClientStyle.Rdesktop ? 0xFF010000 : 0x04010000;
        if (storedCal is null)
        {
            return LicensingPdu.Serialize(ClientNewLicenseRequest.Create(platformId, clientRandom, encryptedPremaster, _user, _machine));
        }

        byte[] mac = LicensingCrypto.Mac(Keys.MacSaltKey, Hwid);
        if (corruptMac)
        {
            mac[0] ^= 0x01;
        }

        ushort hwidType = _style == ClientStyle.Rdesktop ? BlobType.Data : BlobType.EncryptedData;
        var info = new ClientLicenseInfo(
            1,
            _style == ClientStyle.Rdesktop ? 0x02010000 : platformId,
            clientRandom,
            encryptedPremaster,
            storedCal,
            new LicenseBinaryBlob(hwidType, LicensingCrypto.Encrypt(Keys.LicensingEncryptionKey, Hwid)),
            mac);
        return LicensingPdu.Serialize(info);
    }

    /// <summary>The decrypted challenge of SERVER_PLATFORM_CHALLENGE; FreeRDP-style clients check its MAC.</summary>
    public byte[] DecryptChallenge(byte[] payload)
    {
        ServerPlatformChallenge challenge = Assert.IsType<ServerPlatformChallenge>(LicensingPdu.Decode(payload).Message);
        byte[] plain = LicensingCrypto.Decrypt(Keys.LicensingEncryptionKey, challenge.EncryptedPlatformChallenge.BlobData);
        Assert.True(LicensingCrypto.VerifyMac(Keys.MacSaltKey, plain, challenge.MacData), "the challenge mac verifies");
        return plain;
    }

    /// <summary>Answers SERVER_PLATFORM_CHALLENGE in this client's style.</summary>
    public byte[] OnPlatformChallenge(byte[] payload, bool corruptMac = false)
    {
        ServerPlatformChallenge challenge = Assert.IsType<ServerPlatformChallenge>(LicensingPdu.Decode(payload).Message);
        byte[] plain = DecryptChallenge(payload);
        return _style == ClientStyle.Rdesktop
            ? Response(plain, BlobType.Data, corruptMac, echoed: challenge.EncryptedPlatformChallenge.BlobData.ToArray())
            : Response(FreeRdpResponseData(plain), BlobType.EncryptedData, corruptMac);
    }

    /// <summary>A challenge response carrying <paramref name="responseData"/> with a correct (or corrupted) MAC.</summary>
    public byte[] Response(byte[] responseData, ushort blobType, bool corruptMac = false, byte[]? echoed = null)
    {
        byte[] mac = LicensingCrypto.Mac(Keys.MacSaltKey, [.. responseData, .. Hwid]);
        if (corruptMac)
        {
            mac[15] ^= 0x80;
        }

        return LicensingPdu.Serialize(new ClientPlatformChallengeResponse(
            new LicenseBinaryBlob(blobType, echoed ?? LicensingCrypto.Encrypt(Keys.LicensingEncryptionKey, responseData)),
            new LicenseBinaryBlob(blobType, LicensingCrypto.Encrypt(Keys.LicensingEncryptionKey, Hwid)),
            mac));
    }

    public static byte[] FreeRdpResponseData(byte[] challenge) =>
        new PlatformChallengeResponseData(
            PlatformChallengeResponseData.Version, PlatformChallengeResponseData.ClientTypeOther, PlatformChallengeResponseData.DetailDetail, challenge).ToBytes();

    /// <summary>Decrypts SERVER_NEW_LICENSE or SERVER_UPGRADE_LICENSE and checks its MAC, as FreeRDP does.</summary>
    public NewLicenseInfo OnLicense(byte[] payload)
    {
        ILicensingMessage message = LicensingPdu.Decode(payload).Message;
        (byte[] encrypted, byte[] mac) = message switch
        {
            ServerNewLicense n => (n.EncryptedLicenseInfo.ToArray(), n.MacData.ToArray()),
            ServerUpgradeLicense u => (u.EncryptedLicenseInfo.ToArray(), u.MacData.ToArray()),
            _ => throw new InvalidOperationException($"not a license: {message.MessageType}"),
        };
        byte[] plain = LicensingCrypto.Decrypt(Keys.LicensingEncryptionKey, encrypted);
        Assert.True(LicensingCrypto.VerifyMac(Keys.MacSaltKey, plain, mac), "the license mac verifies");
        return NewLicenseInfo.Decode(plain);
    }

    private static byte[] PadTo16(byte[] name)
    {
        byte[] padded = new byte[16];
        name.AsSpan(0, Math.Min(15, name.Length)).CopyTo(padded);
        return padded;
    }
}
