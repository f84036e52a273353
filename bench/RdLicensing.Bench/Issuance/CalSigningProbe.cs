using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// A diagnostic beside benchmark 1: how many CALs one thread can build and sign alone (ClientLicenseBuilder.Build with a
/// 2048-bit license-server certificate, as DeploymentCertificates issues them). The server signs each CAL inside its
/// serialized write transaction, so this rate bounds what one store can commit per second, whatever the disk does.
/// </summary>
internal static class CalSigningProbe
{
    public static double SignaturesPerSecond(int count)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bench license server, O=RdLicensing", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using X509Certificate2 issuer = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] Sign(int i) => ClientLicenseBuilder.Build(
            new ClientLicenseContent($"L{i:D10}", RandomNumberGenerator.GetBytes(20), "PC" + i, "user" + i, "2022", "PerDevice", true, now, now.AddDays(90),
                "bench", "BENCH-SERVER-ID", "microsoft.com", "Microsoft Corporation", "A02"),
            issuer);
        for (int i = 0; i < Math.Max(10, count / 10); i++)
        {
            Sign(i);
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            Sign(i);
        }

        return count / clock.Elapsed.TotalSeconds;
    }
}
