using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Cal;

/// <summary>
/// The fields of one X.509 certificate in a CAL that the reader and verifier need (RFC 5280 4.1), parsed with
/// <see cref="AsnReader"/> so that every malformation becomes a <see cref="ProtocolException"/>, whatever the
/// platform's certificate loader would accept.
/// </summary>
internal sealed class CalCertificate
{
    private CalCertificate(
        byte[] raw,
        ReadOnlyMemory<byte> tbs,
        byte[] serialNumber,
        ReadOnlyMemory<byte> issuer,
        ReadOnlyMemory<byte> subject,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        ReadOnlyMemory<byte> subjectPublicKey,
        Dictionary<string, (bool Critical, byte[] Value)> extensions,
        string signatureAlgorithm,
        byte[] signature)
    {
        Raw = raw;
        Tbs = tbs;
        SerialNumber = serialNumber;
        Issuer = issuer;
        Subject = subject;
        NotBefore = notBefore;
        NotAfter = notAfter;
        SubjectPublicKey = subjectPublicKey;
        Extensions = extensions;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
    }

    public byte[] Raw { get; }

    public ReadOnlyMemory<byte> Tbs { get; }

    public byte[] SerialNumber { get; }

    public ReadOnlyMemory<byte> Issuer { get; }

    public ReadOnlyMemory<byte> Subject { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>The subjectPublicKey BIT STRING contents (an RSAPublicKey for RSA keys).</summary>
    public ReadOnlyMemory<byte> SubjectPublicKey { get; }

    public IReadOnlyDictionary<string, (bool Critical, byte[] Value)> Extensions { get; }

    public string SignatureAlgorithm { get; }

    public byte[] Signature { get; }

    public byte[]? Extension(string oid) => Extensions.TryGetValue(oid, out (bool Critical, byte[] Value) e) ? e.Value : null;

    /// <summary>True when BasicConstraints says cA.</summary>
    public bool IsCertificateAuthority
    {
        get
        {
            byte[]? value = Extension("2.5.29.19");
            if (value is null)
            {
                return false;
            }

            try
            {
                AsnReader sequence = new AsnReader(value, AsnEncodingRules.BER).ReadSequence();
                return sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && sequence.ReadBoolean();
            }
            catch (AsnContentException)
            {
                return false;
            }
        }
    }

    public static CalCertificate Parse(byte[] raw, string structure)
    {
        try
        {
            AsnReader outer = new(raw, AsnEncodingRules.BER);
            AsnReader certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            ReadOnlyMemory<byte> tbsBytes = certificate.PeekEncodedValue();
            AsnReader tbs = certificate.ReadSequence();
            string signatureAlgorithm = certificate.ReadSequence().ReadObjectIdentifier();
            byte[] signature = certificate.ReadBitString(out _);
            certificate.ThrowIfNotEmpty();

            Asn1Tag versionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                tbs.ReadSequence(versionTag);
            }

            byte[] serial = tbs.ReadIntegerBytes().ToArray();
            tbs.ReadSequence(); // signature algorithm (repeated)
            ReadOnlyMemory<byte> issuer = tbs.PeekEncodedValue();
            tbs.ReadSequence();
            AsnReader validity = tbs.ReadSequence();
            DateTimeOffset notBefore = ReadTime(validity);
            DateTimeOffset notAfter = ReadTime(validity);
            ReadOnlyMemory<byte> subject = tbs.PeekEncodedValue();
            tbs.ReadSequence();
            AsnReader spki = tbs.ReadSequence();
            spki.ReadSequence();
            byte[] publicKey = spki.ReadBitString(out _);

            Dictionary<string, (bool, byte[])> extensions = new(StringComparer.Ordinal);
            while (tbs.HasData)
            {
                Asn1Tag tag = tbs.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3)))
                {
                    AsnReader list = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)).ReadSequence();
                    while (list.HasData)
                    {
                        AsnReader extension = list.ReadSequence();
                        string oid = extension.ReadObjectIdentifier();
                        bool critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                        byte[] value = extension.ReadOctetString();
                        extensions[oid] = (critical, value);
                    }
                }
                else
                {
                    tbs.ReadEncodedValue(); // issuerUniqueID / subjectUniqueID
                }
            }

            return new CalCertificate(raw, tbsBytes, serial, issuer, subject, notBefore, notAfter, publicKey, extensions, signatureAlgorithm, signature);
        }
        catch (AsnContentException e)
        {
            throw ProtocolException.InvalidField(structure, "certificate", $"malformed der: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw ProtocolException.InvalidField(structure, "certificate", $"malformed der: {e.Message}");
        }
    }

    /// <summary>Checks this certificate's signature with the RSA key in <paramref name="issuer"/>.</summary>
    public bool IsSignedBy(CalCertificate issuer)
    {
        HashAlgorithmName? hash = SignatureAlgorithm switch
        {
            "1.2.840.113549.1.1.4" => HashAlgorithmName.MD5,
            "1.2.840.113549.1.1.5" or "1.3.14.3.2.29" => HashAlgorithmName.SHA1,
            "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is null)
        {
            return false;
        }

        try
        {
            AsnReader keyReader = new(issuer.SubjectPublicKey, AsnEncodingRules.BER);
            AsnReader key = keyReader.ReadSequence();
            BigInteger modulus = key.ReadInteger();
            BigInteger exponent = key.ReadInteger();
            if (modulus.Sign <= 0 || exponent.Sign <= 0)
            {
                return false;
            }

            using RSA rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = modulus.ToByteArray(isUnsigned: true, isBigEndian: true),
                Exponent = exponent.ToByteArray(isUnsigned: true, isBigEndian: true),
            });
            return rsa.VerifyData(Tbs.Span, Signature, hash.Value, RSASignaturePadding.Pkcs1);
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static DateTimeOffset ReadTime(AsnReader validity) =>
        validity.PeekTag().HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime))
            ? validity.ReadUtcTime()
            : validity.ReadGeneralizedTime();
}
