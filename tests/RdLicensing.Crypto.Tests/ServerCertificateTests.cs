using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.Licensing;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Tests;

public sealed class ServerCertificateTests
{
    private static readonly byte[] WindowsProprietary = TestData.Hex("ironrdp-proprietary-certificate.hex");
    private static readonly byte[] WindowsChain = TestData.Hex("windows-x509-server-certificate.hex");

    [Fact]
    public void Windows_proprietary_certificate_decodes_and_its_tssk_signature_verifies()
    {
        ServerCertificate certificate = ServerCertificate.Decode(WindowsProprietary);

        ProprietaryCertificate proprietary = Assert.IsType<ProprietaryCertificate>(certificate.Proprietary);
        Assert.Equal(1u, certificate.Version);
        Assert.False(certificate.IssuedPermanently);
        Assert.Equal(0x10001u, proprietary.PublicKey.PublicExponent);
        Assert.Equal(512, proprietary.PublicKey.BitLength);
        Assert.Equal("cb81feba", Convert.ToHexStringLower(proprietary.PublicKey.ModulusLittleEndian.AsSpan(0, 4)));
        Assert.True(proprietary.VerifySignature());
    }

    [Fact]
    public void Windows_proprietary_certificate_round_trips_byte_for_byte()
    {
        ServerCertificate certificate = ServerCertificate.Decode(WindowsProprietary);

        Assert.Equal(WindowsProprietary.Length, certificate.EncodedSize);
        Assert.Equal(WindowsProprietary, certificate.Encode());
    }

    [Fact]
    public void Signing_the_windows_key_with_the_tssk_reproduces_the_windows_signature()
    {
        RSAParameters key = ServerCertificate.Decode(WindowsProprietary).GetPublicKey();

        ProprietaryCertificate signed = ProprietaryCertificate.Create(key);

        Assert.Equal(WindowsProprietary, ServerCertificate.FromProprietary(signed).Encode());
    }

    [Fact]
    public void Tampered_proprietary_certificate_fails_verification()
    {
        byte[] tampered = WindowsProprietary.ToArray();
        tampered[40] ^= 0x01; // a modulus byte

        Assert.False(ServerCertificate.Decode(tampered).Proprietary!.VerifySignature());
    }

    [Fact]
    public void Windows_x509_chain_decodes_with_the_leaf_last()
    {
        ServerCertificate certificate = ServerCertificate.Decode(WindowsChain);

        X509CertificateChain chain = Assert.IsType<X509CertificateChain>(certificate.Chain);
        Assert.Equal(0x80000002u, certificate.Version);
        Assert.True(certificate.IssuedPermanently);
        Assert.Equal([757, 1277], chain.Certificates.Select(c => c.Length));
        Assert.Equal(16, chain.PaddingSize);
        Assert.Equal("c8906bf0", Convert.ToHexStringLower(certificate.GetPublicKey().Modulus.AsSpan(0, 4)));
    }

    [Fact]
    public void Windows_x509_chain_round_trips_byte_for_byte()
    {
        ServerCertificate certificate = ServerCertificate.Decode(WindowsChain);

        Assert.Equal(WindowsChain.Length, certificate.EncodedSize);
        Assert.Equal(WindowsChain, certificate.Encode());
    }

    [Fact]
    public void Chain_without_padding_is_accepted()
    {
        ServerCertificate certificate = ServerCertificate.Decode(WindowsChain.AsSpan(0, WindowsChain.Length - 16));

        Assert.Equal(2, certificate.Chain!.Certificates.Count);
    }

    public static TheoryData<string, string, string?> Malformed => new()
    {
        { "empty", "", "dwVersion" },
        { "version 3", "03000000", "dwVersion" },
        { "truncated proprietary", "0100000001000000", "dwKeyAlgId" },
        { "wrong signature algorithm", "0100000002000000", "dwSigAlgId" },
        { "wrong key blob type", "01000000010000000100000007004800", "wPublicKeyBlobType" },
        { "key blob longer than input", "01000000010000000100000006004800525341", "PublicKeyBlob" },
        { "bad rsa magic", "010000000100000001000000060014005253413248000000000200003f00000001000100", "magic" },
        { "keylen disagrees with bitlen", "010000000100000001000000060014005253413149000000000200003f00000001000100", "keylen" },
        { "datalen disagrees with bitlen", "010000000100000001000000060014005253413148000000000200004000000001000100", "datalen" },
        { "bitlen not whole bytes", "010000000100000001000000060014005253413148000000040200003f00000001000100", "bitlen" },
        { "bitlen of 8 megabits", "01000000010000000100000006001400525341310800100000008000ffff0f0001000100", "bitlen" },
        { "zero modulus", "010000000100000001000000060024005253413110000000400000000700000001000100" + "0000000000000000" + "0000000000000000", "modulus" },
        { "modulus shorter than keylen", "01000000010000000100000006001c00525341314800000000020000" + "3f00000001000100" + "0000000000000000", "modulus" },
        { "no certificates", "0200008000000000", "NumCertBlobs" },
        { "one certificate", "0200008001000000", "NumCertBlobs" },
        { "201 certificates", "02000080c9000000", "NumCertBlobs" },
        { "certificate longer than input", "0200008002000000ffffff7f3082", "CertBlobArray[0].abCert" },
        { "zero-length certificate", "020000800200000000000000", "CertBlobArray[0].cbCert" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_certificates_raise_a_protocol_exception_naming_the_field(string _, string hex, string? field)
    {
        ProtocolException e = Assert.Throws<ProtocolException>(() => ServerCertificate.Decode(Convert.FromHexString(hex)));

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Trailing_bytes_after_a_proprietary_certificate_are_rejected()
    {
        ProtocolException e = Assert.Throws<ProtocolException>(() => ServerCertificate.Decode([.. WindowsProprietary, 0x00]));

        Assert.Equal(DecodeErrorKind.TrailingBytes, e.Kind);
    }

    [Fact]
    public void Every_truncation_of_real_certificates_raises_a_protocol_exception()
    {
        foreach (byte[] source in new[] { WindowsProprietary, WindowsChain[..^16] })
        {
            for (int length = 0; length < source.Length; length += length < 64 ? 1 : 37)
            {
                byte[] prefix = source[..length];
                Assert.Throws<ProtocolException>(() => ServerCertificate.Decode(prefix));
            }
        }
    }

    [Fact]
    public void Mutated_certificates_decode_or_raise_a_protocol_exception_only() =>
        Gen.Select(Gen.Int[0, WindowsProprietary.Length - 1], Gen.Byte, Gen.Bool).Sample((index, value, chain) =>
        {
            byte[] mutated = (chain ? WindowsChain : WindowsProprietary).ToArray();
            mutated[index % mutated.Length] = value;
            try
            {
                ServerCertificate.Decode(mutated);
            }
            catch (ProtocolException)
            {
            }
        });

    [Fact]
    public void Session_host_set_is_a_512_bit_leaf_issued_by_a_self_signed_root()
    {
        using RSA rootKey = RSA.Create(1024);
        using RSA leafKey = RSA.Create(512);
        DateTimeOffset now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

        using SessionHostLicensingCertificates set = SessionHostLicensingCertificates.Create("HOST1", rootKey, leafKey, now, now.AddYears(10));

        Assert.Equal(set.Root.SubjectName.RawData, set.Root.IssuerName.RawData);
        Assert.Equal(set.Root.SubjectName.RawData, set.Leaf.IssuerName.RawData);
        Assert.True(set.Leaf.HasPrivateKey);
        using (X509Chain x509 = new())
        {
            x509.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509.ChainPolicy.CustomTrustStore.Add(set.Root);
            x509.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            x509.ChainPolicy.VerificationTime = now.AddDays(1).UtcDateTime;
            Assert.True(x509.Build(set.Leaf), string.Join(", ", x509.ChainStatus.Select(s => s.StatusInformation)));
        }

        ServerCertificate decoded = ServerCertificate.Decode(set.X509Chain.Encode());
        Assert.Equal(0x80000002u, decoded.Version);
        Assert.Equal(set.Leaf.RawData, decoded.Chain!.Leaf);
        Assert.Equal(set.Root.RawData, decoded.Chain.Certificates[0]);
        Assert.Equal(leafKey.ExportParameters(false).Modulus, decoded.GetPublicKey().Modulus);
        Assert.True(ServerCertificate.Decode(set.Proprietary.Encode()).Proprietary!.VerifySignature());

        // The client encrypts to the chain's leaf key; the host decrypts with the leaf's private key.
        byte[] premaster = Enumerable.Range(1, 48).Select(i => (byte)i).ToArray();
        byte[] encrypted = LicensingCrypto.EncryptPremasterSecret(premaster, decoded.GetPublicKey());
        using RSA hostKey = set.Leaf.GetRSAPrivateKey()!;
        Assert.Equal(premaster, LicensingCrypto.DecryptPremasterSecret(encrypted, hostKey.ExportParameters(true)));
    }

    [Fact]
    public void Session_host_set_rejects_a_leaf_key_that_is_not_512_bits()
    {
        using RSA rootKey = RSA.Create(1024);
        using RSA leafKey = RSA.Create(1024);
        DateTimeOffset now = DateTimeOffset.UnixEpoch;

        Assert.Throws<ArgumentException>(() => SessionHostLicensingCertificates.Create("HOST1", rootKey, leafKey, now, now.AddYears(1)));
    }
}
