using System.Globalization;

namespace RdLicensing.Domain;

/// <summary>
/// The rules of RD Licensing (rds-facts.md sections 1, 2 and 9) over an <see cref="ILicensingLedger"/>. Every public
/// method is one unit of work: the caller runs it inside one store transaction, and a <see cref="LicensingException"/>
/// is thrown before any write, so a refused command changes nothing.
/// </summary>
public sealed class LicensingEngine
{
    /// <summary>A temporary per-device CAL lives 90 days.</summary>
    public static readonly TimeSpan TemporaryLifetime = TimeSpan.FromDays(90);

    /// <summary>A per-user CAL shows as expiring 60 days after issue; sign-ins extend it.</summary>
    public static readonly TimeSpan PerUserLifetime = TimeSpan.FromDays(60);

    /// <summary>A permanent CAL presented within 7 days of its expiry is renewed.</summary>
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromDays(7);

    /// <summary>Permanent CAL lifetime: a random whole number of days in [52, 89].</summary>
    public const int PermanentMinDays = 52;

    public const int PermanentMaxDays = 89;

    /// <summary>At most 20 % of a version's installed per-device CALs (at least 1) may be in the revoked state at once.</summary>
    public const int RevocationPercent = 20;

    private const string LicenseIdAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int LicenseIdLength = 12;
    private const int MaxQuantity = 1_000_000;

    private readonly TimeProvider _time;
    private readonly IRandomness _random;

    public LicensingEngine(TimeProvider time, IRandomness random)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        _time = time;
        _random = random;
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Creates the license server on first start (new id from injected randomness); returns the stored one otherwise.</summary>
    public LicenseServer EnsureServer(ILicensingLedger ledger, string name, ProductVersion version)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.FindServer() is { } existing)
        {
            return existing;
        }

        var server = new LicenseServer(LicenseServerId.New(_random), name, version);
        ledger.SaveServer(server);
        ledger.AddEvent(new LicensingEvent(Now, WindowsEventIds.ServerNotActivated, WindowsEventIds.LicensingSource, EventLevel.Warning,
            $"license server {server.ServerId.Display} is not activated: it issues temporary cals only"));
        return server;
    }

    public static LicenseServer GetServer(ILicensingLedger ledger) =>
        ledger.FindServer() ?? throw new InvalidOperationException("the license server is not initialized: this is a bug (EnsureServer runs at start)");

    /// <summary>Activates (or reactivates) the server with the contact data the wizard requires.</summary>
    public LicenseServer Activate(ILicensingLedger ledger, ActivationMethod method, Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        LicenseServer server = GetServer(ledger);
        if (server.IsActivated)
        {
            throw LicensingException.Conflict("method", "the license server is already activated");
        }

        server.Activate(method, contact, Now);
        ledger.SaveServer(server);
        ledger.AddEvent(new LicensingEvent(Now, WindowsEventIds.ServerActivated, WindowsEventIds.LicensingSource, EventLevel.Information,
            $"license server {server.ServerId.Display} was activated ({WireNames.Of(method)})"));
        return server;
    }

    /// <summary>
    /// Deactivates the server: CALs already issued stay valid; no new permanent CAL is issued or renewed (temporary only).
    /// Windows deactivates automatically or by telephone (with a confirmation code), never by web.
    /// </summary>
    public LicenseServer Deactivate(ILicensingLedger ledger, ActivationMethod method, string? confirmationCode)
    {
        LicenseServer server = GetServer(ledger);
        if (method == ActivationMethod.Web)
        {
            throw LicensingException.Invalid("method", "a license server is deactivated automatically or by telephone, not by web");
        }

        if (method == ActivationMethod.Telephone && string.IsNullOrWhiteSpace(confirmationCode))
        {
            throw LicensingException.Invalid("confirmationCode", "telephone deactivation needs the confirmation code");
        }

        if (!server.IsActivated)
        {
            throw LicensingException.Conflict("method", "the license server is not activated");
        }

        server.Deactivate(Now);
        ledger.SaveServer(server);
        ledger.AddEvent(new LicensingEvent(Now, RdLicensingEventIds.ServerDeactivated, RdLicensingEventIds.Source, EventLevel.Warning,
            $"license server {server.ServerId.Display} was deactivated ({WireNames.Of(method)}): issued cals stay valid, only temporary cals are issued"));
        return server;
    }

    /// <summary>Changes discovery scope, the prevent-license-upgrade policy, the name, or the version the server reports.</summary>
    public LicenseServer ChangeSettings(ILicensingLedger ledger, DiscoveryScope? scope, bool? preventLicenseUpgrade, string? name, ProductVersion? version)
    {
        LicenseServer server = GetServer(ledger);
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > CalRequest.MaxNameLength))
        {
            throw LicensingException.Invalid("name", "the server name must be 1 to 256 characters");
        }

        if (version is not null && ledger.KeyPacks().FirstOrDefault(p => p.Version.Rank > version.Rank) is { } newer)
        {
            throw LicensingException.Conflict("version", $"key pack {newer.KeyPackId} holds {newer.Version} cals, which a {version} license server cannot hold");
        }

        server.ChangeSettings(scope, preventLicenseUpgrade, name?.Trim(), version);
        ledger.SaveServer(server);
        ledger.AddEvent(new LicensingEvent(Now, RdLicensingEventIds.SettingsChanged, RdLicensingEventIds.Source, EventLevel.Information,
            $"settings changed: scope {WireNames.Of(server.DiscoveryScope)}, prevent license upgrade {(server.PreventLicenseUpgrade ? "on" : "off")}, version {server.Version}, name {server.Name}"));
        return server;
    }

    /// <summary>Installs a key pack. Needs an activated server whose version is at least the CAL version.</summary>
    public KeyPack InstallKeyPack(ILicensingLedger ledger, KeyPackCode code, ProductVersion version, CalType type, int quantity, DateTimeOffset? expiresOn)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(version);
        if (quantity <= 0)
        {
            throw LicensingException.Invalid("quantity", $"quantity must be greater than 0, got {quantity}");
        }

        if (quantity > MaxQuantity)
        {
            throw LicensingException.Invalid("quantity", $"quantity must be at most {MaxQuantity}, got {quantity}");
        }

        DateTimeOffset now = Now;
        if (expiresOn is { } expires && expires <= now)
        {
            throw LicensingException.Invalid("expiresOn", "a key pack cannot be installed already expired");
        }

        LicenseServer server = GetServer(ledger);
        if (!server.IsActivated)
        {
            throw LicensingException.Conflict("", "the license server must be activated before key packs can be installed");
        }

        if (version.Rank > server.Version.Rank)
        {
            throw LicensingException.Conflict("version", $"a {server.Version} license server cannot install {version} cals");
        }

        string keyPackId = ledger.NextKeyPackNumber().ToString(CultureInfo.InvariantCulture);
        var pack = KeyPack.Create(keyPackId, code, version, type, quantity, now, expiresOn);
        ledger.AddKeyPack(pack);
        ledger.AddEvent(new LicensingEvent(now, RdLicensingEventIds.KeyPackInstalled, RdLicensingEventIds.Source, EventLevel.Information,
            $"key pack {keyPackId} installed: {quantity} {pack.TypeAndModel} {version} ({WireNames.Of(code.Program)})", KeyPackId: keyPackId));
        return pack;
    }

    /// <summary>Removes a key pack that has no issued CALs.</summary>
    public void RemoveKeyPack(ILicensingLedger ledger, string keyPackId)
    {
        SweepExpired(ledger);
        KeyPack pack = ledger.FindKeyPack(keyPackId) ?? throw LicensingException.NotFound("keyPackId", $"no key pack '{keyPackId}'");
        if (pack.Issued > 0)
        {
            throw LicensingException.Conflict("keyPackId", $"key pack {keyPackId} has {pack.Issued} issued cals");
        }

        ledger.RemoveKeyPack(keyPackId);
        ledger.AddEvent(new LicensingEvent(Now, RdLicensingEventIds.KeyPackRemoved, RdLicensingEventIds.Source, EventLevel.Information,
            $"key pack {keyPackId} removed ({pack.Total} {pack.TypeAndModel} {pack.Version})", KeyPackId: keyPackId));
    }

    /// <summary>The reads <see cref="Request"/> makes for <paramref name="request"/> before it writes: the sweep, the server, the device's or user's CALs.</summary>
    public LedgerReads ReadsOf(CalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Mode == LicensingMode.PerUser
            ? new LedgerReads(Server: true, ExpiredAt: Now, User: request.User)
            : new LedgerReads(Server: true, ExpiredAt: Now, Device: request.Hwid);
    }

    /// <summary>The reads <see cref="Validate"/> makes before it writes: the sweep and the CAL.</summary>
    public LedgerReads ReadsOfValidate(string licenseId) => new(ExpiredAt: Now, LicenseId: licenseId);

    /// <summary>Decides a session host's CAL request (section 1 lifecycle; section 2 version rules).</summary>
    public LicenseDecision Request(ILicensingLedger ledger, CalRequest request, string? hostName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        SweepExpired(ledger);
        LicenseServer server = GetServer(ledger);
        string? host = hostName ?? request.HostName;
        if (!server.Version.ServerSupportsHost(request.HostVersion))
        {
            string message = $"a {server.Version} license server does not support {request.HostVersion} session hosts";
            ledger.AddEvent(new LicensingEvent(Now, WindowsEventIds.LicenseServerOlderThanHost, WindowsEventIds.RcmSource, EventLevel.Error, message, Host: host));
            return new LicenseDecision(LicenseOutcome.Refused, null, WindowsEventIds.LicenseServerOlderThanHost, message);
        }

        return request.Mode == LicensingMode.PerUser
            ? RequestPerUser(ledger, server, request, host)
            : RequestPerDevice(ledger, server, request, host);
    }

    /// <summary>Marks a temporary per-device CAL validated (the host saw a successful logon). Idempotent.</summary>
    public IssuedLicense Validate(ILicensingLedger ledger, string licenseId)
    {
        SweepExpired(ledger);
        IssuedLicense license = ledger.FindLicense(licenseId) ?? throw LicensingException.NotFound("licenseId", $"no license '{licenseId}'");
        if (license.Type != CalType.PerDevice)
        {
            throw LicensingException.Conflict("licenseId", "per-user cals are not validated");
        }

        if (!license.IsActive(Now))
        {
            throw LicensingException.Conflict("licenseId", $"license {licenseId} is {WireNames.Of(license.Status)}");
        }

        if (!license.Validated)
        {
            license.MarkValidated();
            ledger.UpdateLicense(license);
        }

        return license;
    }

    /// <summary>The 20 % rule for <paramref name="version"/> now.</summary>
    public RevocationAllowance Allowance(ILicensingLedger ledger, ProductVersion version)
    {
        DateTimeOffset now = Now;
        int installed = ledger.KeyPacks().Where(p => p.Type == CalType.PerDevice && p.Version == version).Sum(p => p.Total);
        int limit = Math.Max(installed * RevocationPercent / 100, 1);
        List<DateTimeOffset> counting = ledger.RevokedLicensesCounting(version, now).Select(l => l.ExpiresOn).Order().ToList();
        int revocable = Math.Max(0, limit - counting.Count);

        // The next revocation is allowed once enough revoked CALs reach their original expiry that fewer than `limit` count.
        DateTimeOffset? next = revocable > 0 ? now : counting[counting.Count - limit];
        return new RevocationAllowance(version, counting.Count, installed, limit, revocable, next);
    }

    /// <summary>Revokes a permanent per-device CAL (back to the pool at once) unless the 20 % rule refuses (event 81).</summary>
    public RevocationResult Revoke(ILicensingLedger ledger, string licenseId)
    {
        SweepExpired(ledger);
        DateTimeOffset now = Now;
        IssuedLicense license = ledger.FindLicense(licenseId) ?? throw LicensingException.NotFound("licenseId", $"no license '{licenseId}'");
        if (license.Type != CalType.PerDevice)
        {
            throw LicensingException.Conflict("licenseId", "per-user cals cannot be revoked");
        }

        if (license.Status != LicenseStatus.Permanent)
        {
            throw LicensingException.Conflict("licenseId", $"only permanent per-device cals can be revoked; license {licenseId} is {WireNames.Of(license.Status)}");
        }

        RevocationAllowance allowance = Allowance(ledger, license.Version);
        if (allowance.RevocableCals == 0)
        {
            ledger.AddEvent(new LicensingEvent(now, WindowsEventIds.RevocationLimitReached, WindowsEventIds.LicensingSource, EventLevel.Error,
                $"cannot revoke license {licenseId}: {allowance.RevokedCount} of the installed {allowance.InstalledCount} {license.Version} per-device cals are already revoked; the next revocation is allowed after {allowance.NextRevokeAllowedOn:u}",
                LicenseId: licenseId, KeyPackId: license.KeyPackId));
            return new RevocationResult(false, license, allowance);
        }

        ReturnToPool(ledger, license);
        license.Revoke(now);
        ledger.UpdateLicense(license);
        ledger.AddEvent(new LicensingEvent(now, RdLicensingEventIds.CalRevoked, RdLicensingEventIds.Source, EventLevel.Warning,
            $"license {licenseId} of {license.Machine ?? license.Hwid?.ToString()} revoked; it counts as revoked until {license.ExpiresOn:u}",
            LicenseId: licenseId, KeyPackId: license.KeyPackId));
        return new RevocationResult(true, license, Allowance(ledger, license.Version));
    }

    /// <summary>Expires every temporary and permanent CAL past its expiry and returns permanent ones to their pool.</summary>
    public int SweepExpired(ILicensingLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        DateTimeOffset now = Now;
        IReadOnlyList<IssuedLicense> expired = ledger.LicensesExpiredAt(now);
        foreach (IssuedLicense license in expired)
        {
            ReturnToPool(ledger, license);
            license.Expire();
            ledger.UpdateLicense(license);
        }

        return expired.Count;
    }

    private void ReturnToPool(ILicensingLedger ledger, IssuedLicense license)
    {
        if (license.KeyPackId is null)
        {
            return;
        }

        KeyPack? pack = ledger.FindKeyPack(license.KeyPackId);
        if (pack is null || pack.Issued == 0)
        {
            ledger.AddEvent(new LicensingEvent(Now, WindowsEventIds.ExpiredCalNotReturned, WindowsEventIds.LicensingSource, EventLevel.Warning,
                $"could not return license {license.LicenseId} to key pack {license.KeyPackId}", LicenseId: license.LicenseId, KeyPackId: license.KeyPackId));
            return;
        }

        pack.Return();
        ledger.UpdateKeyPack(pack);
    }

    private LicenseDecision RequestPerDevice(ILicensingLedger ledger, LicenseServer server, CalRequest request, string? host)
    {
        DateTimeOffset now = Now;
        HardwareId hwid = request.Hwid!;
        ProductVersion hostVersion = request.HostVersion;
        List<IssuedLicense> history = ledger.DeviceLicenses(hwid).Where(l => hostVersion.HostAccepts(l.Version)).ToList();

        IssuedLicense? current = history.FirstOrDefault(l => l.LicenseId == request.PresentedLicenseId && l.IsActive(now))
            ?? history.Where(l => l.IsActive(now))
                .OrderByDescending(l => l.Status == LicenseStatus.Permanent)
                .ThenByDescending(l => l.ExpiresOn)
                .FirstOrDefault();

        if (current is null)
        {
            return NoUsableCal(ledger, server, request, history, host);
        }

        current.Touch(request.Machine, host);
        if (current.Status == LicenseStatus.Temporary)
        {
            if (!current.Validated)
            {
                ledger.UpdateLicense(current);
                return new LicenseDecision(LicenseOutcome.Valid, current, null, "temporary cal not validated yet: it becomes permanent on a request after a successful logon");
            }

            KeyPack? pack = FindPack(ledger, server, hostVersion, CalType.PerDevice, out int failureEvent);
            if (pack is null)
            {
                ledger.UpdateLicense(current);
                string reason = NoCalReason(ledger, failureEvent, server, hostVersion, host, current.LicenseId);
                return new LicenseDecision(LicenseOutcome.Valid, current, failureEvent, $"{reason}; the device keeps its temporary cal until {current.ExpiresOn:u}");
            }

            pack.Take(overAllocate: false);
            ledger.UpdateKeyPack(pack);
            current.UpgradeToPermanent(pack, now, now + PermanentLifetime(), request.Machine, host);
            ledger.UpdateLicense(current);
            int? upgraded = RecordUpgrade(ledger, pack, hostVersion, current, host, WindowsEventIds.CalUpgradedToNewerVersion);
            return new LicenseDecision(LicenseOutcome.Upgraded, current, upgraded, $"temporary cal upgraded to a permanent {pack.Version} cal from key pack {pack.KeyPackId}");
        }

        if (current.ExpiresOn - now <= RenewalWindow)
        {
            if (!server.IsActivated)
            {
                ledger.UpdateLicense(current);
                string reason = NoCalReason(ledger, WindowsEventIds.ServerNotActivated, server, hostVersion, host, current.LicenseId);
                return new LicenseDecision(LicenseOutcome.Valid, current, WindowsEventIds.ServerNotActivated, $"{reason}; the cal is not renewed and expires {current.ExpiresOn:u}");
            }

            current.Renew(now + PermanentLifetime(), request.Machine, host);
            ledger.UpdateLicense(current);
            return new LicenseDecision(LicenseOutcome.Renewed, current, null, $"permanent cal renewed until {current.ExpiresOn:u}");
        }

        ledger.UpdateLicense(current);
        return new LicenseDecision(LicenseOutcome.Valid, current, null, null);
    }

    private LicenseDecision NoUsableCal(ILicensingLedger ledger, LicenseServer server, CalRequest request, List<IssuedLicense> history, string? host)
    {
        DateTimeOffset now = Now;
        ProductVersion hostVersion = request.HostVersion;
        bool validatedBefore = history.Any(l => !l.Temporary || l.Validated);
        bool temporaryUsedUp = history.Any(l => l.Temporary && l.Status == LicenseStatus.Expired);
        int failureEvent = WindowsEventIds.ServerNotActivated;

        if (validatedBefore)
        {
            KeyPack? pack = FindPack(ledger, server, hostVersion, CalType.PerDevice, out failureEvent);
            if (pack is not null)
            {
                pack.Take(overAllocate: false);
                ledger.UpdateKeyPack(pack);
                var permanent = IssuedLicense.NewPermanentDevice(NewLicenseId(), pack, request.Hwid!, request.Machine, request.User, host, now, now + PermanentLifetime());
                ledger.AddLicense(permanent);
                int? upgraded = RecordUpgrade(ledger, pack, hostVersion, permanent, host, WindowsEventIds.CalUpgradedToNewerVersion);
                return new LicenseDecision(LicenseOutcome.IssuedPermanent, permanent, upgraded, $"permanent {pack.Version} cal issued from key pack {pack.KeyPackId}");
            }
        }

        if (temporaryUsedUp)
        {
            if (!validatedBefore)
            {
                FindPack(ledger, server, hostVersion, CalType.PerDevice, out failureEvent);
            }

            string reason = NoCalReason(ledger, failureEvent, server, hostVersion, host, null);
            return new LicenseDecision(LicenseOutcome.Refused, null, failureEvent, $"{reason}; the device's temporary cal has expired, so the connection is refused");
        }

        var temporary = IssuedLicense.NewTemporary(NewLicenseId(), request.Hwid!, request.Machine, request.User, hostVersion, host, now);
        ledger.AddLicense(temporary);
        int? eventId = null;
        string message = $"temporary {hostVersion} cal issued until {temporary.ExpiresOn:u}";
        if (!server.IsActivated)
        {
            eventId = WindowsEventIds.ServerNotActivated;
            message = $"{NoCalReason(ledger, eventId.Value, server, hostVersion, host, temporary.LicenseId)}; {message}";
        }

        return new LicenseDecision(LicenseOutcome.IssuedTemporary, temporary, eventId, message);
    }

    private LicenseDecision RequestPerUser(ILicensingLedger ledger, LicenseServer server, CalRequest request, string? host)
    {
        DateTimeOffset now = Now;
        ProductVersion hostVersion = request.HostVersion;
        if (!server.IsActivated)
        {
            string reason = NoCalReason(ledger, WindowsEventIds.ServerNotActivated, server, hostVersion, host, null, CalType.PerUser);
            return new LicenseDecision(LicenseOutcome.PerUserNotTracked, null, WindowsEventIds.ServerNotActivated, $"{reason}; per-user cals are not enforced, nothing recorded");
        }

        IssuedLicense? existing = ledger.UserLicenses(request.User!)
            .Where(l => l.Type == CalType.PerUser && l.IsActive(now) && hostVersion.HostAccepts(l.Version))
            .OrderByDescending(l => l.ExpiresOn)
            .FirstOrDefault();
        if (existing is not null)
        {
            existing.Renew(now + PerUserLifetime, request.Machine, host);
            ledger.UpdateLicense(existing);
            return new LicenseDecision(LicenseOutcome.PerUserRecorded, existing, null, $"per-user cal extended until {existing.ExpiresOn:u}");
        }

        KeyPack? pack = FindPack(ledger, server, hostVersion, CalType.PerUser, out int failureEvent);
        int? eventId = null;
        string? note = null;
        if (pack is null && failureEvent == WindowsEventIds.NoPermanentCals)
        {
            // Per user is not enforced: when every compatible pack is used up the CAL comes from the over-used pool.
            pack = CompatiblePacks(ledger, server, hostVersion, CalType.PerUser, now).First();
            pack.Take(overAllocate: true);
            note = $"key pack {pack.KeyPackId} is over-allocated ({pack.Issued} issued of {pack.Total})";
        }
        else if (pack is not null)
        {
            pack.Take(overAllocate: false);
        }
        else
        {
            eventId = failureEvent;
            note = NoCalReason(ledger, failureEvent, server, hostVersion, host, null, CalType.PerUser) + "; per-user cals are not enforced, the user is recorded without a key pack";
        }

        if (pack is not null)
        {
            ledger.UpdateKeyPack(pack);
        }

        var license = IssuedLicense.NewPerUser(NewLicenseId(), pack, hostVersion, request.User!, request.Hwid, request.Machine, host, now);
        ledger.AddLicense(license);
        if (pack is not null)
        {
            eventId = RecordUpgrade(ledger, pack, hostVersion, license, host, WindowsEventIds.PerUserCalUpgraded);
        }

        return new LicenseDecision(LicenseOutcome.PerUserRecorded, license, eventId, note ?? $"per-user {license.Version} cal recorded until {license.ExpiresOn:u}");
    }

    /// <summary>
    /// Packs of <paramref name="type"/> a host of <paramref name="hostVersion"/> accepts, best first: the host's own version,
    /// then newer versions oldest first (none when "prevent license upgrade" is set), install order within a version.
    /// </summary>
    private static List<KeyPack> CompatiblePacks(ILicensingLedger ledger, LicenseServer server, ProductVersion hostVersion, CalType type, DateTimeOffset now) =>
        ledger.KeyPacks()
            .Where(p => p.Type == type && !p.IsExpired(now) && hostVersion.HostAccepts(p.Version))
            .Where(p => !server.PreventLicenseUpgrade || p.Version == hostVersion)
            .OrderBy(p => p.Version.Rank)
            .ToList();

    private KeyPack? FindPack(ILicensingLedger ledger, LicenseServer server, ProductVersion hostVersion, CalType type, out int failureEvent)
    {
        if (!server.IsActivated)
        {
            failureEvent = WindowsEventIds.ServerNotActivated;
            return null;
        }

        List<KeyPack> compatible = CompatiblePacks(ledger, server, hostVersion, type, Now);
        if (compatible.Count == 0)
        {
            failureEvent = WindowsEventIds.NoCalsForProduct;
            return null;
        }

        failureEvent = WindowsEventIds.NoPermanentCals;
        return compatible.FirstOrDefault(p => p.HasAvailable(Now));
    }

    private string NoCalReason(ILicensingLedger ledger, int eventId, LicenseServer server, ProductVersion hostVersion, string? host, string? licenseId, CalType calType = CalType.PerDevice)
    {
        string type = WireNames.Of(calType);
        string message = eventId switch
        {
            WindowsEventIds.ServerNotActivated => $"license server {server.ServerId.Display} is not activated: only temporary cals are issued",
            WindowsEventIds.NoCalsForProduct => $"no {hostVersion}-compatible {type} cals are installed{(server.PreventLicenseUpgrade ? " (prevent license upgrade is set)" : "")}",
            _ => $"no permanent {type} cals of version {hostVersion} or newer remain for host {host ?? "(unnamed)"}",
        };
        EventLevel level = eventId == WindowsEventIds.ServerNotActivated ? EventLevel.Warning : EventLevel.Error;
        ledger.AddEvent(new LicensingEvent(Now, eventId, WindowsEventIds.LicensingSource, level, message, LicenseId: licenseId, Host: host));
        return message;
    }

    private int? RecordUpgrade(ILicensingLedger ledger, KeyPack pack, ProductVersion hostVersion, IssuedLicense license, string? host, int eventId)
    {
        if (pack.Version == hostVersion)
        {
            return null;
        }

        ledger.AddEvent(new LicensingEvent(Now, eventId, WindowsEventIds.LicensingSource, EventLevel.Information,
            $"no {hostVersion} cal was available: license {license.LicenseId} was issued a newer {pack.Version} cal from key pack {pack.KeyPackId}",
            LicenseId: license.LicenseId, KeyPackId: pack.KeyPackId, Host: host));
        return eventId;
    }

    private TimeSpan PermanentLifetime() => TimeSpan.FromDays(_random.NextInt(PermanentMinDays, PermanentMaxDays + 1));

    private string NewLicenseId() => RandomIds.Next(_random, LicenseIdLength, LicenseIdAlphabet);
}
