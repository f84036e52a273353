using RdLicensing.Domain;

namespace RdLicensing.Analysis;

/// <summary>Win32_TSIssuedLicense.LicenseStatus values.</summary>
public enum WmiLicenseStatus
{
    Unknown = 0,
    Temporary = 1,
    Active = 2,
    Upgrade = 3,
    Revoked = 4,
    Pending = 5,
    Concurrent = 6,
}

/// <summary>
/// One issued per-device CAL as Win32_TSIssuedLicense describes it, from a Windows export or from our own store.
/// </summary>
/// <param name="KeyPackId">Key pack the CAL came from (a number on Windows).</param>
/// <param name="LicenseId">The CAL's id (a number on Windows).</param>
/// <param name="Computer">sIssuedToComputer.</param>
/// <param name="User">sIssuedToUser.</param>
/// <param name="HardwareId">sHardwareId, as the source wrote it.</param>
/// <param name="IssueDate">IssueDate.</param>
/// <param name="ExpirationDate">ExpirationDate.</param>
/// <param name="Status">LicenseStatus.</param>
/// <param name="Version">Product version when the source knows it (our store does; a Windows export needs the key packs).</param>
/// <param name="Line">1-based line in the export it was read from; 0 when it did not come from a file.</param>
public sealed record IssuedLicenseRecord(
    string KeyPackId,
    string LicenseId,
    string Computer,
    string User,
    string HardwareId,
    DateTimeOffset IssueDate,
    DateTimeOffset ExpirationDate,
    WmiLicenseStatus Status,
    ProductVersion? Version = null,
    int Line = 0);

/// <summary>
/// One key pack as Win32_TSLicenseKeyPack describes it.
/// </summary>
/// <param name="KeyPackId">KeyPackId.</param>
/// <param name="Description">Description (may be empty).</param>
/// <param name="KeyPackType">KeyPackType: 0 unknown, 1 retail, 2 volume, 3 concurrent, 4 temporary, 5 open, 6 n/a.</param>
/// <param name="ProductType">ProductType: 0 per device, 1 per user, 2 invalid, 3 built-in.</param>
/// <param name="ProductVersionText">ProductVersion as written (e.g. "Windows Server 2022").</param>
/// <param name="ProductVersionId">ProductVersionID.</param>
/// <param name="TypeAndModel">TypeAndModel (e.g. "RDS Per Device CAL").</param>
/// <param name="TotalLicenses">TotalLicenses.</param>
/// <param name="IssuedLicenses">IssuedLicenses (may exceed TotalLicenses for per-user packs).</param>
/// <param name="AvailableLicenses">AvailableLicenses.</param>
/// <param name="ExpirationDate">ExpirationDate, when given.</param>
/// <param name="Version">The product version, when <see cref="ProductVersionId"/> or the text names a known one.</param>
/// <param name="Line">1-based line in the export; 0 when it did not come from a file.</param>
public sealed record KeyPackRecord(
    string KeyPackId,
    string Description,
    int KeyPackType,
    int ProductType,
    string ProductVersionText,
    int ProductVersionId,
    string TypeAndModel,
    long TotalLicenses,
    long IssuedLicenses,
    long AvailableLicenses,
    DateTimeOffset? ExpirationDate,
    ProductVersion? Version,
    int Line = 0)
{
    /// <summary>KeyPackType of the temporary key pack.</summary>
    public const int TemporaryKeyPackType = 4;

    /// <summary>ProductType of per-device packs.</summary>
    public const int PerDeviceProductType = 0;

    /// <summary>ProductType of per-user packs.</summary>
    public const int PerUserProductType = 1;

    /// <summary>ProductType of the built-in pack.</summary>
    public const int BuiltInProductType = 3;

    /// <summary>A pack of purchased per-device CALs: what the 20% revocation rule and the exhaustion forecast count.</summary>
    public bool IsInstalledPerDevice => ProductType == PerDeviceProductType && KeyPackType != TemporaryKeyPackType;

    /// <summary>A pack of purchased per-user CALs.</summary>
    public bool IsInstalledPerUser => ProductType == PerUserProductType && KeyPackType != TemporaryKeyPackType;

    /// <summary>Per-user CALs issued beyond the pack's total (Windows does not enforce per-user CALs).</summary>
    public long OverAllocated => ProductType == PerUserProductType && IssuedLicenses > TotalLicenses ? IssuedLicenses - TotalLicenses : 0;
}
