using Npgsql;
using RdLicensing.Domain;
using RdLicensing.Storage.Postgres;

namespace RdLicensing.Storage.Tests.Postgres;

/// <summary>
/// The store contract on PostgreSQL (each test on its own fresh database), plus what only a shared database has:
/// nodes migrating at once, write units of several nodes serialized by the advisory lock, and a dead node's lock released.
/// </summary>
public sealed class PostgresLicenseStoreTests : LicenseStoreContract
{
    private PostgresTestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresTestDatabase Database => _database ??= PostgresTestDatabase.Create();

    protected override ILicenseStore OpenStore() => new PostgresLicenseStore(Database.ConnectionString);

    protected override async ValueTask DropAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Nodes_starting_at_once_on_an_empty_database_apply_each_migration_once()
    {
        PostgresLicenseStore[] nodes = [.. Enumerable.Range(0, 6).Select(_ => new PostgresLicenseStore(Database.ConnectionString))];
        try
        {
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.InitializeAsync(Ct), Ct)));

            Assert.Equal(PostgresLicenseStore.SchemaVersion, Convert.ToInt32(await Database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations;", Ct), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1L, await Database.ScalarAsync("SELECT COUNT(*) FROM counters;", Ct));
            Assert.Equal(1L, await nodes[0].WriteAsync(s => s.NextKeyPackNumber(), Ct));
            Assert.Equal(2L, await nodes[5].WriteAsync(s => s.NextKeyPackNumber(), Ct));
        }
        finally
        {
            foreach (PostgresLicenseStore node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Read_modify_write_units_of_two_nodes_lose_no_update()
    {
        // READ COMMITTED alone would lose increments here; the advisory lock makes each unit see the one before it.
        await using var first = new PostgresLicenseStore(Database.ConnectionString);
        await using var second = new PostgresLicenseStore(Database.ConnectionString);
        await first.InitializeAsync(Ct);
        await second.InitializeAsync(Ct);
        KeyPack pack = KeyPack.Create("KP-RMW", KeyPackCode.Parse(LicenseProgram.Select, "7654321"), ProductVersions.V2022, CalType.PerDevice, 1000, Time.GetUtcNow(), null);
        await first.WriteAsync(
            s =>
            {
                s.AddKeyPack(pack);
                return true;
            },
            Ct);

        const int Workers = 8;
        const int Units = 25;
        var numbers = new System.Collections.Concurrent.ConcurrentBag<long>();
        async Task Worker(ILicenseStore store)
        {
            for (int i = 0; i < Units; i++)
            {
                await store.WriteAsync(
                    s =>
                    {
                        KeyPack current = s.FindKeyPack("KP-RMW")!;
                        s.UpdateKeyPack(KeyPack.Restore(current.KeyPackId, current.Code, current.Version, current.Type, current.Total, current.Issued + 1, current.InstalledOn, current.ExpiresOn));
                        numbers.Add(s.NextKeyPackNumber());
                        return true;
                    },
                    Ct);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => Worker(i % 2 == 0 ? first : second), Ct)));

        Assert.Equal(Workers * Units, (await second.ReadAsync(s => s.FindKeyPack("KP-RMW"), Ct))!.Issued);
        Assert.Equal(Enumerable.Range(1, Workers * Units).Select(n => (long)n), numbers.Order());
    }

    [Fact]
    public async Task A_write_waits_for_the_deployment_lock_and_runs_when_its_holder_dies()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);

        // Another "node" takes the deployment lock and then dies (its backend is terminated, as when a node is killed).
        (NpgsqlConnection holder, NpgsqlTransaction held) = await HoldDeploymentLockAsync();
        await using var holding = holder;
        await using var heldTransaction = held;

        int holderPid = holder.ProcessID;
        Task<long> write = store.WriteAsync(s => s.NextKeyPackNumber(), Ct);

        // Reads never wait for the lock.
        Assert.Empty(await store.ReadAsync(s => s.KeyPacks(), Ct));

        // The write is queued on the advisory lock (seen in pg_locks), not running.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (Convert.ToInt64(await Database.ScalarAsync("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted;", deadline.Token), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Assert.False(write.IsCompleted, "the write ran while another node held the deployment lock");
            await Task.Delay(50, deadline.Token);
        }

        Assert.False(write.IsCompleted);
        Assert.Equal(true, await Database.ScalarAsync($"SELECT pg_terminate_backend({holderPid});", Ct));

        Assert.Equal(1L, await write.WaitAsync(TimeSpan.FromSeconds(60), Ct));
    }

    [Fact]
    public async Task A_write_waiting_for_the_lock_is_cancelled_by_its_token_and_the_next_write_runs()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        (NpgsqlConnection holder, NpgsqlTransaction held) = await HoldDeploymentLockAsync();
        await using var holding = holder;

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<long> waiting = store.WriteAsync(s => s.NextKeyPackNumber(), cancel.Token);
        Task<long> queued = store.WriteAsync(s => s.NextKeyPackNumber(), Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (Convert.ToInt64(await Database.ScalarAsync("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted;", deadline.Token), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await Task.Delay(50, deadline.Token);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.False(queued.IsCompleted);

        // The holder ends its transaction: the queued write runs, and the cancelled one left nothing behind.
        await held.RollbackAsync(Ct);
        await held.DisposeAsync();
        Assert.Equal(1L, await queued.WaitAsync(TimeSpan.FromSeconds(60), Ct));
    }

    // Another "node": its own unpooled connection, in a transaction holding the deployment lock.
    private async Task<(NpgsqlConnection Holder, NpgsqlTransaction Held)> HoldDeploymentLockAsync()
    {
        var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync(Ct);
        NpgsqlTransaction held = await holder.BeginTransactionAsync(Ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresLicenseStore.DeploymentLockKey});", holder, held))
        {
            await take.ExecuteNonQueryAsync(Ct);
        }

        return (holder, held);
    }

    [Fact]
    public async Task Repeatable_units_are_decided_ahead_and_still_commit_only_under_the_deployment_lock()
    {
        (PostgresLicenseStore store, LicensingEngine engine) = await StartServerAsync();
        await using PostgresLicenseStore closing = store;
        for (int device = 1; device <= 5; device++)
        {
            CalRequest request = Device(device);
            Assert.Equal(LicenseOutcome.IssuedTemporary, (await store.WriteAsync(s => engine.Request(s, request), Repeatable(engine, request), Ct)).Outcome);
        }

        Assert.Equal((5L, 0L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));

        // Another node holds the lock: the unit decided ahead waits for it before anything is written.
        (NpgsqlConnection holder, NpgsqlTransaction held) = await HoldDeploymentLockAsync();
        await using var holding = holder;
        CalRequest sixth = Device(6);
        Task<LicenseDecision> waiting = store.WriteAsync(s => engine.Request(s, sixth), Repeatable(engine, sixth), Ct);
        await WaitForLockWaiterAsync();
        Assert.False(waiting.IsCompleted);
        Assert.Empty(await store.ReadAsync(s => s.DeviceLicenses(sixth.Hwid!), Ct));
        await held.RollbackAsync(Ct);
        await held.DisposeAsync();

        Assert.Equal(LicenseOutcome.IssuedTemporary, (await waiting.WaitAsync(TimeSpan.FromSeconds(60), Ct)).Outcome);
        Assert.Equal((6L, 0L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
        Assert.Equal(6, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery()), Ct)).Total);

        // Several rows in one read (the digest made beside them ahead of the lock is the one checked under it).
        await store.WriteAsync(
            s =>
            {
                for (int i = 1; i <= 3; i++)
                {
                    s.AddKeyPack(KeyPack.Create($"KP-{i}", KeyPackCode.Parse(LicenseProgram.Select, "7654321"), ProductVersions.V2022, CalType.PerDevice, 10 * i, Time.GetUtcNow(), null));
                }

                return true;
            },
            Ct);
        int packs = await store.WriteAsync(
            s =>
            {
                int count = s.KeyPacks().Count;
                s.AddEvent(new LicensingEvent(Time.GetUtcNow(), 9996, "test", EventLevel.Information, $"{count} key packs"));
                return count;
            },
            new LedgerReads(Repeatable: true),
            Ct);
        Assert.Equal(3, packs);
        Assert.Equal((7L, 0L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
    }

    [Fact]
    public async Task Commits_queued_behind_the_lock_share_a_round_trip_and_a_changed_read_stops_only_the_units_from_it_on()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        DateTimeOffset now = Time.GetUtcNow();
        await store.WriteAsync(
            s =>
            {
                for (int i = 1; i <= 4; i++)
                {
                    s.AddLicense(IssuedLicense.Restore(
                        $"L-{i}", null, CalType.PerDevice, LicenseStatus.Temporary, true, ProductVersions.V2022, $"PC{i}", "u",
                        Device(i).Hwid!, now, now.AddDays(90), false, null, null));
                }

                return true;
            },
            Ct);

        // Unit i reads CAL L-i (named ahead) and records the machine name it saw.
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(int Unit, string Machine)>();
        Task<bool> Unit(int i) => store.WriteAsync(
            s =>
            {
                string machine = s.FindLicense($"L-{i}")!.Machine ?? "(none)";
                seen.Enqueue((i, machine));
                s.AddEvent(new LicensingEvent(now, 9990 + i, "test", EventLevel.Information, $"unit {i} saw {machine}"));
                return true;
            },
            new LedgerReads(LicenseId: $"L-{i}", Repeatable: true),
            Ct);

        // Another node holds the lock: unit 1's commit goes out alone and waits for it inside PostgreSQL; units 2, 3
        // and 4 are decided meanwhile and queue, in that order.
        (NpgsqlConnection holder, NpgsqlTransaction held) = await HoldDeploymentLockAsync();
        await using var holding = holder;
        Task<bool> first = Unit(1);
        await UntilAsync(_ => Task.FromResult(store.CommitsAhead.RoundTrips == 1));
        await WaitForLockWaiterAsync();
        var queued = new List<Task<bool>>();
        for (int i = 2; i <= 4; i++)
        {
            queued.Add(Unit(i));
            int expected = i - 1;
            await UntilAsync(_ => Task.FromResult(store.CommitsQueued == expected));
        }

        // The holder changes what unit 3 read, then lets go of the lock.
        await using (var change = new NpgsqlCommand("UPDATE licenses SET machine = 'CHANGED' WHERE license_id = 'L-3';", holder, held))
        {
            Assert.Equal(1, await change.ExecuteNonQueryAsync(Ct));
        }

        await held.CommitAsync(Ct);
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        foreach (Task<bool> unit in queued)
        {
            Assert.True(await unit.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        }

        // Two round trips carried the four commits. In the second, unit 2 committed, unit 3's check stopped the batch
        // before its writes, and unit 4 was not run: both were decided again under the lock, unit 3 on the changed row.
        Assert.Equal((2L, 4L), store.CommitsAhead);
        Assert.Equal((2L, 2L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
        Assert.Equal(
            ["1:PC1", "2:PC2", "3:CHANGED", "3:PC3", "4:PC4", "4:PC4"],
            seen.Select(x => $"{x.Unit}:{x.Machine}").Order(StringComparer.Ordinal));
        IReadOnlyList<StoredEvent> events = await store.ReadAsync(s => s.Events(0, 100), Ct);
        Assert.Equal(
            ["unit 1 saw PC1", "unit 2 saw PC2", "unit 3 saw CHANGED", "unit 4 saw PC4"],
            events.Where(e => e.Event.Source == "test").Select(e => e.Event.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_repeatable_unit_whose_named_read_changed_before_the_lock_is_decided_again_under_it()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await using var other = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        var engine = new LicensingEngine(Time, new CountingRandomness());
        await store.WriteAsync(s => engine.EnsureServer(s, "LS01", ProductVersions.Latest), Ct);
        CalRequest request = Device(1);

        // Between the reads ahead and the commit another node issues this device its CAL: the decision made ahead (a new
        // temporary CAL) must not commit; under the lock the device's CAL is found instead.
        LicenseDecision? byOther = null;
        LicenseDecision decision = await store.WriteAsync(
            s =>
            {
                byOther ??= other.WriteAsync(o => engine.Request(o, request), Ct).GetAwaiter().GetResult();
                return engine.Request(s, request);
            },
            Repeatable(engine, request),
            Ct);

        Assert.Equal(LicenseOutcome.IssuedTemporary, byOther!.Outcome);
        Assert.Equal((LicenseOutcome.Valid, byOther.License!.LicenseId), (decision.Outcome, decision.License!.LicenseId));
        Assert.Equal((0L, 1L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
        Assert.Single(await store.ReadAsync(s => s.DeviceLicenses(request.Hwid!), Ct));
    }

    [Fact]
    public async Task A_repeatable_unit_whose_later_read_changed_before_the_lock_is_decided_again_under_it()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await using var other = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        KeyPack pack = KeyPack.Create("KP-AHEAD", KeyPackCode.Parse(LicenseProgram.Select, "7654321"), ProductVersions.V2022, CalType.PerDevice, 10, Time.GetUtcNow(), null);
        await store.WriteAsync(s => { s.AddKeyPack(pack); return true; }, Ct);

        // A read the work makes itself (not named ahead) is checked under the lock as well.
        var seen = new List<int>();
        int issued = await store.WriteAsync(
            s =>
            {
                KeyPack current = s.FindKeyPack("KP-AHEAD")!;
                seen.Add(current.Issued);
                if (seen.Count == 1)
                {
                    other.WriteAsync(o => { o.UpdateKeyPack(KeyPack.Restore(current.KeyPackId, current.Code, current.Version, current.Type, current.Total, 3, current.InstalledOn, current.ExpiresOn)); return true; }, Ct).GetAwaiter().GetResult();
                }

                s.UpdateKeyPack(KeyPack.Restore(current.KeyPackId, current.Code, current.Version, current.Type, current.Total, current.Issued + 1, current.InstalledOn, current.ExpiresOn));
                return current.Issued + 1;
            },
            new LedgerReads(Repeatable: true),
            Ct);

        Assert.Equal([0, 3], seen);
        Assert.Equal(4, issued);
        Assert.Equal(4, (await store.ReadAsync(s => s.FindKeyPack("KP-AHEAD"), Ct))!.Issued);
        Assert.Equal((0L, 1L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
    }

    [Fact]
    public async Task Repeatable_work_that_needs_the_lock_runs_under_it_whatever_it_does_with_the_exception()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        DateTimeOffset now = Time.GetUtcNow();
        var marker = new LicensingEvent(now, 9997, "test", EventLevel.Information, "before the read");
        int runs = 0;

        // A write whose answer the work needs, the answer swallowed by the work: decided ahead it is void all the same.
        bool added = await store.WriteAsync(
            s =>
            {
                runs++;
                try
                {
                    return s.AddApiKey(new ApiKeyRecord("ahead", "auditor", "hash-ahead", now, null));
                }
                catch (Exception)
                {
                    return false;
                }
            },
            new LedgerReads(Repeatable: true),
            Ct);

        // A read after the unit's own write: ahead of the lock it could not see the write.
        int packs = await store.WriteAsync(
            s =>
            {
                runs++;
                s.AddEvent(marker);
                return s.KeyPacks().Count;
            },
            new LedgerReads(Repeatable: true),
            Ct);

        // A refusal after reads of two snapshots (which need not agree) is decided again under the lock.
        LicensingException refused = await Assert.ThrowsAsync<LicensingException>(() => store.WriteAsync<int>(
            s =>
            {
                runs++;
                _ = s.KeyPacks();
                throw LicensingException.NotFound("keyPackId", "refused after a read");
            },
            new LedgerReads(Repeatable: true),
            Ct));
        Assert.Contains("refused after a read", refused.Message, StringComparison.Ordinal);

        Assert.Equal((true, 0, 6), (added, packs, runs));
        Assert.Single(await store.ReadAsync(s => s.ApiKeys(), Ct));
        Assert.Single(await store.ReadAsync(s => s.Events(0, 100), Ct), e => e.Event.EventId == 9997);
        Assert.Equal((0L, 3L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
    }

    [Fact]
    public async Task A_repeatable_unit_that_writes_nothing_answers_from_its_snapshot_without_the_lock()
    {
        (PostgresLicenseStore store, LicensingEngine engine) = await StartServerAsync();
        await using PostgresLicenseStore closing = store;
        string licenseId = (await store.WriteAsync(s => engine.Request(s, Device(1)), Ct)).License!.LicenseId;
        await store.WriteAsync(s => engine.Validate(s, licenseId), Ct);

        // Validating a validated CAL writes nothing: its answer is the snapshot's, even while another node holds the lock.
        (NpgsqlConnection holder, NpgsqlTransaction held) = await HoldDeploymentLockAsync();
        await using var holding = holder;
        await using var heldTransaction = held;
        IssuedLicense again = await store.WriteAsync(s => engine.Validate(s, licenseId), engine.ReadsOfValidate(licenseId) with { Repeatable = true }, Ct)
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(again.Validated);

        // A refusal decided ahead is thrown as it is, and leaves nothing.
        LicensingException refused = await Assert.ThrowsAsync<LicensingException>(() =>
            store.WriteAsync(s => engine.Validate(s, "NO-SUCH-CAL"), engine.ReadsOfValidate("NO-SUCH-CAL") with { Repeatable = true }, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("NO-SUCH-CAL", refused.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 0L), (store.UnitsDecidedAhead, store.UnitsDecidedAgain));
    }

    /// <summary>A store on the test's database, initialized, with its license server row, and an engine over it.</summary>
    private async Task<(PostgresLicenseStore Store, LicensingEngine Engine)> StartServerAsync()
    {
        var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        var engine = new LicensingEngine(Time, new CountingRandomness());
        await store.WriteAsync(s => engine.EnsureServer(s, "LS01", ProductVersions.Latest), Ct);
        return (store, engine);
    }

    private static CalRequest Device(int device) => CalRequest.Parse($"PC{device}", $"02000000{device:X8}" + new string('C', 24), null, "2022", null, null, null);

    private static LedgerReads Repeatable(LicensingEngine engine, CalRequest request) => engine.ReadsOf(request) with { Repeatable = true };

    private Task WaitForLockWaiterAsync() => UntilAsync(
        async token => Convert.ToInt64(await Database.ScalarAsync("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted;", token), System.Globalization.CultureInfo.InvariantCulture) > 0);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after 60 s.</summary>
    private static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (!await condition(deadline.Token))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task Text_sorts_and_compares_as_in_sqlite_whatever_the_database_collation()
    {
        await using var store = new PostgresLicenseStore(Database.ConnectionString);
        await store.InitializeAsync(Ct);
        DateTimeOffset now = Time.GetUtcNow();
        string[] names = ["b", "B", "a", "Z", "é", "_x", "10", "9"];
        await store.WriteAsync(
            s =>
            {
                foreach (string name in names)
                {
                    s.AddApiKey(new ApiKeyRecord(name, "auditor", "hash-" + name, now, null));
                }

                return true;
            },
            Ct);

        IReadOnlyList<ApiKeyRecord> keys = await store.ReadAsync(s => s.ApiKeys(), Ct);
        Assert.Equal(names.Order(StringComparer.Ordinal), keys.Select(k => k.Name));
    }

    [Fact]
    public async Task A_queued_write_that_fails_at_the_commit_fails_the_unit_and_the_connection_goes_on()
    {
        (PostgresLicenseStore store, LicensingEngine engine) = await StartServerAsync();
        await using PostgresLicenseStore closing = store;
        CalRequest request = CalRequest.Parse("PC1", "0200000000000001" + new string('C', 24), null, "2022", null, null, null);
        IssuedLicense issued = (await store.WriteAsync(s => engine.Request(s, request), engine.ReadsOf(request), Ct)).License!;

        // The duplicate INSERT is queued and meets the server together with the COMMIT: the COMMIT must not run.
        var marker = new LicensingEvent(Time.GetUtcNow(), 9998, "test", EventLevel.Information, "queued before the duplicate");
        PostgresException duplicate = await Assert.ThrowsAsync<PostgresException>(() => store.WriteAsync(
            s =>
            {
                s.AddEvent(marker);
                s.AddLicense(issued);
                return true;
            },
            Ct));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);

        // A failure the work catches and ignores still fails the unit: a transaction with a failed statement never commits.
        InvalidOperationException swallowed = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(
            s =>
            {
                s.AddEvent(marker);
                s.AddLicense(issued);
                Assert.Throws<PostgresException>(() => s.FindKeyPack("KP-NONE"));
                return true;
            },
            Ct));
        Assert.Contains("cannot commit", swallowed.Message, StringComparison.Ordinal);

        // Every pooled connection went back clean: many units after it commit.
        for (int device = 2; device <= 12; device++)
        {
            CalRequest next = CalRequest.Parse($"PC{device}", $"02000000{device:X8}" + new string('C', 24), null, "2022", null, null, null);
            Assert.Equal(LicenseOutcome.IssuedTemporary, (await store.WriteAsync(s => engine.Request(s, next), engine.ReadsOf(next), Ct)).Outcome);
        }

        Assert.DoesNotContain(await store.ReadAsync(s => s.Events(0, 100), Ct), e => e.Event.EventId == 9998);
        Assert.Equal(12, (await store.ReadAsync(s => s.QueryLicenses(new LicenseQuery()), Ct)).Total);
    }

    [Fact]
    public void The_store_is_created_by_name_and_needs_a_connection_string()
    {
        Assert.Throws<ArgumentException>(() => LicenseStores.Create("postgres", Path.GetTempPath(), null));
        Assert.Throws<ArgumentException>(() => LicenseStores.Create("postgres", Path.GetTempPath(), "Host=127.0.0.1;Nonsense Key=1"));
    }

    [Fact]
    public async Task The_store_by_name_is_postgres()
    {
        await using ILicenseStore store = LicenseStores.Create("Postgres", Path.GetTempPath(), Database.ConnectionString);
        Assert.Equal("postgres", store.Kind);
        await store.InitializeAsync(Ct);
        Assert.Null(await store.ReadAsync(s => s.FindServer(), Ct));
    }
}
