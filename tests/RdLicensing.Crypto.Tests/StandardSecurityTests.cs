using System.Security.Cryptography;
using System.Text;
using RdLicensing.Crypto.StandardSecurity;

namespace RdLicensing.Crypto.Tests;

/// <summary>
/// Known answers for Standard RDP Security ([MS-RDPBCGR] 5.3.5.1, 5.3.6.1, 5.3.6.1.1, 5.3.7). No worked values are
/// published for these sections, so the expected bytes come from an independent Python transcription of the spec's
/// formulas (randoms 00..1f and 80..9f, data "licensing pdu body"), not from this code.
/// </summary>
public sealed class StandardSecurityTests
{
    private static readonly byte[] ClientRandom = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] ServerRandom = Enumerable.Range(0x80, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Data = Encoding.ASCII.GetBytes("licensing pdu body");

    [Theory]
    [InlineData(EncryptionMethod.Bits40, "d1269e9347180b6a", "d1269e59314b292d", "d1269ecb8ddc9011")]
    [InlineData(EncryptionMethod.Bits56, "d1a9be9347180b6a", "d174ee59314b292d", "d18177cb8ddc9011")]
    [InlineData(EncryptionMethod.Bits128, "67a9be9347180b6a49918713db69f2c5", "4574ee59314b292dc2fbd69d00aa7331", "818177cb8ddc9011780552cb3d140abb")]
    public void Session_keys_match_the_spec_derivation(EncryptionMethod method, string mac, string encrypt, string decrypt)
    {
        StandardSecurityKeys keys = StandardSecurityKeys.Derive(ClientRandom, ServerRandom, method);

        Assert.Equal(mac, Convert.ToHexStringLower(keys.MacKey));
        Assert.Equal(encrypt, Convert.ToHexStringLower(keys.EncryptKey));
        Assert.Equal(decrypt, Convert.ToHexStringLower(keys.DecryptKey));
    }

    [Theory]
    [InlineData(EncryptionMethod.Bits40, null, "e2faaf93bac4f1c4")]
    [InlineData(EncryptionMethod.Bits40, 0u, "ef203ee1aee04ed6")]
    [InlineData(EncryptionMethod.Bits40, 7u, "8e6a6c73363b5875")]
    [InlineData(EncryptionMethod.Bits128, null, "fd47df33c1253c76")]
    [InlineData(EncryptionMethod.Bits128, 0u, "0985d525c3918303")]
    [InlineData(EncryptionMethod.Bits128, 7u, "ba6a151fc4b9f0b3")]
    public void Mac_signature_and_salted_mac_match(EncryptionMethod method, uint? count, string expected)
    {
        StandardSecurityKeys keys = StandardSecurityKeys.Derive(ClientRandom, ServerRandom, method);
        byte[] signature = new byte[8];

        StandardSecuritySession.Signature(keys.MacKey, Data, count, signature);

        Assert.Equal(expected, Convert.ToHexStringLower(signature));
    }

    [Theory]
    [InlineData(EncryptionMethod.Bits40, "e2faaf93bac4f1c4" + "47252d6a333f1775b94382664e9549144bce")]
    [InlineData(EncryptionMethod.Bits128, "fd47df33c1253c76" + "c200deb9e06bd1d69306b4185c2c034a38bd")]
    public void First_server_packet_is_signature_then_rc4_ciphertext(EncryptionMethod method, string expected)
    {
        StandardSecuritySession session = new(StandardSecurityKeys.Derive(ClientRandom, ServerRandom, method));

        Assert.Equal(expected, Convert.ToHexStringLower(session.Encrypt(Data)));
        Assert.Equal(1u, session.EncryptedCount);
    }

    [Theory]
    [InlineData(EncryptionMethod.Bits40, "d1269efa93ff2e53")]
    [InlineData(EncryptionMethod.Bits56, "d1364c01ef9bc6d3")]
    [InlineData(EncryptionMethod.Bits128, "485df4c9485d0ea166045f46bf469c8f")]
    public void First_key_update_matches(EncryptionMethod method, string expected)
    {
        byte[] initial = StandardSecurityKeys.Derive(ClientRandom, ServerRandom, method).EncryptKey;

        Assert.Equal(expected, Convert.ToHexStringLower(StandardSecuritySession.UpdateKey(initial, initial, method)));
    }

    [Fact]
    public void Packet_4097_uses_the_updated_key_and_the_salted_count_keeps_running()
    {
        StandardSecuritySession session = new(StandardSecurityKeys.Derive(ClientRandom, ServerRandom, EncryptionMethod.Bits128));
        for (int i = 0; i < StandardSecuritySession.KeyUpdateInterval; i++)
        {
            session.Encrypt(Data);
        }

        byte[] packet = session.Encrypt(Data, saltedMac: true);

        Assert.Equal("a0fd853a5b4f1e96", Convert.ToHexStringLower(packet.AsSpan(0, 8)));
        Assert.Equal("db9591fe177f6b0975148842fb9ee681fda6", Convert.ToHexStringLower(packet.AsSpan(8)));
    }

    [Theory]
    [InlineData(EncryptionMethod.Bits40, false)]
    [InlineData(EncryptionMethod.Bits56, true)]
    [InlineData(EncryptionMethod.Bits128, true)]
    public void Server_decrypts_what_a_client_with_swapped_keys_encrypts_across_key_updates(EncryptionMethod method, bool salted)
    {
        StandardSecurityKeys server = StandardSecurityKeys.Derive(ClientRandom, ServerRandom, method);
        StandardSecurityKeys client = server with { EncryptKey = server.DecryptKey, DecryptKey = server.EncryptKey };
        StandardSecuritySession serverSession = new(server);
        StandardSecuritySession clientSession = new(client);

        for (int i = 0; i < 4100; i++)
        {
            byte[] body = Encoding.ASCII.GetBytes($"pdu {i}");
            byte[] wire = clientSession.Encrypt(body, salted);
            byte[] plain = new byte[body.Length];

            Assert.True(serverSession.TryDecrypt(wire.AsSpan(0, 8), wire.AsSpan(8), plain, salted), $"packet {i}");
            Assert.Equal(body, plain);
        }
    }

    [Fact]
    public void Tampered_ciphertext_or_signature_fails_the_mac()
    {
        StandardSecurityKeys server = StandardSecurityKeys.Derive(ClientRandom, ServerRandom, EncryptionMethod.Bits128);
        StandardSecurityKeys client = server with { EncryptKey = server.DecryptKey, DecryptKey = server.EncryptKey };
        byte[] wire = new StandardSecuritySession(client).Encrypt(Data);
        byte[] plain = new byte[Data.Length];

        byte[] badBody = wire.ToArray();
        badBody[10] ^= 1;
        Assert.False(new StandardSecuritySession(server).TryDecrypt(badBody.AsSpan(0, 8), badBody.AsSpan(8), plain));

        byte[] badSignature = wire.ToArray();
        badSignature[0] ^= 1;
        Assert.False(new StandardSecuritySession(server).TryDecrypt(badSignature.AsSpan(0, 8), badSignature.AsSpan(8), plain));

        Assert.False(new StandardSecuritySession(server).TryDecrypt(wire.AsSpan(0, 7), wire.AsSpan(8), plain));
    }

    [Fact]
    public void Client_random_is_decrypted_from_the_security_exchange()
    {
        using RSA serverKey = RSA.Create(512);
        byte[] encrypted = RawRsa.Encrypt(ClientRandom, serverKey.ExportParameters(false));

        Assert.Equal(72, encrypted.Length);
        Assert.Equal(ClientRandom, StandardSecurityKeys.DecryptClientRandom(encrypted, serverKey.ExportParameters(true)));
    }

    [Fact]
    public void Fips_and_bad_randoms_are_caller_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardSecurityKeys.Derive(ClientRandom, ServerRandom, (EncryptionMethod)0x10));
        Assert.Throws<ArgumentException>(() => StandardSecurityKeys.Derive(ClientRandom.AsSpan(1), ServerRandom, EncryptionMethod.Bits128));
    }
}
