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

/// <summary>
/// The reads a unit of work makes before its first write, named ahead so that a store can fetch them together with its
/// lock (one round trip to a database server instead of one per read). A hint: it changes no result. A store that uses it
/// must answer exactly as if each read were made when the work makes it — the rows fetched ahead are served only while
/// nothing the unit wrote could have changed them, and an expiry read ahead covers any later instant up to the one it
/// fetched for.
/// </summary>
/// <param name="Server">The license server row (<see cref="ILicensingLedger.FindServer"/>).</param>
/// <param name="ExpiredAt">The expired-CAL sweep (<see cref="ILicensingLedger.LicensesExpiredAt"/>) at about this instant.</param>
/// <param name="Device">The CALs of this device (<see cref="ILicensingLedger.DeviceLicenses"/>).</param>
/// <param name="User">The per-user CALs of this user (<see cref="ILicensingLedger.UserLicenses"/>).</param>
/// <param name="LicenseId">The CAL with this id (<see cref="ILicensingLedger.FindLicense"/>).</param>
/// <param name="Repeatable">
/// The caller's promise that the work has no effect outside the ledger (no I/O, nothing kept that a second run would
/// contradict), so a store may run it more than once: decide it on the rows as they are, ahead of the store's lock, and
/// commit that decision only if every row it read is unchanged once the lock is held, else run it again under the lock.
/// </param>
public sealed record LedgerReads(
    bool Server = false,
    DateTimeOffset? ExpiredAt = null,
    HardwareId? Device = null,
    string? User = null,
    string? LicenseId = null,
    bool Repeatable = false);
