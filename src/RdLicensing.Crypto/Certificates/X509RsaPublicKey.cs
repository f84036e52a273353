using System.Formats.Asn1;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// Reads the RSA public key out of a DER certificate whatever its key algorithm identifier says. Windows license
/// server leaf certificates label their 512-bit key with the obsolete OID 1.3.14.3.2.15 (shaWithRSAEncryption),
/// which neither OpenSSL nor .NET load, so clients take the subjectPublicKey BIT STRING as an RSAPublicKey
/// (RFC 8017 A.1.1) directly ([MS-RDPELE] 5.1.1.1 encrypts to this key).
/// </summary>
public static class X509RsaPublicKey
{
    private const string Structure = "X.509 certificate";

    /// <summary>Returns the modulus and exponent (big-endian, as <see cref="RSAParameters"/> holds them).</summary>
    /// <exception cref="ProtocolException">The bytes are not a certificate with an RSA public key.</exception>
    public static RSAParameters Read(ReadOnlyMemory<byte> certificate)
    {
        try
        {
            AsnReader outer = new(certificate, AsnEncodingRules.DER);
            AsnReader cert = outer.ReadSequence();
            AsnReader tbs = cert.ReadSequence();
            Asn1Tag versionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue(); // serialNumber
            tbs.ReadEncodedValue(); // signature
            tbs.ReadEncodedValue(); // issuer
            tbs.ReadEncodedValue(); // validity
            tbs.ReadEncodedValue(); // subject
            AsnReader spki = tbs.ReadSequence();
            spki.ReadSequence(); // algorithm, whatever it says
            byte[] keyBits = spki.ReadBitString(out int unused);
            if (unused != 0)
            {
                throw ProtocolException.InvalidField(Structure, "subjectPublicKey", "bit string has unused bits");
            }

            AsnReader keyReader = new(keyBits, AsnEncodingRules.DER);
            AsnReader key = keyReader.ReadSequence();
            byte[] modulus = key.ReadIntegerBytes().ToArray();
            byte[] exponent = key.ReadIntegerBytes().ToArray();
            key.ThrowIfNotEmpty();
            keyReader.ThrowIfNotEmpty();
            return new RSAParameters { Modulus = TrimSign(modulus), Exponent = TrimSign(exponent) };
        }
        catch (AsnContentException e)
        {
            throw ProtocolException.InvalidField(Structure, "subjectPublicKeyInfo", $"malformed der: {e.Message}");
        }
    }

    private static byte[] TrimSign(byte[] integer) =>
        integer.Length > 1 && integer[0] == 0 ? integer[1..] : integer;
}
