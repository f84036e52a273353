using Microsoft.Extensions.Time.Testing;
using RdLicensing.Domain;

namespace RdLicensing.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="ILicenseStore"/> must show. A store is tested by subclassing this class and saying how
/// to open a fresh store (and a second handle on the same database, as another process or node would have).
/// </summary>
public abstract class LicenseStoreContract : IAsyncLifetime
{
    private readonly List<ILicenseStore> _opened = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Opens a handle on this test's database (the same database every call).</summary>
    protected abstract ILicenseStore OpenStore();

    /// <summary>Removes this test's database.</summary>
    protected abstract ValueTask DropAsync();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (ILicenseStore store in _opened)
        {
            await store.DisposeAsync();
        }

        await DropAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_a_second_handle_sees_committed_writes()
    {
        ILicenseStore store = await StartAsync();
        await store.InitializeAsync(Ct);
        LicenseServer created = await store.WriteAsync(s => Engine().EnsureServer(s, "OTHER", ProductVersions.V2022), Ct);

        ILicenseStore other = await StartAsync();
        LicenseServer? seen = await other.ReadAsync(s => s.FindServer(), Ct);
        Assert.Equal(created.ServerId, seen!.ServerId);
        Assert.Equal("LS01", seen.Name);
        Assert.Equal(ProductVersions.Latest, seen.Version);
    }

    [Fact]
    public async Task Server_key_packs_licenses_and_events_round_trip()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        (string keyPackId, string licenseId) = await store.WriteAsync(
            s =>
            {
                engine.EnsureServer(s, "LS01", ProductVersions.Latest);
                engine.Activate(s, ActivationMethod.Telephone, Contact.Create("Ada", "Lovelace", "Engines", "GB", "ada@example.org", "R&D", "1 Road", "London", "LDN", "N1"));
                engine.ChangeSettings(s, DiscoveryScope.Forest, true, "LS-NEW", null);
                KeyPack pack = engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Open, "12345678/ABCDE12345FGHIJ"), ProductVersions.V2019, CalType.PerDevice, 4, Time.GetUtcNow().AddYears(1));
                LicenseDecision temporary = engine.Request(s, CalRequest.Parse("PC1", Hwid(1), "alice", "2019", null, null, null), "RDSH01");
                engine.Validate(s, temporary.License!.LicenseId);
                engine.Request(s, CalRequest.Parse("PC1", Hwid(1), "alice", "2019", null, null, null), "RDSH01");
                return (pack.KeyPackId, temporary.License.LicenseId);
            },
            Ct);

        await store.ReadAsync(
            s =>
            {
                LicenseServer server = s.FindServer()!;
                Assert.Equal((ActivationState.Activated, ActivationMethod.Telephone, DiscoveryScope.Forest, true, "LS-NEW"), (server.ActivationState, server.ActivationMethod, server.DiscoveryScope, server.PreventLicenseUpgrade, server.Name));
                Assert.Equal(("Ada", "R&D", "N1"), (server.Contact!.FirstName, server.Contact.OrganizationalUnit, server.Contact.PostalCode));
                Assert.Equal(Time.GetUtcNow(), server.ActivatedOn);

                KeyPack pack = Assert.Single(s.KeyPacks());
                Assert.Equal((keyPackId, LicenseProgram.Open, "12345678/ABCDE12345FGHIJ", ProductVersions.V2019, CalType.PerDevice, 4, 1), (pack.KeyPackId, pack.Program, pack.Code.Value, pack.Version, pack.Type, pack.Total, pack.Issued));
                Assert.Equal(Time.GetUtcNow().AddYears(1), pack.ExpiresOn);

                IssuedLicense license = s.FindLicense(licenseId)!;
                Assert.Equal((LicenseStatus.Permanent, false, true, "PC1", "alice", "RDSH01", keyPackId), (license.Status, license.Temporary, license.Validated, license.Machine, license.User, license.IssuedToHost, license.KeyPackId));
                Assert.Equal(HardwareId.Parse(Hwid(1)), license.Hwid);
                Assert.Equal(Time.GetUtcNow(), license.IssuedOn);
                Assert.Single(s.DeviceLicenses(HardwareId.Parse(Hwid(1))));

                IReadOnlyList<StoredEvent> events = s.Events(0, 100);
                Assert.Contains(events, e => e.Event.EventId == WindowsEventIds.ServerActivated);
                Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
                Assert.Equal(events.Skip(1).Select(e => e.Sequence), s.Events(events[0].Sequence, 100).Select(e => e.Sequence));
                Assert.All(s.CheckConsistency(), c => Assert.True(c.Agrees));
                return true;
            },
            Ct);
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_and_read_work_cannot_write()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        await store.WriteAsync(s => engine.Activate(s, ActivationMethod.Automatic, Contact.Create("A", "B", "C", "US")), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(
            s =>
            {
                engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2022, CalType.PerDevice, 5, null);
                throw new InvalidOperationException("boom after the write");
            },
            Ct));
        await store.ReadAsync(
            s =>
            {
                engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2022, CalType.PerDevice, 5, null);
                return true;
            },
            Ct);

        Assert.Empty(await store.ReadAsync(s => s.KeyPacks(), Ct));
        Assert.DoesNotContain(await store.ReadAsync(s => s.Events(0, 100), Ct), e => e.Event.EventId == RdLicensingEventIds.KeyPackInstalled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Writers_on_two_handles_serialize_so_no_cal_is_over_issued(bool repeatable)
    {
        ILicenseStore first = await StartAsync();
        ILicenseStore second = await StartAsync();
        LicensingEngine engine = Engine();
        await first.WriteAsync(s => engine.Activate(s, ActivationMethod.Automatic, Contact.Create("A", "B", "C", "US")), Ct);
        KeyPack pack = await first.WriteAsync(s => engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2022, CalType.PerDevice, 25, null), Ct);

        // 60 validated devices race for 25 CALs through two handles (as two processes or nodes would); repeatable: as the
        // license server asks, so a store may decide ahead of its lock (decision 0106).
        IEnumerable<Task<LicenseDecision>> racers = Enumerable.Range(1, 60).Select(device => Task.Run(async () =>
        {
            ILicenseStore store = device % 2 == 0 ? first : second;
            CalRequest request = CalRequest.Parse($"PC{device}", Hwid(device), null, "2022", null, null, null);
            LedgerReads? reads = repeatable ? engine.ReadsOf(request) with { Repeatable = true } : null;
            LicenseDecision temporary = await store.WriteAsync(s => engine.Request(s, request), reads, Ct);
            string licenseId = temporary.License!.LicenseId;
            await store.WriteAsync(s => engine.Validate(s, licenseId), repeatable ? engine.ReadsOfValidate(licenseId) with { Repeatable = true } : null, Ct);
            return await store.WriteAsync(s => engine.Request(s, request), reads, Ct);
        }));
        LicenseDecision[] decisions = await Task.WhenAll(racers);

        Assert.Equal(25, decisions.Count(d => d.Outcome == LicenseOutcome.Upgraded));
        KeyPack after = (await second.ReadAsync(s => s.FindKeyPack(pack.KeyPackId), Ct))!;
        Assert.Equal((25, 0), (after.Issued, after.Available));
        Assert.All(await first.ReadAsync(s => s.CheckConsistency(), Ct), c => Assert.True(c.Agrees, $"{c.KeyPackId}: issued {c.Issued}, rows {c.ActiveRows}"));
    }

    [Fact]
    public async Task Queries_filter_page_and_count()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        await store.WriteAsync(
            s =>
            {
                engine.Activate(s, ActivationMethod.Automatic, Contact.Create("A", "B", "C", "US"));
                engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2022, CalType.PerUser, 2, null);
                for (int device = 1; device <= 7; device++)
                {
                    engine.Request(s, CalRequest.Parse($"PC{device}", Hwid(device), $"user{device}", "2022", null, null, null));
                    Time.Advance(TimeSpan.FromMinutes(1));
                }

                engine.Request(s, CalRequest.Parse(null, null, "Bob", "2022", "per-user", null, null));
                return true;
            },
            Ct);

        LicensePage all = await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Take: 3)), Ct);
        Assert.Equal((8, 3), (all.Total, all.Items.Count));
        Assert.True(all.Items[0].IssuedOn >= all.Items[1].IssuedOn);
        LicensePage rest = await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Skip: 6, Take: 3)), Ct);
        Assert.Equal(2, rest.Items.Count);
        LicensePage temporaries = await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Status: LicenseStatus.Temporary, Take: 100)), Ct);
        Assert.True(temporaries.Total == 7, string.Join("; ", temporaries.Items.Select(l => $"{l.LicenseId} {l.Type} {l.Status} {l.User}")));
        Assert.Equal(1, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Type: CalType.PerUser, User: "BOB")), Ct)).Total);
        Assert.Equal(1, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Machine: "pc3")), Ct)).Total);
        Assert.Equal(1, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Hwid: HardwareId.Parse(Hwid(4)))), Ct)).Total);
        Assert.Equal(1, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery(Search: "USER3")), Ct)).Total);
        Assert.Single(await store.ReadAsync(s => s.UserLicenses("bob"), Ct));
        Assert.Equal(0, await store.ReadAsync(s => s.CountLicensesExpiredAt(Time.GetUtcNow()), Ct));
        Assert.Equal(1, await store.ReadAsync(s => s.CountLicensesExpiredAt(Time.GetUtcNow().AddDays(61)), Ct));
        Assert.Equal(8, await store.ReadAsync(s => s.CountLicensesExpiredAt(Time.GetUtcNow().AddDays(91)), Ct));
    }

    [Fact]
    public async Task Api_keys_and_certificates_keep_their_rules()
    {
        ILicenseStore store = await StartAsync();
        var key = new ApiKeyRecord("rdsh01", "host", new string('a', 64), Time.GetUtcNow(), null);
        Assert.True(await store.WriteAsync(s => s.AddApiKey(key), Ct));
        Assert.False(await store.WriteAsync(s => s.AddApiKey(key with { KeyHash = new string('b', 64) }), Ct));
        await store.WriteAsync(
            s =>
            {
                s.TouchApiKey("rdsh01", Time.GetUtcNow().AddMinutes(5));
                return true;
            },
            Ct);
        ApiKeyRecord found = (await store.ReadAsync(s => s.FindApiKeyByHash(new string('a', 64)), Ct))!;
        Assert.Equal(Time.GetUtcNow().AddMinutes(5), found.LastSeenOn);
        Assert.True(await store.WriteAsync(s => s.RemoveApiKey("rdsh01"), Ct));
        Assert.False(await store.WriteAsync(s => s.RemoveApiKey("rdsh01"), Ct));

        var certificate = new StoredCertificate("deployment-ca", [1, 2, 3], "ABC", Time.GetUtcNow());
        Assert.True(await store.WriteAsync(s => s.AddCertificateIfAbsent(certificate), Ct));
        Assert.False(await store.WriteAsync(s => s.AddCertificateIfAbsent(certificate with { Pkcs12 = [9] }), Ct));
        Assert.Equal(new byte[] { 1, 2, 3 }, (await store.ReadAsync(s => s.FindCertificate("deployment-ca"), Ct))!.Pkcs12);
        await store.WriteAsync(
            s =>
            {
                s.SaveCertificate(certificate with { Pkcs12 = [7, 7] });
                return true;
            },
            Ct);
        Assert.Equal(new byte[] { 7, 7 }, Assert.Single(await store.ReadAsync(s => s.Certificates(), Ct)).Pkcs12);
    }

    [Fact]
    public async Task Revoked_cals_count_until_their_original_expiry()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        IssuedLicense revoked = await store.WriteAsync(
            s =>
            {
                engine.Activate(s, ActivationMethod.Automatic, Contact.Create("A", "B", "C", "US"));
                engine.InstallKeyPack(s, KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2022, CalType.PerDevice, 5, null);
                CalRequest request = CalRequest.Parse("PC1", Hwid(1), null, "2022", null, null, null);
                engine.Validate(s, engine.Request(s, request).License!.LicenseId);
                IssuedLicense permanent = engine.Request(s, request).License!;
                return engine.Revoke(s, permanent.LicenseId).License;
            },
            Ct);

        Assert.Single(await store.ReadAsync(s => s.RevokedLicensesCounting(ProductVersions.V2022, revoked.ExpiresOn.AddTicks(-10)), Ct));
        Assert.Empty(await store.ReadAsync(s => s.RevokedLicensesCounting(ProductVersions.V2022, revoked.ExpiresOn), Ct));
        Assert.Empty(await store.ReadAsync(s => s.RevokedLicensesCounting(ProductVersions.V2019, Time.GetUtcNow()), Ct));
        Assert.Equal(0, Assert.Single(await store.ReadAsync(s => s.KeyPacks(), Ct)).Issued);
    }

    [Fact]
    public async Task Reads_named_ahead_answer_as_the_reads_made_in_the_unit()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        await store.WriteAsync(s => engine.Activate(s, ActivationMethod.Automatic, Contact.Create("A", "B", "C", "US")), Ct);
        CalRequest first = CalRequest.Parse("PC1", Hwid(1), null, "2022", null, null, null);
        IssuedLicense early = (await store.WriteAsync(s => engine.Request(s, first), engine.ReadsOf(first), Ct)).License!;
        Time.Advance(TimeSpan.FromHours(2));
        CalRequest third = CalRequest.Parse("PC3", Hwid(3), null, "2022", null, null, null);
        IssuedLicense late = (await store.WriteAsync(s => engine.Request(s, third), engine.ReadsOf(third), Ct)).License!;

        // Just before a temporary CAL expires: the sweep named ahead must still find it when the work sweeps later, an hour
        // later (beyond any look-ahead) for the first CAL, a second later (inside one) for the second.
        foreach ((IssuedLicense temporary, TimeSpan ahead, int due) in new[] { (early, TimeSpan.FromHours(1), 1), (late, TimeSpan.FromSeconds(1), 2) })
        {
            Time.SetUtcNow(temporary.ExpiresOn - ahead);
            LedgerReads reads = engine.ReadsOf(first);
            ExpiredSeen seen = await Assert.ThrowsAsync<ExpiredSeen>(() => store.WriteAsync<int>(
                s =>
                {
                    Time.SetUtcNow(temporary.ExpiresOn);
                    IReadOnlyList<IssuedLicense> found = s.LicensesExpiredAt(Time.GetUtcNow());
                    Assert.Equal(due - 1, s.LicensesExpiredAt(temporary.ExpiresOn.AddTicks(-1)).Count);
                    throw new ExpiredSeen(found.Count);
                },
                reads,
                Ct));
            Assert.Equal(due, seen.Count);
        }

        // A unit sees its own writes over what it read ahead, and every read gives fresh objects.
        Time.Advance(TimeSpan.FromSeconds(1));
        CalRequest second = CalRequest.Parse("PC2", Hwid(2), null, "2022", null, null, null);
        (int before, int after, string? machine, string name) = await store.WriteAsync(
            s =>
            {
                int before = s.DeviceLicenses(HardwareId.Parse(Hwid(2))).Count;
                IssuedLicense issued = engine.Request(s, second).License!;
                IReadOnlyList<IssuedLicense> now = s.DeviceLicenses(HardwareId.Parse(Hwid(2)));
                Assert.NotSame(now[0], s.DeviceLicenses(HardwareId.Parse(Hwid(2)))[0]);
                Assert.NotSame(s.FindServer(), s.FindServer());
                Assert.Equal(issued.LicenseId, s.FindLicense(issued.LicenseId)!.LicenseId);
                engine.ChangeSettings(s, null, null, "LS-RENAMED", null);
                return (before, now.Count, s.DeviceLicenses(HardwareId.Parse(Hwid(2)))[0].Machine, s.FindServer()!.Name);
            },
            engine.ReadsOf(second),
            Ct);
        Assert.Equal((0, 1, "PC2", "LS-RENAMED"), (before, after, machine, name));
        Assert.Equal("LS-RENAMED", (await store.ReadAsync(s => s.FindServer(), Ct))!.Name);
    }

    [Fact]
    public async Task Reads_named_ahead_see_the_unit_that_held_the_lock_before()
    {
        ILicenseStore holder = await StartAsync();
        ILicenseStore waiter = await StartAsync();
        LicensingEngine engine = Engine();
        CalRequest request = CalRequest.Parse("PC1", Hwid(1), null, "2022", null, null, null);
        using var release = new SemaphoreSlim(0);
        using var holding = new SemaphoreSlim(0);
        // Task.Run: a store may run the work on the calling thread (PostgreSQL does, when its answers come back at once).
        Task<LicenseDecision> first = Task.Run(
            () => holder.WriteAsync(
                s =>
                {
                    LicenseDecision decision = engine.Request(s, request);
                    holding.Release();
                    Assert.True(release.Wait(TimeSpan.FromSeconds(30)), "the test never released the first unit");
                    return decision;
                },
                Ct),
            Ct);
        Assert.True(await holding.WaitAsync(TimeSpan.FromSeconds(30), Ct), "the first unit never ran");

        // The second unit names the device's CALs ahead while the first holds the lock with that device's new CAL.
        Task<LicenseDecision> second = waiter.WriteAsync(s => engine.Request(s, request), engine.ReadsOf(request), Ct);
        await Task.Delay(300, Ct);
        Assert.False(second.IsCompleted, second.Exception?.ToString() ?? "the second unit did not wait for the first");
        release.Release();

        LicenseDecision issued = await first;
        LicenseDecision again = await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal((LicenseOutcome.IssuedTemporary, LicenseOutcome.Valid), (issued.Outcome, again.Outcome));
        Assert.Equal(issued.License!.LicenseId, again.License!.LicenseId);
        Assert.Single(await waiter.ReadAsync(s => s.DeviceLicenses(HardwareId.Parse(Hwid(1))), Ct));
    }

    [Fact]
    public async Task An_update_of_a_row_not_in_the_store_fails_the_unit_and_leaves_nothing()
    {
        ILicenseStore store = await StartAsync();
        LicensingEngine engine = Engine();
        CalRequest request = CalRequest.Parse("PC1", Hwid(1), null, "2022", null, null, null);
        IssuedLicense? ghost = null;
        await Assert.ThrowsAsync<ExpiredSeen>(() => store.WriteAsync<int>(
            s =>
            {
                ghost = engine.Request(s, request).License;
                throw new ExpiredSeen(0);
            },
            Ct));

        var marker = new LicensingEvent(Time.GetUtcNow(), 9999, "test", EventLevel.Information, "written before the failing update");
        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(
            s =>
            {
                s.AddEvent(marker);
                s.UpdateLicense(ghost!);
                return true;
            },
            Ct));
        Assert.Contains($"license {ghost!.LicenseId} is not in the store", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await store.ReadAsync(s => s.Events(0, 100), Ct), e => e.Event.EventId == 9999);

        // The store goes on: the next units commit.
        Assert.Equal(LicenseOutcome.IssuedTemporary, (await store.WriteAsync(s => engine.Request(s, request), engine.ReadsOf(request), Ct)).Outcome);
        Assert.Single(await store.ReadAsync(s => s.DeviceLicenses(HardwareId.Parse(Hwid(1))), Ct));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Hwid(int device) => $"02000000{device:X8}{new string('C', 24)}";

    private LicensingEngine Engine() => new(Time, new CountingRandomness());

    /// <summary>Opens, initializes and (on first use) creates the server row.</summary>
    private async Task<ILicenseStore> StartAsync()
    {
        ILicenseStore store = OpenStore();
        _opened.Add(store);
        await store.InitializeAsync(Ct);
        await store.WriteAsync(s => new LicensingEngine(Time, new CountingRandomness()).EnsureServer(s, "LS01", ProductVersions.Latest), Ct);
        return store;
    }

    /// <summary>Carries a count out of a unit that must not commit.</summary>
    private sealed class ExpiredSeen(int count) : Exception($"{count} expired")
    {
        public int Count { get; } = count;
    }

    /// <summary>Thread-safe randomness shared by every engine of the test (license ids must not repeat).</summary>
    protected sealed class CountingRandomness : IRandomness
    {
        public int NextInt(int minInclusive, int maxExclusive) => Random.Shared.Next(minInclusive, maxExclusive);
    }
}
