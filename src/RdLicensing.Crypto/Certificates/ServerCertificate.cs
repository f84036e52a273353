using System.Diagnostics;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.3.1 Server Certificate (SERVER_CERTIFICATE), carried in the GCC server security data and in
/// the ServerCertificate blob of SERVER_LICENSE_REQUEST ([MS-RDPELE] 2.2.2.1): dwVersion, whose low 31 bits say
/// proprietary (1) or X.509 chain (2) and whose top bit marks a permanently issued certificate (Windows sends
/// 0x80000002), then the certificate data.
/// </summary>
public sealed class ServerCertificate
{
    /// <summary>Structure name used in errors.</summary>
    public const string Name = "SERVER_CERTIFICATE";

    /// <summary>CERT_CHAIN_VERSION_1: a proprietary certificate.</summary>
    public const uint ProprietaryVersion = 1;

    /// <summary>CERT_CHAIN_VERSION_2: an X.509 certificate chain.</summary>
    public const uint X509ChainVersion = 2;

    /// <summary>The "t" bit of dwVersion: 1 = permanently issued, 0 = temporarily issued.</summary>
    public const uint IssuedPermanentlyFlag = 0x80000000;

    private ServerCertificate(uint version, ProprietaryCertificate? proprietary, X509CertificateChain? chain)
    {
        Version = version;
        Proprietary = proprietary;
        Chain = chain;
    }

    /// <summary>dwVersion as on the wire.</summary>
    public uint Version { get; }

    /// <summary>True when the top bit of dwVersion is set.</summary>
    public bool IssuedPermanently => (Version & IssuedPermanentlyFlag) != 0;

    /// <summary>The proprietary certificate, when dwVersion says 1.</summary>
    public ProprietaryCertificate? Proprietary { get; }

    /// <summary>The X.509 chain, when dwVersion says 2.</summary>
    public X509CertificateChain? Chain { get; }

    /// <summary>Exact encoded size.</summary>
    public int EncodedSize => Proprietary is not null
        ? Proprietary.EncodedSize
        : 4 /* dwVersion */ + Chain!.EncodedSize;

    /// <summary>Wraps a proprietary certificate (its dwVersion is the certificate's own).</summary>
    public static ServerCertificate FromProprietary(ProprietaryCertificate certificate) =>
        new(certificate.Version, certificate, null);

    /// <summary>Wraps an X.509 chain; Windows marks its chains permanently issued (0x80000002).</summary>
    public static ServerCertificate FromChain(X509CertificateChain chain, bool issuedPermanently = true) =>
        new(X509ChainVersion | (issuedPermanently ? IssuedPermanentlyFlag : 0), null, chain);

    /// <summary>The key the client encrypts to: the proprietary key, or the leaf's key of the chain.</summary>
    public RSAParameters GetPublicKey() => Proprietary is not null
        ? Proprietary.PublicKey.ToParameters()
        : X509RsaPublicKey.Read(Chain!.Leaf);

    /// <summary>Decodes a whole SERVER_CERTIFICATE from <paramref name="source"/> (no trailing bytes allowed).</summary>
    public static ServerCertificate Decode(ReadOnlySpan<byte> source)
    {
        WireReader reader = new(source);
        ServerCertificate certificate = Decode(ref reader);
        reader.EnsureEnd(Name);
        return certificate;
    }

    /// <summary>Decodes a SERVER_CERTIFICATE; the reader should be limited to the certificate's length.</summary>
    public static ServerCertificate Decode(ref WireReader reader)
    {
        uint version = reader.ReadU32LE(Name, "dwVersion");
        return (version & ~IssuedPermanentlyFlag) switch
        {
            ProprietaryVersion => new ServerCertificate(version, ProprietaryCertificate.DecodeAfterVersion(version, ref reader), null),
            X509ChainVersion => new ServerCertificate(version, null, X509CertificateChain.DecodeAfterVersion(ref reader)),
            _ => throw new ProtocolException(DecodeErrorKind.UnsupportedVersion, Name, "dwVersion", $"certificate version 0x{version:x8} is neither 1 nor 2"),
        };
    }

    /// <summary>Writes exactly <see cref="EncodedSize"/> bytes.</summary>
    public void Encode(ref WireWriter writer)
    {
        int start = writer.Position;
        if (Proprietary is not null)
        {
            Proprietary.Encode(ref writer);
        }
        else
        {
            writer.WriteU32LE(Version);
            Chain!.Encode(ref writer);
        }

        Debug.Assert(writer.Position - start == EncodedSize, "EncodedSize disagrees with Encode");
    }

    /// <summary>Encodes to a new array.</summary>
    public byte[] Encode()
    {
        byte[] buffer = new byte[EncodedSize];
        WireWriter writer = new(buffer);
        Encode(ref writer);
        return buffer;
    }
}
