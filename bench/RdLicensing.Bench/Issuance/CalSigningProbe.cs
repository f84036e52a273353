using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// A diagnostic beside benchmark 1: how many CALs one thread can build and sign alone (ClientLicenseBuilder.Build with a
/// 2048-bit license-server certificate, as DeploymentCertificates issues them), and how many bare RSA-2048 SHA-256
/// PKCS#1 signatures of the same key (the part of a CAL no encoding can avoid). The server signs each CAL after its
/// write commits, on whichever core is free.
/// </summary>
internal static class CalSigningProbe
{
    public static (double Cals, double Signatures) PerSecond(int count)
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

        double cals = count / clock.Elapsed.TotalSeconds;
        byte[] data = RandomNumberGenerator.GetBytes(1024);
        clock.Restart();
        for (int i = 0; i < count; i++)
        {
            data[0] = (byte)i;
            key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        return (cals, count / clock.Elapsed.TotalSeconds);
    }
}
