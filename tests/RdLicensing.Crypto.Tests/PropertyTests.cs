using System.Security.Cryptography.X509Certificates;
using CsCheck;
using RdLicensing.Crypto.Cal;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Tests;

public sealed class PropertyTests
{
    private static readonly Gen<string> Text = Gen.String[Gen.Char.AlphaNumeric, 1, 40];

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 1, 40];

    [Fact]
    public void Any_cal_content_round_trips_through_build_and_read()
    {
        using X509Certificate2 server = CalFixtures.SelfSignedLicenseServer();
        Gen<ClientLicenseContent> contents =
            from id in Text
            from hwid in Gen.Byte.Array[1, 64].Null()
            from machine in AnyText.Null()
            from user in AnyText.Null()
            from version in Text
            from calType in Text
            from temporary in Gen.Bool
            from start in Gen.Int[0, 2_000_000_000]
            from days in Gen.Int[1, 4000]
            from serverId in Text
            from scope in AnyText
            from company in AnyText
            from product in Text
            let notBefore = DateTimeOffset.FromUnixTimeSeconds(start)
            select new ClientLicenseContent(id, hwid, machine, user, version, calType, temporary, notBefore, notBefore.AddDays(days), "LS01", serverId, scope, company, product);

        contents.Sample(
            content =>
            {
                bool wellFormed = new[] { content.MachineName, content.UserName, content.Scope, content.CompanyName }
                    .All(s => s is null || !HasLoneSurrogate(s));
                if (!wellFormed)
                {
                    ArgumentException e = Assert.Throws<ArgumentException>(() => ClientLicenseBuilder.Build(content, server));
                    Assert.Contains("not well-formed utf-16", e.Message, StringComparison.Ordinal);
                    return;
                }

                ClientLicenseInfo info = ClientLicenseReader.Read(ClientLicenseBuilder.Build(content, server));
                Assert.Equal(content.Hwid, info.Content!.Hwid);
                Assert.Equal(content with { Hwid = null }, info.Content with { Hwid = null });
            },
            iter: 60);
    }

    [Fact]
    public void Any_x509_chain_round_trips_byte_for_byte() =>
        Gen.Byte.Array[1, 300].Array[2, 6].Select(Gen.Bool).Sample((certificates, permanent) =>
        {
            ServerCertificate certificate = ServerCertificate.FromChain(new X509CertificateChain(certificates), permanent);
            byte[] encoded = certificate.Encode();
            ServerCertificate decoded = ServerCertificate.Decode(encoded);
            return encoded.Length == certificate.EncodedSize
                && decoded.IssuedPermanently == permanent
                && decoded.Chain!.Certificates.Zip(certificates).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second))
                && decoded.Encode().AsSpan().SequenceEqual(encoded);
        });

    [Fact]
    public void Any_proprietary_certificate_round_trips_and_verifies_after_signing() =>
        Gen.Byte.Array[64].Select(Gen.UInt).Sample((modulus, exponent) =>
        {
            modulus[^1] |= 0x80; // a full 512-bit modulus
            ProprietaryCertificate signed = ProprietaryCertificate.Create(new RsaPublicKeyBlob(exponent | 1, modulus).ToParameters());
            byte[] encoded = ServerCertificate.FromProprietary(signed).Encode();
            ProprietaryCertificate decoded = ServerCertificate.Decode(encoded).Proprietary!;
            return decoded.VerifySignature()
                && decoded.PublicKey.ModulusLittleEndian.AsSpan().SequenceEqual(modulus)
                && decoded.PublicKey.PublicExponent == (exponent | 1);
        });

    [Fact]
    public void Random_bytes_never_crash_the_decoders() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                ServerCertificate.Decode(bytes);
            }
            catch (ProtocolException)
            {
            }

            try
            {
                ClientLicenseReader.Read(bytes);
            }
            catch (ProtocolException)
            {
            }
        });

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
