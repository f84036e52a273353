using System.Buffers;
using System.Security.Cryptography;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Protocol.Licensing;

namespace RdLicensing.Protocol.Tests.Licensing;

/// <summary>A server key and certificate shared by the tests (a 512-bit key, as Windows license server leaves use).</summary>
internal static class ServerSetup
{
    private static readonly Lazy<RSAParameters> Key = new(() =>
    {
        using var rsa = RSA.Create(512);
        return rsa.ExportParameters(includePrivateParameters: true);
    });

    public static RSAParameters PrivateKey => Key.Value;

    public static RSAParameters PublicKey => new() { Modulus = Key.Value.Modulus, Exponent = Key.Value.Exponent };

    /// <summary>A proprietary SERVER_CERTIFICATE for the key, as sent under TLS.</summary>
    public static byte[] Certificate => CertificateBytes.Value.ToArray();

    private static readonly Lazy<byte[]> CertificateBytes = new(() => ServerCertificate.FromProprietary(ProprietaryCertificate.Create(PublicKey)).Encode());

    public static LicensingServerExchange Tls(int seed = 1) =>
        new(new LicensingServerOptions(Certificate, PrivateKey), Seeded(seed));

    /// <summary>Standard RDP Security: an empty certificate blob, the premaster encrypted to the GCC key.</summary>
    public static LicensingServerExchange StandardRdpSecurity(int seed = 1) =>
        new(new LicensingServerOptions([], PrivateKey), Seeded(seed));

    public static FillRandom Seeded(int seed)
    {
        var random = new Random(seed);
        return random.NextBytes;
    }

    /// <summary>Runs one call and returns the bytes it wrote, checking the count it reported.</summary>
    public static byte[] Run(Func<IBufferWriter<byte>, LicensingStepResult> call, out LicensingStepResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        result = call(output);
        Assert.Equal(output.WrittenCount, result.BytesWritten);
        return output.WrittenSpan.ToArray();
    }
}
