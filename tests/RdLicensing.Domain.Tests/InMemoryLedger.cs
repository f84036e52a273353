namespace RdLicensing.Domain.Tests;

/// <summary>
/// An in-memory <see cref="ILicensingLedger"/> for domain tests. It stores copies, so a change the engine forgets to
/// write back (Update…) is lost here as it would be in a real store.
/// </summary>
internal sealed class InMemoryLedger : ILicensingLedger
{
    private readonly Dictionary<string, KeyPack> _keyPacks = new(StringComparer.Ordinal);
    private readonly List<string> _keyPackOrder = [];
    private readonly Dictionary<string, IssuedLicense> _licenses = new(StringComparer.Ordinal);
    private LicenseServer? _server;
    private long _keyPackNumber;

    public List<LicensingEvent> Events { get; } = [];

    public IEnumerable<IssuedLicense> AllLicenses => _licenses.Values.Select(Copy);

    public LicenseServer? FindServer() => _server is null ? null : Copy(_server);

    public void SaveServer(LicenseServer server) => _server = Copy(server);

    public IReadOnlyList<KeyPack> KeyPacks() => _keyPackOrder.Select(id => Copy(_keyPacks[id])).ToList();

    public KeyPack? FindKeyPack(string keyPackId) => _keyPacks.TryGetValue(keyPackId, out KeyPack? pack) ? Copy(pack) : null;

    public long NextKeyPackNumber() => ++_keyPackNumber;

    public void AddKeyPack(KeyPack keyPack)
    {
        _keyPacks.Add(keyPack.KeyPackId, Copy(keyPack));
        _keyPackOrder.Add(keyPack.KeyPackId);
    }

    public void UpdateKeyPack(KeyPack keyPack)
    {
        if (!_keyPacks.ContainsKey(keyPack.KeyPackId))
        {
            throw new InvalidOperationException("no such key pack");
        }

        _keyPacks[keyPack.KeyPackId] = Copy(keyPack);
    }

    public void RemoveKeyPack(string keyPackId)
    {
        _keyPacks.Remove(keyPackId);
        _keyPackOrder.Remove(keyPackId);
    }

    public IssuedLicense? FindLicense(string licenseId) => _licenses.TryGetValue(licenseId, out IssuedLicense? license) ? Copy(license) : null;

    public IReadOnlyList<IssuedLicense> DeviceLicenses(HardwareId hwid) =>
        _licenses.Values.Where(l => l.Type == CalType.PerDevice && hwid.Equals(l.Hwid)).OrderBy(l => l.IssuedOn).Select(Copy).ToList();

    public IReadOnlyList<IssuedLicense> UserLicenses(string user) =>
        _licenses.Values.Where(l => l.Type == CalType.PerUser && string.Equals(l.User, user, StringComparison.OrdinalIgnoreCase)).Select(Copy).ToList();

    public IReadOnlyList<IssuedLicense> LicensesExpiredAt(DateTimeOffset now) =>
        _licenses.Values.Where(l => l.Status is LicenseStatus.Temporary or LicenseStatus.Permanent && l.ExpiresOn <= now).Select(Copy).ToList();

    public IReadOnlyList<IssuedLicense> RevokedLicensesCounting(ProductVersion version, DateTimeOffset now) =>
        _licenses.Values.Where(l => l.Status == LicenseStatus.Revoked && l.Type == CalType.PerDevice && l.Version == version && l.ExpiresOn > now).Select(Copy).ToList();

    public void AddLicense(IssuedLicense license) => _licenses.Add(license.LicenseId, Copy(license));

    public void UpdateLicense(IssuedLicense license)
    {
        if (!_licenses.ContainsKey(license.LicenseId))
        {
            throw new InvalidOperationException("no such license");
        }

        _licenses[license.LicenseId] = Copy(license);
    }

    public void AddEvent(LicensingEvent licensingEvent) => Events.Add(licensingEvent);

    /// <summary>Issued rows per key pack in status temporary or permanent.</summary>
    public int ActiveRows(string keyPackId) =>
        _licenses.Values.Count(l => l.KeyPackId == keyPackId && l.Status is LicenseStatus.Temporary or LicenseStatus.Permanent);

    private static LicenseServer Copy(LicenseServer s) =>
        LicenseServer.Restore(s.ServerId, s.Name, s.Version, s.ActivationState, s.ActivationMethod, s.ActivatedOn, s.DeactivatedOn, s.Contact, s.DiscoveryScope, s.PreventLicenseUpgrade, s.CertificateThumbprint);

    private static KeyPack Copy(KeyPack p) => KeyPack.Restore(p.KeyPackId, p.Code, p.Version, p.Type, p.Total, p.Issued, p.InstalledOn, p.ExpiresOn);

    private static IssuedLicense Copy(IssuedLicense l) =>
        IssuedLicense.Restore(l.LicenseId, l.KeyPackId, l.Type, l.Status, l.Temporary, l.Version, l.Machine, l.User, l.Hwid, l.IssuedOn, l.ExpiresOn, l.Validated, l.RevokedOn, l.IssuedToHost);
}

/// <summary>Deterministic randomness for tests.</summary>
internal sealed class SeededRandomness(int seed) : IRandomness
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public int NextInt(int minInclusive, int maxExclusive)
    {
        lock (_lock)
        {
            return _random.Next(minInclusive, maxExclusive);
        }
    }
}

/// <summary>A license server world: ledger, fake clock, engine, helpers.</summary>
internal sealed class World
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public World(int seed = 1, ProductVersion? serverVersion = null)
    {
        Engine = new LicensingEngine(Time, new SeededRandomness(seed));
        Server = Engine.EnsureServer(Ledger, "LS01", serverVersion ?? ProductVersions.Latest);
    }

    public InMemoryLedger Ledger { get; } = new();

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(Start);

    public LicensingEngine Engine { get; }

    public LicenseServer Server { get; }

    public static HardwareId Hwid(int device) => HardwareId.Parse($"02000000{device:X8}{new string('B', 24)}");

    public World Activated()
    {
        Engine.Activate(Ledger, ActivationMethod.Automatic, Contact.Create("Ada", "Lovelace", "Engines Ltd", "GB"));
        return this;
    }

    public KeyPack Install(int quantity, ProductVersion? version = null, CalType type = CalType.PerDevice) =>
        Engine.InstallKeyPack(Ledger, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), version ?? ProductVersions.V2022, type, quantity, null);

    public LicenseDecision Request(int device, ProductVersion? hostVersion = null) =>
        Engine.Request(Ledger, CalRequest.Parse($"PC{device}", Hwid(device).ToString(), $"user{device}", (hostVersion ?? ProductVersions.V2022).Key, "per-device", null, "RDSH01"));

    public LicenseDecision RequestUser(string user, ProductVersion? hostVersion = null) =>
        Engine.Request(Ledger, CalRequest.Parse(null, null, user, (hostVersion ?? ProductVersions.V2022).Key, "per-user", null, "RDSH01"));

    public KeyPack Pack(string keyPackId) => Ledger.FindKeyPack(keyPackId)!;

    public void AdvanceDays(double days) => Time.Advance(TimeSpan.FromDays(days));

    public void AssertCounters()
    {
        foreach (KeyPack pack in Ledger.KeyPacks())
        {
            Assert.Equal(pack.Issued, Ledger.ActiveRows(pack.KeyPackId));
            Assert.True(pack.Available >= 0);
            if (pack.Type == CalType.PerDevice)
            {
                Assert.Equal(pack.Total, pack.Issued + pack.Available);
            }
        }
    }
}
