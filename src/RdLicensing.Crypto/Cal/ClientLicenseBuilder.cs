using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RdLicensing.Crypto.Cal;

/// <summary>
/// Builds a CAL: the pbLicenseInfo of NEW_LICENSE_INFO ([MS-RDPELE] 2.2.2.6.1), which clients store and present
/// verbatim. Modelled on the Windows CAL (docs/cal-format.md): a certificates-only PKCS#7 SignedData (RFC 5652)
/// holding the license server's certificate and a client-license certificate issued and signed by it, whose subject
/// is CN=&lt;license server&gt; + L=&lt;user&gt; + serialNumber=&lt;base64 HWID&gt; (BMPString) and whose extensions
/// carry the Microsoft licensing fields (1.3.6.1.4.1.311.18.x) and the RdLicensing extension that binds all of
/// <see cref="ClientLicenseContent"/>. Deterministic: the same inputs give the same bytes.
/// </summary>
public static class ClientLicenseBuilder
{
    /// <summary>The value Windows writes in the 1.3.6.1.4.1.311.18.4 extension.</summary>
    internal static ReadOnlySpan<byte> MicrosoftLicenseVersionValue => [0x01, 0x00, 0x05, 0x00];

    /// <summary>Builds the CAL bytes, signing with the RSA private key that <paramref name="licenseServerCertificate"/> carries.</summary>
    /// <exception cref="ArgumentException">The content is inconsistent or the certificate has no RSA private key.</exception>
    public static byte[] Build(ClientLicenseContent content, X509Certificate2 licenseServerCertificate)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(licenseServerCertificate);
        Validate(content);
        using RSA signer = licenseServerCertificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the license server certificate carries no rsa private key", nameof(licenseServerCertificate));

        CertificateRequest request = Request(content, licenseServerCertificate);
        byte[] clientLicense = Certificate(
            request,
            licenseServerCertificate.SubjectName,
            X509SignatureGenerator.CreateForRSA(signer, RSASignaturePadding.Pkcs1),
            content.NotBefore,
            content.NotAfter,
            SerialNumber(content.LicenseId));
        return CertificatesOnlySignedData(licenseServerCertificate.RawData, clientLicense);
    }

    /// <summary>The client-license certificate's contents (subject, public key, extensions) as a request.</summary>
    internal static CertificateRequest Request(ClientLicenseContent content, X509Certificate2 licenseServerCertificate)
    {
        CertificateRequest request = new(
            SubjectName(content),
            licenseServerCertificate.PublicKey,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509Extension(CalOids.MicrosoftLicenseVersion, MicrosoftLicenseVersionValue, critical: false));
        request.CertificateExtensions.Add(new X509Extension(CalOids.MicrosoftManufacturer, MicrosoftStrings.Utf16z(content.CompanyName), critical: false));
        request.CertificateExtensions.Add(new X509Extension(CalOids.MicrosoftLicensedProductInfo, ProductInfo(content).Encode(), critical: false));
        request.CertificateExtensions.Add(new X509Extension(
            CalOids.MicrosoftLicenseServerInfo,
            new LicenseServerInfo(0x3000, content.LicenseServerName, content.LicenseServerId, content.Scope).Encode(),
            critical: false));
        request.CertificateExtensions.Add(new X509Extension(CalOids.RdLicensingCal, RdLicensingCalExtension.Encode(content), critical: false));
        request.CertificateExtensions.Add(AuthorityKeyIdentifier(licenseServerCertificate));
        return request;
    }

    /// <summary>
    /// The DER certificate <see cref="CertificateRequest.Create(X500DistinguishedName, X509SignatureGenerator, DateTimeOffset, DateTimeOffset, ReadOnlySpan{byte})"/>
    /// makes from <paramref name="request"/> (RFC 5280 4.1: v3, the serial as given, UTCTime through 2049 and
    /// GeneralizedTime after, whole seconds, extensions in order), encoded here without loading the result as an
    /// X509Certificate2: a CAL is built per issued license, and parsing back what was just written cost about a third
    /// of the time the RSA signature itself takes. Tests keep it byte-equal to CertificateRequest.Create.
    /// </summary>
    internal static byte[] Certificate(
        CertificateRequest request, X500DistinguishedName issuer, X509SignatureGenerator generator, DateTimeOffset notBefore, DateTimeOffset notAfter, ReadOnlySpan<byte> serialNumber)
    {
        byte[] algorithm = generator.GetSignatureAlgorithmIdentifier(request.HashAlgorithm);
        AsnWriter tbs = new(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.WriteInteger(2);
            }

            // The serial is unsigned, as CertificateRequest takes it: minimal, with a 0x00 added when the top bit is set.
            ReadOnlySpan<byte> serial = serialNumber;
            while (serial.Length > 1 && serial[0] == 0)
            {
                serial = serial[1..];
            }

            tbs.WriteIntegerUnsigned(serial);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.RawData);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }

            tbs.WriteEncodedValue(request.SubjectName.RawData);
            tbs.WriteEncodedValue(request.PublicKey.ExportSubjectPublicKeyInfo());
            if (request.CertificateExtensions.Count > 0)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
                using (tbs.PushSequence())
                {
                    foreach (X509Extension extension in request.CertificateExtensions)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteObjectIdentifier(extension.Oid!.Value!);
                            if (extension.Critical)
                            {
                                tbs.WriteBoolean(true);
                            }

                            tbs.WriteOctetString(extension.RawData);
                        }
                    }
                }
            }
        }

        byte[] toBeSigned = tbs.Encode();
        byte[] signature = generator.SignData(toBeSigned, request.HashAlgorithm);
        AsnWriter certificate = new(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(toBeSigned);
            certificate.WriteEncodedValue(algorithm);
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    // RFC 5280 4.1.2.5: UTCTime for dates through 2049, GeneralizedTime from 2050, both in whole seconds of UTC.
    private static void WriteTime(AsnWriter writer, DateTimeOffset value)
    {
        DateTimeOffset utc = value.ToUniversalTime();
        utc = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
        if (utc.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }

    /// <summary>
    /// A certificates-only SignedData (RFC 5652 5.1, as Windows writes pbLicenseInfo): version 1, no digest
    /// algorithms, id-data content absent, the certificates, no signer infos.
    /// </summary>
    internal static byte[] CertificatesOnlySignedData(params ReadOnlySpan<byte[]> certificates)
    {
        AsnWriter writer = new(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(CalOids.SignedData);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(CalOids.Data);
                }

                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    foreach (byte[] certificate in certificates)
                    {
                        writer.WriteEncodedValue(certificate);
                    }
                }

                using (writer.PushSetOf())
                {
                }
            }
        }

        return writer.Encode();
    }

    private static void Validate(ClientLicenseContent content)
    {
        if (content.NotAfter <= content.NotBefore)
        {
            throw new ArgumentException("notafter must be later than notbefore", nameof(content));
        }

        if (string.IsNullOrEmpty(content.LicenseId))
        {
            throw new ArgumentException("licenseid is empty", nameof(content));
        }

        if (string.IsNullOrEmpty(content.LicenseServerName))
        {
            throw new ArgumentException("licenseservername is empty", nameof(content));
        }

        if (content.Hwid is { Length: 0 })
        {
            throw new ArgumentException("hwid is empty (pass null for none)", nameof(content));
        }

        (string Name, string? Value)[] texts =
        [
            ("licenseid", content.LicenseId), ("machinename", content.MachineName), ("username", content.UserName),
            ("productversion", content.ProductVersion), ("caltype", content.CalType), ("licenseservername", content.LicenseServerName),
            ("licenseserverid", content.LicenseServerId), ("scope", content.Scope), ("companyname", content.CompanyName),
            ("productid", content.ProductId),
        ];
        foreach ((string name, string? value) in texts)
        {
            if (value is not null && !IsWellFormedUtf16(value))
            {
                throw new ArgumentException($"{name} is not well-formed utf-16 (a lone surrogate)", nameof(content));
            }
        }
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static X500DistinguishedName SubjectName(ClientLicenseContent content)
    {
        // Windows: one multi-valued RDN, CN=<license server> + L=<user> + serialNumber=<base64 HWID>, BMPString.
        AsnWriter writer = new(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        {
            WriteAttribute(writer, CalOids.CommonName, content.LicenseServerName);
            if (content.UserName is not null)
            {
                WriteAttribute(writer, CalOids.Locality, content.UserName);
            }

            if (content.Hwid is not null)
            {
                WriteAttribute(writer, CalOids.SerialNumber, Convert.ToBase64String(content.Hwid));
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static void WriteAttribute(AsnWriter writer, string oid, string value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            // BMPString cannot hold characters outside the basic multilingual plane; fall back to UTF8String.
            bool bmp = !value.Any(char.IsSurrogate);
            writer.WriteCharacterString(bmp ? UniversalTagNumber.BMPString : UniversalTagNumber.UTF8String, value);
        }
    }

    private static LicensedProductInfo ProductInfo(ClientLicenseContent content)
    {
        uint platformId = content.Hwid is { Length: >= 4 } hwid ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(hwid) : 0;
        (ushort major, ushort minor) = ParseVersion(content.ProductVersion);
        return new LicensedProductInfo(
            Version: 0x3000,
            Quantity: 1,
            PlatformId: platformId,
            LanguageId: 0,
            ProductId: content.ProductId,
            AdjustedProductId: $"{content.ProductId}-{major}.{minor:00}",
            LicensedVersions: [new LicensedVersion(major, minor, content.Temporary ? 0x80000000u : 0u)]);
    }

    internal static (ushort Major, ushort Minor) ParseVersion(string version)
    {
        string[] parts = version.Split('.');
        ushort major = parts.Length > 0 && ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort a) ? a : (ushort)0;
        ushort minor = parts.Length > 1 && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort b) ? b : (ushort)0;
        return (major, minor);
    }

    private static X509Extension AuthorityKeyIdentifier(X509Certificate2 issuer)
    {
        bool hasSubjectKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any();
        return X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            issuer,
            includeKeyIdentifier: hasSubjectKeyId,
            includeIssuerAndSerial: !hasSubjectKeyId);
    }

    /// <summary>A positive 16-byte serial number derived from the license id (SHA-256), so a CAL is reproducible.</summary>
    private static byte[] SerialNumber(string licenseId)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(licenseId));
        byte[] serial = digest[..16];
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
