using System.Security.Cryptography;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Certificates;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.3.1.1.1 RSA Public Key (RSA_PUBLIC_KEY): magic "RSA1", keylen (modulus bytes + 8), bitlen,
/// datalen (bitlen / 8 - 1), pubExp, then the modulus little-endian followed by 8 zero bytes.
/// </summary>
public sealed class RsaPublicKeyBlob
{
    /// <summary>Structure name used in errors.</summary>
    public const string Name = "RSA_PUBLIC_KEY";

    /// <summary>0x31415352, "RSA1" in ASCII.</summary>
    public const uint Magic = 0x31415352;

    private const int PaddingSize = 8;

    private const int MaxModulusSize = 512; // 4096 bits; RDP uses 512 to 2048

    /// <summary>Creates the blob for a modulus given little-endian without padding.</summary>
    public RsaPublicKeyBlob(uint publicExponent, byte[] modulusLittleEndian)
    {
        if (modulusLittleEndian.Length is 0 or > MaxModulusSize)
        {
            throw new ArgumentException($"modulus must be 1 to {MaxModulusSize} bytes", nameof(modulusLittleEndian));
        }

        PublicExponent = publicExponent;
        ModulusLittleEndian = modulusLittleEndian;
    }

    /// <summary>pubExp.</summary>
    public uint PublicExponent { get; }

    /// <summary>The modulus, little-endian, without the 8 padding bytes (bitlen / 8 bytes).</summary>
    public byte[] ModulusLittleEndian { get; }

    /// <summary>bitlen.</summary>
    public int BitLength => ModulusLittleEndian.Length * 8;

    /// <summary>Exact encoded size.</summary>
    public int EncodedSize => 4 /* magic */ + 4 /* keylen */ + 4 /* bitlen */ + 4 /* datalen */ + 4 /* pubExp */
        + ModulusLittleEndian.Length /* modulus */ + PaddingSize /* padding */;

    /// <summary>Builds the blob from big-endian <see cref="RSAParameters"/>.</summary>
    public static RsaPublicKeyBlob FromParameters(RSAParameters key)
    {
        byte[] modulus = (key.Modulus ?? throw new ArgumentException("modulus missing", nameof(key))).AsSpan().TrimStart((byte)0).ToArray();
        byte[] exponent = (key.Exponent ?? throw new ArgumentException("exponent missing", nameof(key))).AsSpan().TrimStart((byte)0).ToArray();
        if (exponent.Length > 4)
        {
            throw new ArgumentException("public exponent does not fit in 32 bits", nameof(key));
        }

        uint e = 0;
        foreach (byte b in exponent)
        {
            e = (e << 8) | b;
        }

        Array.Reverse(modulus);
        return new RsaPublicKeyBlob(e, modulus);
    }

    /// <summary>The key as big-endian <see cref="RSAParameters"/>.</summary>
    public RSAParameters ToParameters()
    {
        byte[] modulus = ModulusLittleEndian.ToArray();
        Array.Reverse(modulus);
        byte[] exponent = [(byte)(PublicExponent >> 24), (byte)(PublicExponent >> 16), (byte)(PublicExponent >> 8), (byte)PublicExponent];
        return new RSAParameters
        {
            Modulus = modulus.AsSpan().TrimStart((byte)0).ToArray(),
            Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray(),
        };
    }

    /// <summary>Decodes the blob; the reader must hold exactly the blob or more.</summary>
    public static RsaPublicKeyBlob Decode(ref WireReader reader)
    {
        uint magic = reader.ReadU32LE(Name, "magic");
        if (magic != Magic)
        {
            throw ProtocolException.InvalidField(Name, "magic", $"0x{magic:x8} is not \"RSA1\"");
        }

        uint keyLength = reader.ReadU32LE(Name, "keylen");
        uint bitLength = reader.ReadU32LE(Name, "bitlen");
        uint dataLength = reader.ReadU32LE(Name, "datalen");
        uint publicExponent = reader.ReadU32LE(Name, "pubExp");
        if (bitLength == 0 || bitLength % 8 != 0 || bitLength / 8 > MaxModulusSize)
        {
            throw ProtocolException.InvalidField(Name, "bitlen", $"{bitLength} is not a whole number of bytes up to {MaxModulusSize * 8}");
        }

        if (keyLength != (bitLength / 8) + PaddingSize)
        {
            throw ProtocolException.InvalidField(Name, "keylen", $"{keyLength} is not bitlen / 8 + 8 = {(bitLength / 8) + PaddingSize}");
        }

        if (dataLength != (bitLength / 8) - 1)
        {
            throw ProtocolException.InvalidField(Name, "datalen", $"{dataLength} is not bitlen / 8 - 1 = {(bitLength / 8) - 1}");
        }

        byte[] modulus = reader.ReadBytes((int)(bitLength / 8), Name, "modulus").ToArray();
        reader.Skip(PaddingSize, Name, "modulus padding");
        if (modulus.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            throw ProtocolException.InvalidField(Name, "modulus", "modulus is zero");
        }

        return new RsaPublicKeyBlob(publicExponent, modulus);
    }

    /// <summary>Writes exactly <see cref="EncodedSize"/> bytes.</summary>
    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(Magic);
        writer.WriteU32LE((uint)(ModulusLittleEndian.Length + PaddingSize));
        writer.WriteU32LE((uint)BitLength);
        writer.WriteU32LE((uint)(ModulusLittleEndian.Length - 1));
        writer.WriteU32LE(PublicExponent);
        writer.WriteBytes(ModulusLittleEndian);
        writer.WriteZeros(PaddingSize);
    }
}
