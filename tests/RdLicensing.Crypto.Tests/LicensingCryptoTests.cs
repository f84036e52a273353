using System.Security.Cryptography;
using System.Text;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.Licensing;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Tests;

/// <summary>
/// Known answers from IronRDP (Devolutions/IronRDP crates/ironrdp-pdu/src/rdp/server_license/
/// client_new_license_request/tests.rs, tests.rs `mac_data_computes_correctly`), taken as facts and
/// re-checked independently (rdpele.md section 4).
/// </summary>
public sealed class LicensingCryptoTests
{
    private static readonly byte[] ClientRandom = TestData.FromHex("4b5b7b43638a08fed17abaf5918577fe3936f6d778ec6acc894a90412cac5a49");
    private static readonly byte[] ServerRandom = TestData.FromHex("5c81f011ebcfd10eb41fb3ba93a2d73909aa99e910d4d795ddad916905266b6a");
    private static readonly byte[] Premaster = TestData.FromHex("1428dafbb9ea38ab5ea2f904f7899c983d504577bf17811c3787c24813e8c9204ddff327bdb6987e64dafe1d312f62ca");
    private static readonly byte[] MasterSecretValue = TestData.FromHex("fedc519adb3ac961040724945d0c43a770e3f30050d7a8723eab7e1be464e5c574aeed1072962a4c65094f6012a912a1");
    private static readonly byte[] SessionKeyBlobValue = TestData.FromHex("f70375b95fdad0beb42af5c13d98857ad6c5394ce3cb7661aa4ab6157e89213ddf5b2532ee05060d5baa6314afa5460f");

    [Fact]
    public void Salted_hash_A_is_the_first_block_of_the_master_secret()
    {
        byte[] hash = new byte[16];
        LicensingCrypto.SaltedHash(Premaster, "A"u8, ClientRandom, ServerRandom, hash);

        Assert.Equal("fedc519adb3ac961040724945d0c43a7", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Master_secret_matches_ironrdp()
    {
        byte[] master = new byte[48];
        LicensingCrypto.MasterSecret(Premaster, ClientRandom, ServerRandom, master);

        Assert.Equal(MasterSecretValue, master);
    }

    [Fact]
    public void Session_key_blob_swaps_the_randoms_and_matches_ironrdp()
    {
        byte[] blob = new byte[48];
        LicensingCrypto.SessionKeyBlob(MasterSecretValue, ClientRandom, ServerRandom, blob);

        Assert.Equal(SessionKeyBlobValue, blob);
    }

    [Fact]
    public void Licensing_keys_match_ironrdp()
    {
        LicensingKeys keys = LicensingCrypto.DeriveKeys(Premaster, ClientRandom, ServerRandom);

        Assert.Equal("fa44e878d82b3f1d4d00a0a655ce8ab7", Convert.ToHexStringLower(keys.LicensingEncryptionKey));
        Assert.Equal("f70375b95fdad0beb42af5c13d98857a", Convert.ToHexStringLower(keys.MacSaltKey));
    }

    [Fact]
    public void Mac_over_the_windows_platform_challenge_matches_ironrdp()
    {
        byte[] key = TestData.FromHex("681f7b267e760a242d9807d66b56c501");
        byte[] challenge = Encoding.Unicode.GetBytes("TEST\0");

        Assert.Equal("58af1f30d64ee806fcf9e6682164253d", Convert.ToHexStringLower(LicensingCrypto.Mac(key, challenge)));
        Assert.True(LicensingCrypto.VerifyMac(key, challenge, TestData.FromHex("58af1f30d64ee806fcf9e6682164253d")));
        Assert.False(LicensingCrypto.VerifyMac(key, challenge, new byte[16]));
        Assert.False(LicensingCrypto.VerifyMac(key, challenge, new byte[15]));
    }

    [Fact]
    public void Upgrade_license_decrypts_and_its_mac_verifies_as_in_ironrdp()
    {
        // IronRDP server_upgrade_license/tests.rs upgrade_license_verifies_correctly.
        byte[] encrypted = TestData.Hex("ironrdp-upgrade-license-encrypted.hex");
        byte[] licenseKey = TestData.FromHex("887d33a6130d76bf762a0f57711d40a3");
        byte[] macSaltKey = TestData.FromHex("d52c7cd271152c41bbd836db193ec0f3");

        byte[] plain = LicensingCrypto.Decrypt(licenseKey, encrypted);

        Assert.True(LicensingCrypto.VerifyMac(macSaltKey, plain, TestData.FromHex("e83846b7a8f95c66e38e108fb60480c7")));
        Assert.False(LicensingCrypto.VerifyMac(macSaltKey, encrypted, TestData.FromHex("e83846b7a8f95c66e38e108fb60480c7")));
        Assert.Equal("microsoft.com\0"u8.ToArray(), plain.AsSpan(8, 14).ToArray());
    }

    [Fact]
    public void Encrypted_premaster_secret_matches_ironrdp_under_the_windows_leaf_key()
    {
        // The 512-bit leaf of the chain in IronRDP client_new_license_request/tests.rs SERVER_LICENSE_REQUEST.
        // Its key algorithm is the obsolete 1.3.14.3.2.15, so the key is read straight from the BIT STRING.
        RSAParameters publicKey = X509RsaPublicKey.Read(TestData.Hex("ironrdp-new-license-request-leaf.hex"));
        Assert.Equal("abac8711", Convert.ToHexStringLower(publicKey.Modulus.AsSpan(0, 4)));

        byte[] encrypted = LicensingCrypto.EncryptPremasterSecret(Premaster, publicKey);

        Assert.Equal(
            "b095f7cb813445856583b2cf5bdffe406fd81414180b2b6daad0380aaf74e951552bdbfd3bd3fb2f3492ddc8af48f391618a5bbd8187ecb8cc0b0bc90d1ce7170000000000000000",
            Convert.ToHexStringLower(encrypted));
    }

    [Fact]
    public void Premaster_secret_round_trips_through_a_512_bit_key()
    {
        using RSA rsa = RSA.Create(512);
        byte[] encrypted = LicensingCrypto.EncryptPremasterSecret(Premaster, rsa.ExportParameters(false));

        Assert.Equal(72, encrypted.Length);
        Assert.Equal(Premaster, LicensingCrypto.DecryptPremasterSecret(encrypted, rsa.ExportParameters(true)));
    }

    [Theory]
    [InlineData(72)]
    [InlineData(64)]
    [InlineData(0)]
    public void Rdesktop_all_zero_ciphertext_gives_a_zero_premaster(int length)
    {
        using RSA rsa = RSA.Create(512);

        Assert.Equal(new byte[48], LicensingCrypto.DecryptPremasterSecret(new byte[length], rsa.ExportParameters(true)));
    }

    [Fact]
    public void Ciphertext_not_below_the_modulus_is_a_protocol_error()
    {
        using RSA rsa = RSA.Create(512);
        byte[] tooBig = Enumerable.Repeat((byte)0xFF, 64).ToArray();

        ProtocolException e = Assert.Throws<ProtocolException>(() => LicensingCrypto.DecryptPremasterSecret(tooBig, rsa.ExportParameters(true)));
        Assert.Equal("RSA ciphertext", e.Structure);
    }

    [Fact]
    public void Licensing_encryption_is_rc4_with_a_fresh_state_per_blob()
    {
        byte[] key = TestData.FromHex("fa44e878d82b3f1d4d00a0a655ce8ab7");
        byte[] data = Encoding.Unicode.GetBytes("TEST\0");

        byte[] first = LicensingCrypto.Encrypt(key, data);
        byte[] second = LicensingCrypto.Encrypt(key, data);

        Assert.Equal(first, second);
        Assert.Equal(Rc4.Transform(key, data), first);
        Assert.Equal(data, LicensingCrypto.Decrypt(key, first));
    }

    [Fact]
    public void Wrong_lengths_are_caller_errors()
    {
        byte[] destination = new byte[48];
        Assert.Throws<ArgumentException>(() => LicensingCrypto.MasterSecret(Premaster, new byte[31], ServerRandom, destination));
        Assert.Throws<ArgumentException>(() => LicensingCrypto.MasterSecret(Premaster.AsSpan(1), ClientRandom, ServerRandom, destination));
        Assert.Throws<ArgumentException>(() => LicensingCrypto.SessionKeyBlob(MasterSecretValue, ClientRandom, ServerRandom, new byte[47]));
    }
}

