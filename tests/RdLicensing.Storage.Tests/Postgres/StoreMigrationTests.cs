using RdLicensing.Domain;
using RdLicensing.Storage.Migration;
using RdLicensing.Storage.Postgres;

namespace RdLicensing.Storage.Tests.Postgres;

/// <summary>
/// <see cref="StoreMigrator"/> from SQLite to PostgreSQL (and back): a 100,000-CAL store generated through the store API
/// arrives with equal counts and equal rows; a non-empty target is refused; the verification notices a changed row.
/// </summary>
public sealed class StoreMigrationTests : IAsyncDisposable
{
    private static readonly DateTimeOffset s_start = new DateTimeOffset(2026, 2, 1, 8, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private readonly string _directory = Directory.CreateTempSubdirectory("rdlic-migrate-").FullName;
    private readonly List<PostgresTestDatabase> _databases = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_100000_cal_sqlite_store_migrates_to_postgres_with_equal_counts_and_rows()
    {
        StoreLocation sqlite = StoreLocation.Sqlite(Path.Combine(_directory, "big.db"));
        int cals = await FillAsync(sqlite, perDevice: 90_000, revoked: 5_000, perUser: 5_000);
        Assert.Equal(100_000, cals);
        PostgresTestDatabase database = NewDatabase();
        StoreLocation postgres = StoreLocation.Postgres(database.ConnectionString);
        var reports = new List<StoreMigrationProgress>();

        StoreMigrationReport report = await StoreMigrator.MigrateAsync(sqlite, postgres, new SyncProgress(reports.Add), Ct);

        Assert.True(report.Verified, string.Join("; ", report.Tables.Where(t => !t.Equal).Select(t => t.FirstDifference)));
        Assert.Equal(100_000, report.Tables.Single(t => t.Table == "licenses").TargetRows);
        Assert.All(report.Tables, t => Assert.Equal((t.SourceRows, 0L), (t.TargetRows, t.DifferentRows)));
        Assert.Equal(
            [("KP-DEVICE", 90_000, 90_000), ("KP-USER", 5_000, 5_000)],
            report.TargetKeyPacks.Select(k => (k.KeyPackId, k.Issued, k.ActiveRows)));
        Assert.Contains(reports, r => r is { Phase: StoreMigrationPhase.Copy, Table: "licenses", Done: 100_000, Total: 100_000 });
        Assert.Contains(reports, r => r is { Phase: StoreMigrationPhase.Verify, Table: "licenses", Done: 100_000 });

        // Independently of the migrator: the same domain objects through the store API on both sides.
        await using ILicenseStore left = sqlite.Open();
        await using ILicenseStore right = postgres.Open();
        Assert.Equal(await SnapshotAsync(left), await SnapshotAsync(right));

        // The copy continues where the source stopped: key pack numbers and event sequences.
        Assert.Equal(3L, await right.WriteAsync(s => s.NextKeyPackNumber(), Ct));
        long lastEvent = (await left.ReadAsync(s => s.Events(0, int.MaxValue), Ct))[^1].Sequence;
        await right.WriteAsync(
            s =>
            {
                s.AddEvent(new LicensingEvent(s_start, 1, "test", EventLevel.Information, "after the migration"));
                return true;
            },
            Ct);
        Assert.Equal(lastEvent + 1, Assert.Single(await right.ReadAsync(s => s.Events(lastEvent, 10), Ct)).Sequence);
    }

    [Fact]
    public async Task A_postgres_store_migrates_back_to_sqlite()
    {
        StoreLocation first = StoreLocation.Sqlite(Path.Combine(_directory, "first.db"));
        await FillAsync(first, perDevice: 300, revoked: 20, perUser: 50);
        StoreLocation postgres = StoreLocation.Postgres(NewDatabase().ConnectionString);
        Assert.True((await StoreMigrator.MigrateAsync(first, postgres, null, Ct)).Verified);
        StoreLocation back = StoreLocation.Sqlite(Path.Combine(_directory, "back.db"));

        StoreMigrationReport report = await StoreMigrator.MigrateAsync(postgres, back, null, Ct);

        Assert.True(report.Verified);
        await using ILicenseStore original = first.Open();
        await using ILicenseStore returned = back.Open();
        Assert.Equal(await SnapshotAsync(original), await SnapshotAsync(returned));
    }

    [Fact]
    public async Task A_target_that_is_not_empty_is_refused_and_left_as_it_was()
    {
        StoreLocation sqlite = StoreLocation.Sqlite(Path.Combine(_directory, "small.db"));
        await FillAsync(sqlite, perDevice: 10, revoked: 0, perUser: 0);
        StoreLocation postgres = StoreLocation.Postgres(NewDatabase().ConnectionString);
        await using (ILicenseStore target = postgres.Open())
        {
            await target.InitializeAsync(Ct);
            await target.WriteAsync(s => s.AddApiKey(new ApiKeyRecord("already-here", "admin", "hash", s_start, null)), Ct);
        }

        StoreMigrationException refused = await Assert.ThrowsAsync<StoreMigrationException>(() => StoreMigrator.MigrateAsync(sqlite, postgres, null, Ct));

        Assert.Contains("api_keys (1)", refused.Message, StringComparison.Ordinal);
        await using ILicenseStore check = postgres.Open();
        Assert.Empty(await check.ReadAsync(s => s.KeyPacks(), Ct));
        Assert.Equal("already-here", Assert.Single(await check.ReadAsync(s => s.ApiKeys(), Ct)).Name);
    }

    [Fact]
    public async Task Verification_reports_a_changed_a_missing_and_an_extra_row()
    {
        StoreLocation sqlite = StoreLocation.Sqlite(Path.Combine(_directory, "tamper.db"));
        await FillAsync(sqlite, perDevice: 50, revoked: 0, perUser: 0);
        PostgresTestDatabase database = NewDatabase();
        StoreLocation postgres = StoreLocation.Postgres(database.ConnectionString);
        Assert.True((await StoreMigrator.MigrateAsync(sqlite, postgres, null, Ct)).Verified);

        await database.ScalarAsync("UPDATE licenses SET machine = 'TAMPERED' WHERE license_id = 'L0000000010';", Ct);
        await database.ScalarAsync("DELETE FROM api_keys WHERE name = 'host-1';", Ct);
        await database.ScalarAsync("INSERT INTO events (time, event_id, source, level, message) VALUES ('2026-01-01T00:00:00.0000000Z', 1, 'x', 'information', 'extra');", Ct);
        StoreMigrationReport report = await StoreMigrator.VerifyAsync(sqlite, postgres, null, Ct);

        Assert.False(report.Verified);
        TableVerification licenses = report.Tables.Single(t => t.Table == "licenses");
        Assert.Equal((50L, 50L, 1L), (licenses.SourceRows, licenses.TargetRows, licenses.DifferentRows));
        Assert.Equal("licenses license_id=L0000000010: machine differs", licenses.FirstDifference);
        Assert.Equal(1L, report.Tables.Single(t => t.Table == "api_keys").DifferentRows);
        Assert.EndsWith("only in the target", report.Tables.Single(t => t.Table == "events").FirstDifference, StringComparison.Ordinal);
        Assert.All(report.Tables.Where(t => t.Table is not ("licenses" or "api_keys" or "events")), t => Assert.True(t.Equal));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PostgresTestDatabase database in _databases)
        {
            await database.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private PostgresTestDatabase NewDatabase()
    {
        PostgresTestDatabase database = PostgresTestDatabase.Create();
        _databases.Add(database);
        return database;
    }

    // Fills a store through ILicenseSession: the server, two key packs whose counters match their CAL rows, per-device
    // CALs (permanent, and revoked ones that no longer count), per-user CALs, events, keys and certificates.
    private static async Task<int> FillAsync(StoreLocation location, int perDevice, int revoked, int perUser)
    {
        await using ILicenseStore store = location.Open();
        await store.InitializeAsync(Ct);
        var random = new Random(7);
        await store.WriteAsync(
            s =>
            {
                s.SaveServer(LicenseServer.Restore(
                    LicenseServerId.Parse("ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z0123-45678"), "LS-München", ProductVersions.V2025, ActivationState.Activated,
                    ActivationMethod.Automatic, s_start, null, Contact.Create("Zoë", "Ångström", "Ünïcode Ltd", "DE", "zoe@example.org", city: "Köln"),
                    DiscoveryScope.Domain, true, "AB12CD34"));
                s.AddKeyPack(KeyPack.Restore("KP-DEVICE", KeyPackCode.Parse(LicenseProgram.Retail, "ABCDE-12345-FGHIJ-67890-KLMNO"), ProductVersions.V2022, CalType.PerDevice, 100_000, perDevice, s_start, null));
                s.AddKeyPack(KeyPack.Restore("KP-USER", KeyPackCode.Parse(LicenseProgram.Select, "1234567"), ProductVersions.V2019, CalType.PerUser, Math.Max(perUser, 1), perUser, s_start.AddDays(1), s_start.AddYears(3)));
                s.NextKeyPackNumber();
                s.NextKeyPackNumber();
                for (int i = 0; i < 3; i++)
                {
                    s.AddApiKey(new ApiKeyRecord($"host-{i}", "host", $"hash-{i}", s_start.AddMinutes(i), i == 0 ? null : s_start.AddHours(i)));
                }

                s.SaveCertificate(new StoredCertificate("deployment-ca", Bytes(random, 1500), "CA01", s_start));
                s.SaveCertificate(new StoredCertificate("license-server:AB12CD34", Bytes(random, 1700), "AB12CD34", s_start.AddSeconds(1)));
                return true;
            },
            Ct);

        int total = perDevice + revoked + perUser;
        const int Batch = 10_000;
        for (int from = 0; from < total; from += Batch)
        {
            int first = from;
            await store.WriteAsync(
                s =>
                {
                    for (int n = first; n < Math.Min(first + Batch, total); n++)
                    {
                        s.AddLicense(License(n, perDevice, revoked));
                        if (n % 100 == 0)
                        {
                            s.AddEvent(new LicensingEvent(s_start.AddSeconds(n), 4105, "TermServLicensing", n % 300 == 0 ? EventLevel.Warning : EventLevel.Information, $"cal L{n:D10} für PC-{n}", $"L{n:D10}", "KP-DEVICE", "RDSH-ü"));
                        }
                    }

                    return true;
                },
                Ct);
        }

        return total;
    }

    private static IssuedLicense License(int n, int perDevice, int revoked)
    {
        DateTimeOffset issued = s_start.AddSeconds(n).AddTicks(n % 10);
        string id = $"L{n:D10}";
        string hwid = $"02000000{n:X8}{new string('E', 24)}";
        if (n < perDevice)
        {
            return IssuedLicense.Restore(id, "KP-DEVICE", CalType.PerDevice, LicenseStatus.Permanent, false, ProductVersions.V2022,
                n % 7 == 0 ? null : $"PC-{n}-é", n % 3 == 0 ? null : $"user{n}", HardwareId.Parse(hwid), issued, issued.AddDays(60), true, null, "RDSH-01");
        }

        if (n < perDevice + revoked)
        {
            return IssuedLicense.Restore(id, "KP-DEVICE", CalType.PerDevice, LicenseStatus.Revoked, false, ProductVersions.V2022,
                $"PC-{n}", null, HardwareId.Parse(hwid), issued, issued.AddDays(60), true, issued.AddDays(3), null);
        }

        return IssuedLicense.Restore(id, "KP-USER", CalType.PerUser, LicenseStatus.Permanent, false, ProductVersions.V2019,
            null, $"DOMAIN\\User{n}", null, issued, issued.AddDays(60), true, null, "RDSH-02");
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // Everything the store API shows, as text: equal snapshots mean equal domain objects on both sides.
    private static Task<string> SnapshotAsync(ILicenseStore store) => store.ReadAsync(
        s =>
        {
            var text = new System.Text.StringBuilder();
            LicenseServer server = s.FindServer()!;
            text.AppendLine($"{server.ServerId}|{server.Name}|{server.Version}|{server.ActivationState}|{server.ActivationMethod}|{server.ActivatedOn:O}|{server.DeactivatedOn:O}|{server.Contact}|{server.DiscoveryScope}|{server.PreventLicenseUpgrade}|{server.CertificateThumbprint}");
            foreach (KeyPack k in s.KeyPacks())
            {
                text.AppendLine($"{k.KeyPackId}|{k.Code}|{k.Version}|{k.Type}|{k.Total}|{k.Issued}|{k.InstalledOn:O}|{k.ExpiresOn:O}");
            }

            LicensePage page = s.QueryLicenses(new LicenseQuery(Take: int.MaxValue));
            text.AppendLine($"licenses {page.Total} {page.Items.Count}");
            foreach (IssuedLicense l in page.Items)
            {
                text.AppendLine($"{l.LicenseId}|{l.KeyPackId}|{l.Type}|{l.Status}|{l.Temporary}|{l.Version}|{l.Machine}|{l.User}|{l.Hwid}|{l.IssuedOn:O}|{l.ExpiresOn:O}|{l.Validated}|{l.RevokedOn:O}|{l.IssuedToHost}");
            }

            foreach (StoredEvent e in s.Events(0, int.MaxValue))
            {
                text.AppendLine($"{e.Sequence}|{e.Event}");
            }

            foreach (ApiKeyRecord k in s.ApiKeys())
            {
                text.AppendLine(k.ToString());
            }

            foreach (StoredCertificate c in s.Certificates())
            {
                text.AppendLine($"{c.Name}|{Convert.ToHexString(c.Pkcs12)}|{c.Thumbprint}|{c.CreatedOn:O}");
            }

            foreach (KeyPackConsistency c in s.CheckConsistency())
            {
                text.AppendLine(c.ToString());
            }

            return text.ToString();
        },
        Ct);

    private sealed class SyncProgress(Action<StoreMigrationProgress> report) : IProgress<StoreMigrationProgress>
    {
        public void Report(StoreMigrationProgress value) => report(value);
    }
}
