namespace RdLicensing.Crypto.Cal;

/// <summary>Who wrote a CAL.</summary>
public enum ClientLicenseFormat
{
    /// <summary>RdLicensing: the client certificate carries the RdLicensing extension (<see cref="CalOids.RdLicensingCal"/>).</summary>
    RdLicensing,

    /// <summary>Windows (or any CAL with only the Microsoft 1.3.6.1.4.1.311.18.x extensions).</summary>
    Windows,
}

/// <summary>
/// What a CAL says, in the terms TSCTST.EXE prints (docs/cal-format.md): issuer, scope, issued to computer and user,
/// license id, type/version, validity, and with "all" the server certificate version, licensed product version,
/// hardware id, client platform id and company name. Fields a format does not carry are null.
/// </summary>
/// <param name="Format">Who wrote the CAL.</param>
/// <param name="Issuer">The issuing license server (the CN of the client certificate's issuer).</param>
/// <param name="Scope">The licensing scope (RdLicensing CALs; Windows keeps it outside the CAL).</param>
/// <param name="IssuedToComputer">The client machine name (RdLicensing CALs).</param>
/// <param name="IssuedToUser">The client user name (the subject's L attribute).</param>
/// <param name="LicenseId">The license id (RdLicensing) or the certificate serial number in hex (Windows).</param>
/// <param name="TypeAndVersion">Type and version, e.g. "Temporary PerDevice 10.0" or "A02 6.0".</param>
/// <param name="ValidFrom">Start of validity.</param>
/// <param name="ExpiresOn">End of validity.</param>
/// <param name="ServerCertificateVersion">The 1.3.6.1.4.1.311.18.4 value as a little-endian u32 (Windows: 0x00050001).</param>
/// <param name="LicensedProductVersion">The first licensed version, "major.minor".</param>
/// <param name="HardwareId">The CLIENT_HARDWARE_ID the CAL is bound to.</param>
/// <param name="ClientPlatformId">The client platform id of the licensed product info.</param>
/// <param name="CompanyName">The manufacturer (1.3.6.1.4.1.311.18.2).</param>
/// <param name="ProductId">The product id, e.g. "A02".</param>
/// <param name="LicenseServerId">The license server's id (1.3.6.1.4.1.311.18.6).</param>
/// <param name="Temporary">Temporary or permanent (RdLicensing CALs; null when the CAL does not say).</param>
/// <param name="CalType">The CAL type (RdLicensing CALs).</param>
/// <param name="Content">Everything the RdLicensing extension binds (null for Windows CALs).</param>
/// <param name="ClientCertificate">The client-license certificate, DER.</param>
/// <param name="LicenseServerCertificate">The issuing license server's certificate, DER, when the CAL carries it.</param>
public sealed record ClientLicenseInfo(
    ClientLicenseFormat Format,
    string Issuer,
    string? Scope,
    string? IssuedToComputer,
    string? IssuedToUser,
    string LicenseId,
    string TypeAndVersion,
    DateTimeOffset ValidFrom,
    DateTimeOffset ExpiresOn,
    uint? ServerCertificateVersion,
    string? LicensedProductVersion,
    byte[]? HardwareId,
    uint? ClientPlatformId,
    string? CompanyName,
    string? ProductId,
    string? LicenseServerId,
    bool? Temporary,
    string? CalType,
    ClientLicenseContent? Content,
    byte[] ClientCertificate,
    byte[]? LicenseServerCertificate);
