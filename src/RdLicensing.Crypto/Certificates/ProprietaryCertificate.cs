using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.3.1.1 Proprietary Certificate (PROPRIETARYSERVERCERTIFICATE): dwVersion (1),
/// dwSigAlgId (1, SIGNATURE_ALG_RSA), dwKeyAlgId (1, KEY_EXCHANGE_ALG_RSA), the public key blob (type 6,
/// <see cref="RsaPublicKeyBlob"/>) and the signature blob (type 8): the Terminal Services Signing Key's signature of
/// the MD5 of every preceding field ([MS-RDPBCGR] 5.3.3.1.2), 64 bytes little-endian plus 8 zero bytes.
/// </summary>
public sealed class ProprietaryCertificate
{
    /// <summary>Structure name used in errors.</summary>
    public const string Name = "PROPRIETARYSERVERCERTIFICATE";

    /// <summary>SIGNATURE_ALG_RSA.</summary>
    public const uint SignatureAlgorithmRsa = 1;

    /// <summary>KEY_EXCHANGE_ALG_RSA.</summary>
    public const uint KeyExchangeAlgorithmRsa = 1;

    /// <summary>BB_RSA_KEY_BLOB.</summary>
    public const ushort RsaKeyBlobType = 0x0006;

    /// <summary>BB_RSA_SIGNATURE_BLOB.</summary>
    public const ushort RsaSignatureBlobType = 0x0008;

    private const int TsskLength = 64;
    private const int SignatureBlobLength = TsskLength + 8;
    private const int PaddedHashLength = 63;

    /// <summary>Creates a certificate from its parts (use <see cref="Create"/> to sign a new one).</summary>
    public ProprietaryCertificate(uint version, RsaPublicKeyBlob publicKey, byte[] signatureBlob)
    {
        Version = version;
        PublicKey = publicKey;
        SignatureBlob = signatureBlob;
    }

    /// <summary>dwVersion: CERT_CHAIN_VERSION_1 (1), optionally with the 0x80000000 "permanently issued" bit.</summary>
    public uint Version { get; }

    /// <summary>PublicKeyBlob.</summary>
    public RsaPublicKeyBlob PublicKey { get; }

    /// <summary>SignatureBlob as on the wire (normally 72 bytes: 64-byte little-endian signature, 8 zero bytes).</summary>
    public byte[] SignatureBlob { get; }

    /// <summary>Exact encoded size, dwVersion included.</summary>
    public int EncodedSize => SignedPartSize + 2 /* wSignatureBlobType */ + 2 /* wSignatureBlobLen */ + SignatureBlob.Length;

    private int SignedPartSize => 4 /* dwVersion */ + 4 /* dwSigAlgId */ + 4 /* dwKeyAlgId */
        + 2 /* wPublicKeyBlobType */ + 2 /* wPublicKeyBlobLen */ + PublicKey.EncodedSize;

    /// <summary>
    /// Builds and signs a proprietary certificate for <paramref name="publicKey"/> with the Terminal Services Signing
    /// Key ([MS-RDPBCGR] 5.3.3.1.2): MD5 of dwVersion..PublicKeyBlob, then 0x00, 45 × 0xFF, 0x01 (63 bytes),
    /// raised to the private exponent as a little-endian integer.
    /// </summary>
    public static ProprietaryCertificate Create(RSAParameters publicKey, bool issuedPermanently = false)
    {
        RsaPublicKeyBlob blob = RsaPublicKeyBlob.FromParameters(publicKey);
        uint version = ServerCertificate.ProprietaryVersion | (issuedPermanently ? ServerCertificate.IssuedPermanentlyFlag : 0);
        ProprietaryCertificate unsigned = new(version, blob, new byte[SignatureBlobLength]);
        Span<byte> padded = stackalloc byte[PaddedHashLength];
        unsigned.PaddedHash(padded);
        byte[] signature = RawRsa.Decrypt(padded, TerminalServicesSigningKey.Parameters); // m^d mod n, little-endian
        byte[] signatureBlob = new byte[SignatureBlobLength];
        signature.CopyTo(signatureBlob, 0);
        return new ProprietaryCertificate(version, blob, signatureBlob);
    }

    /// <summary>Checks the signature against the Terminal Services Signing Key's public exponent ([MS-RDPBCGR] 5.3.3.1.3).</summary>
    public bool VerifySignature()
    {
        if (SignatureBlob.Length < TsskLength || SignatureBlob.AsSpan(TsskLength).IndexOfAnyExcept((byte)0) >= 0)
        {
            return false;
        }

        BigInteger s = new(SignatureBlob.AsSpan(0, TsskLength), isUnsigned: true, isBigEndian: false);
        BigInteger n = TerminalServicesSigningKey.Modulus;
        if (s >= n)
        {
            return false;
        }

        BigInteger e = new(TerminalServicesSigningKey.PublicExponentLittleEndian, isUnsigned: true, isBigEndian: false);
        Span<byte> recovered = stackalloc byte[TsskLength];
        recovered.Clear();
        MontgomeryExponentiation.ModPow(s, e, n, secretExponent: false).TryWriteBytes(recovered, out _, isUnsigned: true, isBigEndian: false);
        Span<byte> expected = stackalloc byte[TsskLength];
        expected.Clear();
        PaddedHash(expected[..PaddedHashLength]);
        return CryptographicOperations.FixedTimeEquals(recovered, expected);
    }

    /// <summary>Decodes the fields after dwVersion (which <see cref="ServerCertificate"/> has read).</summary>
    public static ProprietaryCertificate DecodeAfterVersion(uint version, ref WireReader reader)
    {
        uint signatureAlgorithm = reader.ReadU32LE(Name, "dwSigAlgId");
        if (signatureAlgorithm != SignatureAlgorithmRsa)
        {
            throw ProtocolException.InvalidField(Name, "dwSigAlgId", $"{signatureAlgorithm} is not SIGNATURE_ALG_RSA (1)");
        }

        uint keyAlgorithm = reader.ReadU32LE(Name, "dwKeyAlgId");
        if (keyAlgorithm != KeyExchangeAlgorithmRsa)
        {
            throw ProtocolException.InvalidField(Name, "dwKeyAlgId", $"{keyAlgorithm} is not KEY_EXCHANGE_ALG_RSA (1)");
        }

        ushort keyBlobType = reader.ReadU16LE(Name, "wPublicKeyBlobType");
        if (keyBlobType != RsaKeyBlobType)
        {
            throw ProtocolException.InvalidField(Name, "wPublicKeyBlobType", $"{keyBlobType} is not BB_RSA_KEY_BLOB (6)");
        }

        ushort keyBlobLength = reader.ReadU16LE(Name, "wPublicKeyBlobLen");
        WireReader keyReader = new(reader.ReadBytes(keyBlobLength, Name, "PublicKeyBlob"));
        RsaPublicKeyBlob publicKey = RsaPublicKeyBlob.Decode(ref keyReader);
        keyReader.EnsureEnd(RsaPublicKeyBlob.Name);

        ushort signatureBlobType = reader.ReadU16LE(Name, "wSignatureBlobType");
        if (signatureBlobType != RsaSignatureBlobType)
        {
            throw ProtocolException.InvalidField(Name, "wSignatureBlobType", $"{signatureBlobType} is not BB_RSA_SIGNATURE_BLOB (8)");
        }

        ushort signatureBlobLength = reader.ReadU16LE(Name, "wSignatureBlobLen");
        byte[] signature = reader.ReadBytes(signatureBlobLength, Name, "SignatureBlob").ToArray();
        return new ProprietaryCertificate(version, publicKey, signature);
    }

    /// <summary>Writes exactly <see cref="EncodedSize"/> bytes, dwVersion included.</summary>
    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(Version);
        writer.WriteU32LE(SignatureAlgorithmRsa);
        writer.WriteU32LE(KeyExchangeAlgorithmRsa);
        writer.WriteU16LE(RsaKeyBlobType);
        writer.WriteU16LE(checked((ushort)PublicKey.EncodedSize));
        PublicKey.Encode(ref writer);
        writer.WriteU16LE(RsaSignatureBlobType);
        writer.WriteU16LE(checked((ushort)SignatureBlob.Length));
        writer.WriteBytes(SignatureBlob);
    }

    private void PaddedHash(Span<byte> destination)
    {
        byte[] signed = new byte[SignedPartSize];
        WireWriter writer = new(signed);
        writer.WriteU32LE(Version);
        writer.WriteU32LE(SignatureAlgorithmRsa);
        writer.WriteU32LE(KeyExchangeAlgorithmRsa);
        writer.WriteU16LE(RsaKeyBlobType);
        writer.WriteU16LE(checked((ushort)PublicKey.EncodedSize));
        PublicKey.Encode(ref writer);
        MD5.HashData(signed, destination[..16]);
        destination[16] = 0x00;
        destination[17..(PaddedHashLength - 1)].Fill(0xFF);
        destination[PaddedHashLength - 1] = 0x01;
    }
}
