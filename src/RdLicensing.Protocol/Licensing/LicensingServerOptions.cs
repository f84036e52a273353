using System.Security.Cryptography;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Licensing;

/// <summary>Fills <paramref name="destination"/> with cryptographically strong random bytes (the driver passes RandomNumberGenerator.Fill).</summary>
public delegate void FillRandom(Span<byte> destination);

/// <summary>
/// What the driver tells <see cref="LicensingServerExchange"/> about this server: the product it licenses, the
/// certificate it sends in SERVER_LICENSE_REQUEST and the private key that decrypts the client's premaster secret.
/// </summary>
public sealed class LicensingServerOptions
{
    /// <param name="serverCertificate">
    /// The SERVER_CERTIFICATE bytes for the BB_CERTIFICATE_BLOB (RdLicensing.Crypto ServerCertificate.Encode()).
    /// Under TLS a certificate must be sent (proprietary or X.509 chain with a 512-bit leaf). Under Standard RDP
    /// Security pass empty bytes, as Windows does: the client then encrypts to the GCC server certificate.
    /// </param>
    /// <param name="premasterKey">
    /// The private key matching the certificate the client encrypts to: the leaf / proprietary key of
    /// <paramref name="serverCertificate"/>, or the GCC key when <paramref name="serverCertificate"/> is empty.
    /// </param>
    public LicensingServerOptions(ReadOnlySpan<byte> serverCertificate, RSAParameters premasterKey)
    {
        if (premasterKey.Modulus is null || premasterKey.D is null)
        {
            throw new ArgumentException("the premaster key must hold a modulus and a private exponent", nameof(premasterKey));
        }

        if (premasterKey.Modulus.Length < 48 + 1)
        {
            throw new ArgumentException("the premaster key is too small to carry a 48-byte premaster secret", nameof(premasterKey));
        }

        ServerCertificate = serverCertificate.ToArray();
        PremasterKey = premasterKey;
    }

    public byte[] ServerCertificate { get; }

    public RSAParameters PremasterKey { get; }

    /// <summary>PRODUCT_INFO of the license request; its version, company and product id also go into NEW_LICENSE_INFO.</summary>
    public ProductInfo ProductInfo { get; init; } = new(ProductInfo.Version6, "Microsoft Corporation", "A02");

    /// <summary>The one scope of the license request and of NEW_LICENSE_INFO.</summary>
    public string Scope { get; init; } = Wire.Licensing.Scope.Microsoft;
}
