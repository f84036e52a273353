using RdLicensing.Wire;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.2 X.509 Certificate Chain (X509 _CERTIFICATE_CHAIN), as [MS-RDPELE] 2.2.2.1 and
/// [MS-RDPBCGR] 5.3.3.2 use it: NumCertBlobs, then {cbCert, abCert (DER)} for each certificate, root first and the
/// leaf (whose key the client encrypts to) last, then 8 + 4 × NumCertBlobs zero bytes of padding.
/// </summary>
public sealed class X509CertificateChain
{
    /// <summary>Structure name used in errors.</summary>
    public const string Name = "X509_CERTIFICATE_CHAIN";

    /// <summary>The fewest certificates a chain holds ([MS-RDPBCGR] 2.2.1.4.2).</summary>
    public const int MinCertificates = 2;

    /// <summary>The most certificates a chain holds ([MS-RDPBCGR] 2.2.1.4.2).</summary>
    public const int MaxCertificates = 200;

    /// <summary>Creates a chain from DER certificates, root first, leaf last.</summary>
    public X509CertificateChain(IReadOnlyList<byte[]> certificates)
    {
        if (certificates.Count is < MinCertificates or > MaxCertificates)
        {
            throw new ArgumentException($"a chain holds {MinCertificates} to {MaxCertificates} certificates, not {certificates.Count}", nameof(certificates));
        }

        Certificates = certificates;
    }

    /// <summary>The DER certificates, root first, leaf last.</summary>
    public IReadOnlyList<byte[]> Certificates { get; }

    /// <summary>The leaf certificate (the last one).</summary>
    public byte[] Leaf => Certificates[^1];

    /// <summary>The padding after the certificates: 8 + 4 × NumCertBlobs.</summary>
    public int PaddingSize => 8 + (4 * Certificates.Count);

    /// <summary>Exact encoded size (NumCertBlobs onwards, padding included; dwVersion excluded).</summary>
    public int EncodedSize => 4 /* NumCertBlobs */ + Certificates.Sum(c => 4 /* cbCert */ + c.Length) + PaddingSize;

    /// <summary>
    /// Decodes NumCertBlobs, the certificates and the padding. The padding is consumed when present; a chain that ends
    /// right after its last certificate is accepted (the padding carries nothing).
    /// </summary>
    public static X509CertificateChain DecodeAfterVersion(ref WireReader reader)
    {
        uint count = reader.ReadU32LE(Name, "NumCertBlobs");
        if (count is < MinCertificates or > MaxCertificates)
        {
            throw ProtocolException.InvalidField(Name, "NumCertBlobs", $"{count} is outside {MinCertificates}..{MaxCertificates}");
        }

        List<byte[]> certificates = new((int)count);
        for (int i = 0; i < count; i++)
        {
            uint length = reader.ReadU32LE(Name, $"CertBlobArray[{i}].cbCert");
            if (length == 0 || length > int.MaxValue)
            {
                throw ProtocolException.InvalidField(Name, $"CertBlobArray[{i}].cbCert", $"{length} is not a certificate length");
            }

            certificates.Add(reader.ReadBytes((int)length, Name, $"CertBlobArray[{i}].abCert").ToArray());
        }

        int padding = Math.Min(8 + (4 * (int)count), reader.Remaining);
        reader.Skip(padding, Name, "Padding");
        return new X509CertificateChain(certificates);
    }

    /// <summary>Writes exactly <see cref="EncodedSize"/> bytes.</summary>
    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE((uint)Certificates.Count);
        foreach (byte[] certificate in Certificates)
        {
            writer.WriteU32LE((uint)certificate.Length);
            writer.WriteBytes(certificate);
        }

        writer.WriteZeros(PaddingSize);
    }
}
