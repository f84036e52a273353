using System.Buffers.Binary;
using System.Formats.Asn1;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Cal;

/// <summary>
/// Decodes a CAL (pbLicenseInfo of [MS-RDPELE] 2.2.2.6.1, as clients store it in a .cal file) written by RdLicensing
/// or by Windows: a certificates-only PKCS#7 SignedData (RFC 5652) whose client-license certificate carries the
/// Microsoft licensing extensions and, for ours, the RdLicensing extension (docs/cal-format.md). Malformed input
/// raises <see cref="ProtocolException"/> naming the part; nothing is allocated by a length the input claims.
/// </summary>
public static class ClientLicenseReader
{
    internal const string Structure = "CAL";

    /// <summary>The most certificates a CAL may carry (Windows and RdLicensing write two).</summary>
    public const int MaxCertificates = 16;

    /// <summary>Decodes a CAL.</summary>
    /// <exception cref="ProtocolException">The bytes are not a CAL.</exception>
    public static ClientLicenseInfo Read(ReadOnlySpan<byte> cal) => Parse(cal).Info;

    internal static (ClientLicenseInfo Info, CalCertificate Client, CalCertificate? Issuer, IReadOnlyList<CalCertificate> All) Parse(ReadOnlySpan<byte> cal)
    {
        List<CalCertificate> certificates = ReadCertificates(cal.ToArray());
        List<CalCertificate> clients = certificates
            .Where(c => c.Extension(CalOids.RdLicensingCal) is not null || c.Extension(CalOids.MicrosoftLicensedProductInfo) is not null)
            .ToList();
        if (clients.Count != 1)
        {
            throw ProtocolException.InvalidField(
                Structure,
                "certificates",
                clients.Count == 0
                    ? "no client-license certificate (none carries 1.3.6.1.4.1.311.18.5 or the rdlicensing extension)"
                    : $"{clients.Count} client-license certificates, expected one");
        }

        CalCertificate client = clients[0];
        CalCertificate? issuer = certificates.FirstOrDefault(c => !ReferenceEquals(c, client) && c.Subject.Span.SequenceEqual(client.Issuer.Span));
        return (Describe(client, issuer), client, issuer, certificates);
    }

    private static List<CalCertificate> ReadCertificates(byte[] cal)
    {
        try
        {
            AsnReader outer = new(cal, AsnEncodingRules.BER);
            AsnReader contentInfo = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            string contentType = contentInfo.ReadObjectIdentifier();
            if (contentType != CalOids.SignedData)
            {
                throw ProtocolException.InvalidField(Structure, "contentType", $"{contentType} is not pkcs#7 signedData ({CalOids.SignedData})");
            }

            AsnReader signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
            signedData.ReadInteger(); // version
            signedData.ReadSetOf(); // digestAlgorithms
            signedData.ReadSequence(); // encapContentInfo
            Asn1Tag certificatesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!signedData.HasData || !signedData.PeekTag().HasSameClassAndValue(certificatesTag))
            {
                throw ProtocolException.InvalidField(Structure, "certificates", "signeddata carries no certificates");
            }

            AsnReader set = signedData.ReadSetOf(certificatesTag);
            List<CalCertificate> certificates = [];
            int index = 0;
            while (set.HasData)
            {
                if (index == MaxCertificates)
                {
                    throw ProtocolException.InvalidField(Structure, "certificates", $"more than {MaxCertificates} certificates");
                }

                if (!set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    throw ProtocolException.InvalidField(Structure, $"certificates[{index}]", "not an x.509 certificate");
                }

                certificates.Add(CalCertificate.Parse(set.ReadEncodedValue().ToArray(), $"{Structure} certificates[{index}]"));
                index++;
            }

            return certificates;
        }
        catch (AsnContentException e)
        {
            throw ProtocolException.InvalidField(Structure, "SignedData", $"not a pkcs#7 signeddata: {e.Message}");
        }
    }

    private static ClientLicenseInfo Describe(CalCertificate client, CalCertificate? issuer)
    {
        List<(string Oid, string Value)> issuerName = NameAttributes(client.Issuer, "issuer");
        List<(string Oid, string Value)> subjectName = NameAttributes(client.Subject, "subject");
        string issuerCn = First(issuerName, CalOids.CommonName) ?? First(subjectName, CalOids.CommonName) ?? string.Empty;

        byte[]? versionValue = client.Extension(CalOids.MicrosoftLicenseVersion);
        uint? serverCertificateVersion = versionValue is { Length: 4 } ? BinaryPrimitives.ReadUInt32LittleEndian(versionValue) : null;
        byte[]? manufacturer = client.Extension(CalOids.MicrosoftManufacturer);
        string? company = manufacturer is null ? null : MicrosoftStrings.ReadManufacturer(manufacturer);
        byte[]? productValue = client.Extension(CalOids.MicrosoftLicensedProductInfo);
        LicensedProductInfo? product = productValue is null ? null : LicensedProductInfo.Decode(productValue);
        byte[]? serverValue = client.Extension(CalOids.MicrosoftLicenseServerInfo);
        LicenseServerInfo? server = serverValue is null ? null : LicenseServerInfo.Decode(serverValue);
        string? licensedVersion = product?.LicensedVersions.Count > 0 ? product.LicensedVersions[0].ToString() : null;

        byte[]? ours = client.Extension(CalOids.RdLicensingCal);
        if (ours is not null)
        {
            ClientLicenseContent content = RdLicensingCalExtension.Decode(ours, issuerCn, client.NotBefore, client.NotAfter);
            return new ClientLicenseInfo(
                ClientLicenseFormat.RdLicensing,
                Issuer: issuerCn,
                Scope: content.Scope,
                IssuedToComputer: content.MachineName,
                IssuedToUser: content.UserName,
                LicenseId: content.LicenseId,
                TypeAndVersion: $"{(content.Temporary ? "Temporary" : "Permanent")} {content.CalType} {content.ProductVersion}",
                ValidFrom: client.NotBefore,
                ExpiresOn: client.NotAfter,
                ServerCertificateVersion: serverCertificateVersion,
                LicensedProductVersion: content.ProductVersion,
                HardwareId: content.Hwid,
                ClientPlatformId: product?.PlatformId,
                CompanyName: content.CompanyName,
                ProductId: content.ProductId,
                LicenseServerId: content.LicenseServerId,
                Temporary: content.Temporary,
                CalType: content.CalType,
                Content: content,
                ClientCertificate: client.Raw,
                LicenseServerCertificate: issuer?.Raw);
        }

        string? hwidText = First(subjectName, CalOids.SerialNumber);
        return new ClientLicenseInfo(
            ClientLicenseFormat.Windows,
            Issuer: issuerCn,
            Scope: null,
            IssuedToComputer: null,
            IssuedToUser: First(subjectName, CalOids.Locality),
            LicenseId: Convert.ToHexString(client.SerialNumber),
            TypeAndVersion: product is null ? "unknown" : $"{product.ProductId} {licensedVersion}",
            ValidFrom: client.NotBefore,
            ExpiresOn: client.NotAfter,
            ServerCertificateVersion: serverCertificateVersion,
            LicensedProductVersion: licensedVersion,
            HardwareId: hwidText is null ? null : DecodeHwid(hwidText),
            ClientPlatformId: product?.PlatformId,
            CompanyName: company,
            ProductId: product?.ProductId,
            LicenseServerId: server?.ServerId,
            Temporary: null,
            CalType: null,
            Content: null,
            ClientCertificate: client.Raw,
            LicenseServerCertificate: issuer?.Raw);
    }

    private static byte[] DecodeHwid(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw ProtocolException.InvalidField(Structure, "subject.serialNumber", "hardware id is not base64");
        }
    }

    private static string? First(List<(string Oid, string Value)> attributes, string oid) =>
        attributes.Where(a => a.Oid == oid).Select(a => a.Value).FirstOrDefault();

    /// <summary>All attributes of a Name (every RDN, multi-valued or not), string values of any directory string type.</summary>
    private static List<(string Oid, string Value)> NameAttributes(ReadOnlyMemory<byte> name, string field)
    {
        try
        {
            List<(string, string)> attributes = [];
            AsnReader sequence = new AsnReader(name, AsnEncodingRules.BER).ReadSequence();
            while (sequence.HasData)
            {
                AsnReader rdn = sequence.ReadSetOf();
                while (rdn.HasData)
                {
                    AsnReader attribute = rdn.ReadSequence();
                    string oid = attribute.ReadObjectIdentifier();
                    Asn1Tag tag = attribute.PeekTag();
                    string value = tag.TagClass == TagClass.Universal && tag.TagValue is (int)UniversalTagNumber.BMPString
                        or (int)UniversalTagNumber.UTF8String or (int)UniversalTagNumber.PrintableString
                        or (int)UniversalTagNumber.IA5String or (int)UniversalTagNumber.T61String
                        ? attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue)
                        : Convert.ToHexString(attribute.ReadEncodedValue().Span);
                    attributes.Add((oid, value));
                }
            }

            return attributes;
        }
        catch (AsnContentException e)
        {
            throw ProtocolException.InvalidField(Structure, field, $"malformed name: {e.Message}");
        }
    }
}
