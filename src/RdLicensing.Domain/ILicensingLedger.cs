namespace RdLicensing.Domain;

/// <summary>
/// The licensing state as <see cref="LicensingEngine"/> sees it inside one unit of work. A store implements it over one
/// open transaction (every call sees the writes before it; all of them commit together or not at all); tests implement it
/// in memory. Calls are synchronous: the engine decides without waiting, the store does its I/O around it.
/// </summary>
public interface ILicensingLedger
{
    /// <summary>The license server, or null before the first start initialized it.</summary>
    LicenseServer? FindServer();

    /// <summary>Inserts or replaces the license server row.</summary>
    void SaveServer(LicenseServer server);

    /// <summary>All installed key packs, in installation order.</summary>
    IReadOnlyList<KeyPack> KeyPacks();

    KeyPack? FindKeyPack(string keyPackId);

    /// <summary>The next key pack number (1, 2, 3 …; never reused).</summary>
    long NextKeyPackNumber();

    void AddKeyPack(KeyPack keyPack);

    /// <summary>Writes the key pack's counters.</summary>
    void UpdateKeyPack(KeyPack keyPack);

    void RemoveKeyPack(string keyPackId);

    IssuedLicense? FindLicense(string licenseId);

    /// <summary>Every per-device CAL ever issued to <paramref name="hwid"/>, any status.</summary>
    IReadOnlyList<IssuedLicense> DeviceLicenses(HardwareId hwid);

    /// <summary>Every per-user CAL of <paramref name="user"/> (user names compare case-insensitively), any status.</summary>
    IReadOnlyList<IssuedLicense> UserLicenses(string user);

    /// <summary>Temporary and permanent CALs whose expiry is at or before <paramref name="now"/>.</summary>
    IReadOnlyList<IssuedLicense> LicensesExpiredAt(DateTimeOffset now);

    /// <summary>Revoked per-device CALs of <paramref name="version"/> whose original expiry is after <paramref name="now"/>.</summary>
    IReadOnlyList<IssuedLicense> RevokedLicensesCounting(ProductVersion version, DateTimeOffset now);

    void AddLicense(IssuedLicense license);

    /// <summary>Writes every field of the CAL.</summary>
    void UpdateLicense(IssuedLicense license);

    void AddEvent(LicensingEvent licensingEvent);
}
