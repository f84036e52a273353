using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RdLicensing.Crypto.Cal;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.Licensing;

namespace RdLicensing.Crypto.Tests;

/// <summary>
/// The crypto of a whole licensing exchange ([MS-RDPELE] 1.3.3, 3.2.5) put together, the client side played as
/// FreeRDP does it (random client random, RSA-encrypted premaster, MACs checked) and as rdesktop does it (all zero).
/// </summary>
public sealed class LicensingFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void New_license_then_presentation(bool rdesktop)
    {
        using RSA rootKey = RSA.Create(1024);
        using RSA leafKey = RSA.Create(512);
        using SessionHostLicensingCertificates host = SessionHostLicensingCertificates.Create("HOST1", rootKey, leafKey, Now.AddDays(-1), Now.AddYears(5));
        using X509Certificate2 licenseServer = CalFixtures.SelfSignedLicenseServer("LS01");
        byte[] serverRandom = RandomNumberGenerator.GetBytes(32);

        // Client: reads the leaf key out of SERVER_CERTIFICATE and answers with CLIENT_NEW_LICENSE_REQUEST.
        RSAParameters clientView = ServerCertificate.Decode(host.X509Chain.Encode()).GetPublicKey();
        byte[] clientRandom = rdesktop ? new byte[32] : RandomNumberGenerator.GetBytes(32);
        byte[] premaster = rdesktop ? new byte[48] : RandomNumberGenerator.GetBytes(48);
        byte[] encryptedPremaster = rdesktop ? new byte[72] : LicensingCrypto.EncryptPremasterSecret(premaster, clientView);
        LicensingKeys clientKeys = LicensingCrypto.DeriveKeys(premaster, clientRandom, serverRandom);

        // Server: decrypts the premaster with the leaf key and derives the same keys.
        using RSA hostKey = host.Leaf.GetRSAPrivateKey()!;
        LicensingKeys serverKeys = LicensingCrypto.DeriveKeys(LicensingCrypto.DecryptPremasterSecret(encryptedPremaster, hostKey), clientRandom, serverRandom);
        Assert.Equal(clientKeys.MacSaltKey, serverKeys.MacSaltKey);
        Assert.Equal(clientKeys.LicensingEncryptionKey, serverKeys.LicensingEncryptionKey);

        // SERVER_PLATFORM_CHALLENGE: RC4("TEST\0") and its MAC; the client checks the MAC (FreeRDP does).
        byte[] challenge = Encoding.Unicode.GetBytes("TEST\0");
        byte[] encryptedChallenge = LicensingCrypto.Encrypt(serverKeys.LicensingEncryptionKey, challenge);
        byte[] clientChallenge = LicensingCrypto.Decrypt(clientKeys.LicensingEncryptionKey, encryptedChallenge);
        Assert.True(LicensingCrypto.VerifyMac(clientKeys.MacSaltKey, clientChallenge, LicensingCrypto.Mac(serverKeys.MacSaltKey, challenge)));

        // CLIENT_PLATFORM_CHALLENGE_RESPONSE: response data and HWID, each a fresh RC4 blob, MAC over both plaintexts.
        byte[] hwid = [.. BitConverter.GetBytes(0x04010000u), .. MD5.HashData("fclient"u8)];
        byte[] response = [0x00, 0x01, 0x00, 0xFF, 0x03, 0x00, 0x0A, 0x00, .. clientChallenge];
        byte[] encryptedResponse = LicensingCrypto.Encrypt(clientKeys.LicensingEncryptionKey, response);
        byte[] encryptedHwid = LicensingCrypto.Encrypt(clientKeys.LicensingEncryptionKey, hwid);
        byte[] responseMac = LicensingCrypto.Mac(clientKeys.MacSaltKey, [.. response, .. hwid]);
        byte[] serverResponse = LicensingCrypto.Decrypt(serverKeys.LicensingEncryptionKey, encryptedResponse);
        byte[] serverHwid = LicensingCrypto.Decrypt(serverKeys.LicensingEncryptionKey, encryptedHwid);
        Assert.True(LicensingCrypto.VerifyMac(serverKeys.MacSaltKey, [.. serverResponse, .. serverHwid], responseMac));
        Assert.Equal(hwid, serverHwid);

        // SERVER_NEW_LICENSE: the CAL from the license server inside NEW_LICENSE_INFO, encrypted with its MAC.
        byte[] cal = ClientLicenseBuilder.Build(CalFixtures.Content(hwid: serverHwid) with { NotBefore = Now, NotAfter = Now.AddDays(90) }, licenseServer);
        byte[] newLicenseInfo = NewLicenseInfo(cal);
        byte[] encryptedInfo = LicensingCrypto.Encrypt(serverKeys.LicensingEncryptionKey, newLicenseInfo);
        byte[] infoMac = LicensingCrypto.Mac(serverKeys.MacSaltKey, newLicenseInfo);
        byte[] clientInfo = LicensingCrypto.Decrypt(clientKeys.LicensingEncryptionKey, encryptedInfo);
        Assert.True(LicensingCrypto.VerifyMac(clientKeys.MacSaltKey, clientInfo, infoMac));
        byte[] stored = clientInfo[^cal.Length..];

        // Next connection: CLIENT_LICENSE_INFO presents the stored CAL and the HWID; the host verifies both.
        ClientLicenseVerification verdict = ClientLicenseVerifier.Verify(stored, [licenseServer], serverHwid, Now.AddDays(1));
        Assert.Equal(ClientLicenseStatus.Valid, verdict.Status);
        Assert.Equal(cal, stored);
    }

    private static byte[] NewLicenseInfo(byte[] cal)
    {
        byte[] scope = Encoding.ASCII.GetBytes("microsoft.com\0");
        byte[] company = Encoding.Unicode.GetBytes("Microsoft Corporation\0");
        byte[] product = Encoding.Unicode.GetBytes("A02\0");
        List<byte> info = [.. BitConverter.GetBytes(0x00060000u)];
        foreach (byte[] part in new[] { scope, company, product, cal })
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)part.Length);
            info.AddRange(length);
            info.AddRange(part);
        }

        return [.. info];
    }
}
