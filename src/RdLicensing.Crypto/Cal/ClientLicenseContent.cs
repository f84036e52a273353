namespace RdLicensing.Crypto.Cal;

/// <summary>
/// Everything a client access license (CAL) binds: what <see cref="ClientLicenseBuilder"/> signs into the
/// client-license certificate and <see cref="ClientLicenseReader"/> reads back (docs/cal-format.md).
/// </summary>
/// <param name="LicenseId">The license server's id of this CAL (its record); also seeds the certificate serial number.</param>
/// <param name="Hwid">The 20-byte CLIENT_HARDWARE_ID ([MS-RDPELE] 2.2.2.3.1) the CAL is bound to; null for none.</param>
/// <param name="MachineName">The client machine name from the license request; null if unknown.</param>
/// <param name="UserName">The client user name from the license request; null if unknown.</param>
/// <param name="ProductVersion">The licensed product version, e.g. "10.0".</param>
/// <param name="CalType">The CAL type, e.g. "PerDevice" or "PerUser".</param>
/// <param name="Temporary">True for a temporary CAL, false for a permanent one.</param>
/// <param name="NotBefore">Start of validity (stored with one-second precision).</param>
/// <param name="NotAfter">End of validity (stored with one-second precision).</param>
/// <param name="LicenseServerName">The issuing license server's name (the subject CN, as Windows writes it).</param>
/// <param name="LicenseServerId">The issuing license server's id (Windows: its server product id).</param>
/// <param name="Scope">The licensing scope, e.g. "microsoft.com" ([MS-RDPELE] 2.2.2.1.2).</param>
/// <param name="CompanyName">The product's company name ([MS-RDPELE] 2.2.2.1.1).</param>
/// <param name="ProductId">The product id, e.g. "A02" ([MS-RDPELE] 2.2.2.1.1).</param>
public sealed record ClientLicenseContent(
    string LicenseId,
    byte[]? Hwid,
    string? MachineName,
    string? UserName,
    string ProductVersion,
    string CalType,
    bool Temporary,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string LicenseServerName,
    string LicenseServerId,
    string Scope,
    string CompanyName,
    string ProductId);
