using System.Security.Cryptography.X509Certificates;
using RdLicensing.Crypto.Cal;
using RdLicensing.Domain;

namespace RdLicensing.Server.Certificates;

/// <summary>Turns an issued CAL into the signed bytes a session host sends its client (NEW_LICENSE / UPGRADE_LICENSE).</summary>
public interface ICalSigner
{
    /// <summary>The CAL as a PKCS#7 SignedData, signed with <paramref name="issuer"/> (a certificate with its private key).</summary>
    byte[] Sign(IssuedLicense license, LicenseServer server, X509Certificate2 issuer);
}

/// <summary>Signs CALs in the Windows-like format of <see cref="ClientLicenseBuilder"/> (RdLicensing.Crypto).</summary>
public sealed class ClientLicenseCalSigner : ICalSigner
{
    /// <summary>The licensing scope Windows session hosts announce ([MS-RDPELE] 2.2.2.1.2).</summary>
    public const string Scope = "microsoft.com";

    /// <summary>Product information of the Remote Desktop product ([MS-RDPELE] 2.2.2.1.1).</summary>
    public const string CompanyName = "Microsoft Corporation";

    public const string ProductId = "A02";

    public byte[] Sign(IssuedLicense license, LicenseServer server, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(license);
        ArgumentNullException.ThrowIfNull(server);
        var content = new ClientLicenseContent(
            LicenseId: license.LicenseId,
            Hwid: license.Hwid?.Bytes.ToArray(),
            MachineName: license.Machine,
            UserName: license.User,
            ProductVersion: license.Version.Key,
            CalType: license.Type == CalType.PerDevice ? "PerDevice" : "PerUser",
            Temporary: license.Status == LicenseStatus.Temporary,
            NotBefore: license.IssuedOn,
            NotAfter: license.ExpiresOn,
            LicenseServerName: server.Name,
            LicenseServerId: server.ServerId.Value,
            Scope: Scope,
            CompanyName: CompanyName,
            ProductId: ProductId);
        return ClientLicenseBuilder.Build(content, issuer);
    }
}
