using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using RdLicensing.Domain;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Postgres;

/// <summary>
/// One open PostgreSQL transaction seen as an <see cref="ILicenseSession"/>. Plain SQL over Npgsql (no ORM on the
/// issuance path); values are spelled as in the SQLite store (<see cref="SqliteText"/>) so both stores hold equal rows.
/// Calls are synchronous, as the ledger contract requires: the store does the awaiting around the unit of work.
/// <para>
/// A write unit runs under the deployment lock, where every round trip to the server is time no other unit of any node
/// can use. So a write unit's session makes as few as it can (decision 0104):
/// <list type="bullet">
/// <item>Its first round trip is BEGIN, the lock, and the reads the work said it would make first
/// (<see cref="LedgerReads"/>); the statements after the lock see every unit committed before this one held it.</item>
/// <item>Writes whose outcome the work does not need are queued and sent ahead of the next statement that must answer —
/// a read, a write whose row count is returned, or the COMMIT — in the same round trip. A write that must change exactly
/// one row fails on the server when it changes none, so the batch stops before the COMMIT.</item>
/// <item>The rows of the server, of a device's, a user's or one CAL, and of the expired-CAL sweep are kept for the unit
/// and served again (as fresh objects) until the unit writes to their table. Nothing else writes while the lock is held,
/// so a kept row is the row the server would return.</item>
/// </list>
/// A unit whose work may run twice (<see cref="LedgerReads.Repeatable"/>) is first decided ahead of the lock
/// (<see cref="DecideAheadAsync"/>, decision 0106): its reads are made without the lock, each in a REPEATABLE READ snapshot
/// together with a digest of its rows, and its writes are queued; then one round trip takes the lock, checks that every
/// read still gives the same digest, sends the writes and commits. A read that changed stops the batch before the writes
/// (the unit is then run again under the lock, as above), so the commit is of a decision made on the rows as they are
/// while the lock is held — and the lock is held only for PostgreSQL's own work, never across a round trip to this process.
/// A read unit (REPEATABLE READ, rolled back) runs each statement when asked.
/// </para>
/// </summary>
internal sealed class PostgresLicenseSession : ILicenseSession
{
    /// <summary>
    /// How far past the instant it names an expired-CAL read made ahead looks: the work asks for the sweep a little later
    /// (after the lock was granted), and rows read up to a later instant answer any earlier one once filtered.
    /// </summary>
    internal static readonly TimeSpan ExpiryLookahead = TimeSpan.FromSeconds(5);

    private const string ServerSql = $"SELECT {LedgerRows.ServerColumns} FROM server WHERE id = 1;";

    private const string ActiveStatuses = "('temporary', 'permanent')";

    /// <summary>
    /// PostgreSQL's division_by_zero: what a checked write (<see cref="Defer"/>) raises when it changed no row, and what a
    /// read decided ahead of the lock raises under it when its rows changed (told apart by the statement that failed).
    /// </summary>
    private const string NoRowChanged = "22012";

    /// <summary>
    /// The rows of a read <c>q</c> as one text — each row as PostgreSQL spells a record, in the read's own order, one per
    /// line — hashed (SHA-256, hex). Made ahead of the lock as a window over the rows (<see cref="DigestBesideRows"/>), so
    /// the read runs once; checked under the lock as an aggregate. The read's ORDER BY fixes the order; should two plans
    /// ever order tied rows differently, the digests differ and the unit is merely decided again, never wrongly kept.
    /// </summary>
    private const string DigestOfRows = "encode(sha256(convert_to(coalesce(string_agg(q::text, chr(10)), ''), 'UTF8')), 'hex')";

    /// <summary><see cref="DigestOfRows"/> as a last column beside every row of the read.</summary>
    private const string DigestBesideRows = "encode(sha256(convert_to(string_agg(q::text, chr(10)) OVER (), 'UTF8')), 'hex')";

    /// <summary><see cref="DigestOfRows"/> of a read that gave no rows: SHA-256 of the empty text.</summary>
    private static readonly string NoRowsDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([]));

    /// <summary>
    /// A write unit's plan settings, for its transaction only (decisions 0104, 0106): generic plans made once per
    /// connection, index scans whenever there is an index, no JIT (see <see cref="PostgresLicenseStore"/>'s lock statement).
    /// </summary>
    internal const string UnitPlanSettings =
        "set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)";

    /// <summary>The snapshot a read ahead of the lock is made in.</summary>
    private const string BeginReadAheadSql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;";

    /// <summary>Reads made ahead of the lock are the unit's own: planned as under it.</summary>
    private const string PlanOnceSql = "SELECT " + UnitPlanSettings + ";";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly bool _deferWrites;
    private readonly List<PendingWrite> _pending = [];
    private readonly Dictionary<string, KeptRows> _kept = new(StringComparer.Ordinal);
    private readonly List<string> _sentChecks = [];
    private readonly bool _ahead;
    private readonly List<ReadAhead> _readsAhead = [];
    private bool _failed;
    private bool _readLater;
    private string? _needsLock;

    private PostgresLicenseSession(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool deferWrites, bool ahead = false)
    {
        _connection = connection;
        _transaction = transaction;
        _deferWrites = deferWrites;
        _ahead = ahead;
    }

    /// <summary>
    /// Set when a unit decided ahead of the lock did something only a unit holding the lock may do (a read after its own
    /// writes, a write whose answer it needs, a statement that failed): its decision is void and it must run under the lock.
    /// Null while the decision stands.
    /// </summary>
    public string? NeedsLock => _needsLock;

    /// <summary>A unit decided ahead whose every read came from the one snapshot made before the work ran.</summary>
    public bool OneSnapshot => _ahead && !_readLater;

    /// <summary>A unit decided ahead that wrote nothing and read one snapshot: its answer stands without the lock.</summary>
    public bool ReadOnlyAhead => OneSnapshot && _pending.Count == 0;

    private enum Table
    {
        Server,
        Licenses,
    }

    /// <summary>A session over a read unit's transaction: every statement runs when asked.</summary>
    public static PostgresLicenseSession ForRead(NpgsqlConnection connection, NpgsqlTransaction transaction) => new(connection, transaction, deferWrites: false);

    /// <summary>
    /// Opens a write unit on <paramref name="connection"/>: BEGIN, <paramref name="lockCommand"/> (the deployment lock) and
    /// the reads named in <paramref name="reads"/>, in one round trip. Cancellation is honoured while this waits for the lock.
    /// </summary>
    public static async Task<PostgresLicenseSession> BeginWriteAsync(NpgsqlConnection connection, NpgsqlBatchCommand lockCommand, LedgerReads? reads, CancellationToken cancellationToken)
    {
        var session = new PostgresLicenseSession(connection, null, deferWrites: true);
        List<(KeptRead Read, DateTimeOffset? Bound)> ahead = Named(reads);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED;"));
        batch.BatchCommands.Add(lockCommand);
        foreach ((KeptRead read, _) in ahead)
        {
            batch.BatchCommands.Add(read.Statement.Command());
        }

        await using DbDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // the lock's own row
        }

        foreach ((KeptRead read, DateTimeOffset? bound) in ahead)
        {
            if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"the server answered fewer result sets than the unit's reads ahead ({read.Key}): this is a bug");
            }

            session._kept[read.Key] = new KeptRows(read.Table, bound, BufferedRows.Fetch(reader));
        }

        return session;
    }

    /// <summary>
    /// Opens a unit to be decided ahead of the lock (decision 0106): the reads named in <paramref name="reads"/>, each with
    /// the digest of its rows, in one REPEATABLE READ snapshot, in one round trip, without the lock. The work's later reads
    /// are made the same way, one snapshot each; its writes are queued for <see cref="PrepareCommitAhead"/>.
    /// </summary>
    public static async Task<PostgresLicenseSession> DecideAheadAsync(NpgsqlConnection connection, LedgerReads reads, CancellationToken cancellationToken)
    {
        var session = new PostgresLicenseSession(connection, null, deferWrites: true, ahead: true);
        List<(KeptRead Read, DateTimeOffset? Bound)> named = Named(reads);
        List<List<object[]>> rows = await session.ReadAheadAsync([.. named.Select(n => n.Read.Statement)], sync: false, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < named.Count; i++)
        {
            session._kept[named[i].Read.Key] = new KeptRows(named[i].Read.Table, named[i].Bound, rows[i]);
        }

        return session;
    }

    /// <summary>
    /// The statements that commit a unit decided ahead (decision 0106): BEGIN, <paramref name="lockCommand"/>, a check per
    /// read that its rows are unchanged, the queued writes, COMMIT. They are sent with other units' in one round trip
    /// (<see cref="AheadCommitter"/>); a check that fails stops the batch before any write of the unit.
    /// </summary>
    public AheadCommit PrepareCommitAhead(NpgsqlBatchCommand lockCommand)
    {
        if (!_ahead || _needsLock is not null || _failed)
        {
            throw new InvalidOperationException("only a unit decided ahead whose decision stands commits ahead: this is a bug");
        }

        var commands = new List<NpgsqlBatchCommand> { new("BEGIN ISOLATION LEVEL READ COMMITTED;"), lockCommand };
        var checks = new HashSet<NpgsqlBatchCommand>();
        foreach (ReadAhead read in _readsAhead)
        {
            NpgsqlBatchCommand check = Command(
                $"SELECT 1 / (CASE WHEN (SELECT {DigestOfRows} FROM ({Bare(read.Statement.Sql)}) q) = @digest_ahead THEN 1 ELSE 0 END);",
                p =>
                {
                    read.Statement.Bind?.Invoke(p);
                    Text(p, "digest_ahead", read.Digest);
                });
            checks.Add(check);
            commands.Add(check);
        }

        commands.AddRange(TakePendingCommands());
        commands.Add(new NpgsqlBatchCommand("COMMIT;"));
        return new AheadCommit(commands, Failure);

        Exception? Failure(PostgresException failure) => failure.SqlState != NoRowChanged
            ? failure
            : checks.Contains(failure.BatchCommand!) ? null : NoRow(failure);
    }

    /// <summary>The reads named ahead, each as the session keeps it; an expiry read covers <see cref="ExpiryLookahead"/> more.</summary>
    private static List<(KeptRead Read, DateTimeOffset? Bound)> Named(LedgerReads? reads)
    {
        var named = new List<(KeptRead Read, DateTimeOffset? Bound)>();
        if (reads is null)
        {
            return named;
        }

        if (reads.Server)
        {
            named.Add((KeptRead.Server, null));
        }

        if (reads.ExpiredAt is { } at)
        {
            DateTimeOffset bound = at + ExpiryLookahead;
            named.Add((KeptRead.Expired(bound), bound));
        }

        if (reads.Device is { } hwid)
        {
            named.Add((KeptRead.Device(hwid), null));
        }

        if (reads.User is { } user)
        {
            named.Add((KeptRead.User(user), null));
        }

        if (reads.LicenseId is { } licenseId)
        {
            named.Add((KeptRead.License(licenseId), null));
        }

        return named;
    }

    /// <summary>
    /// Makes <paramref name="reads"/> without the lock, in one REPEATABLE READ snapshot (one round trip), each with the
    /// digest of its rows beside them, which <see cref="PrepareCommitAhead"/> checks again under the lock. A read after this unit's own
    /// writes would not see them: the unit must then be decided under the lock.
    /// </summary>
    private async ValueTask<List<List<object[]>>> ReadAheadAsync(IReadOnlyList<Statement> reads, bool sync, CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            throw Void("it reads after writing");
        }

        // Made synchronously when the work asks (sync: no await below ever waits, so the caller's thread blocks in the
        // socket rather than on a thread-pool continuation), asynchronously for the reads named ahead.
        using var batch = new NpgsqlBatch(_connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BeginReadAheadSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PlanOnceSql));
        foreach (Statement read in reads)
        {
            batch.BatchCommands.Add(Command($"SELECT q.*, {DigestBesideRows} FROM ({Bare(read.Sql)}) q;", read.Bind));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
        var results = new List<List<object[]>>(reads.Count);
        try
        {
            using NpgsqlDataReader reader = sync ? batch.ExecuteReader() : await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

            // The plan settings' own row first, then each read's rows, each with the digest of them all last.
            foreach (Statement read in reads)
            {
                List<object[]> withDigest = await NextAsync(reader).ConfigureAwait(false);
                string digest = withDigest.Count == 0 ? NoRowsDigest : (string)withDigest[0][^1];
                _readsAhead.Add(new ReadAhead(read, digest));
                results.Add([.. withDigest.Select(row => row[..^1])]);
            }

            // The COMMIT's answer: read here (synchronously when sync) rather than by the reader's disposal.
            while (sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or InvalidCastException)
        {
            // Decided ahead, a failed read voids the decision only: the unit runs again under the lock, where it fails or
            // not. The snapshot's transaction is ended first, so the connection goes back to the pool clean.
            await RollbackAsync(_connection, sync).ConfigureAwait(false);
            throw Void($"a read failed ({exception.Message})", exception);
        }

        return results;

        async ValueTask<List<object[]>> NextAsync(NpgsqlDataReader reader)
        {
            bool next = sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            return next ? BufferedRows.Fetch(reader) : throw new InvalidOperationException("the server answered fewer result sets than the reads ahead: this is a bug");
        }
    }

    /// <summary>
    /// Ends a failed unit's transaction (open or aborted) so the connection goes back to the pool clean; when the
    /// connection itself broke, Npgsql discards it and there is nothing to end. <paramref name="sync"/>: without awaiting.
    /// </summary>
    internal static async ValueTask RollbackAsync(NpgsqlConnection connection, bool sync)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var rollback = new NpgsqlCommand("ROLLBACK;", connection);
            _ = sync ? rollback.ExecuteNonQuery() : await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection broke: PostgreSQL ends the transaction (and any lock) with the session.
        }
    }

    /// <summary>Voids a decision made ahead of the lock: the work is told by an exception, the store by <see cref="NeedsLock"/>.</summary>
    private DecideUnderLock Void(string why, Exception? inner = null)
    {
        _needsLock ??= why;
        return new DecideUnderLock(why, inner);
    }

    /// <summary>Sends the queued writes and the COMMIT in one round trip; returns when the commit is durable.</summary>
    public async Task CommitAsync()
    {
        if (_failed)
        {
            throw new InvalidOperationException("a statement of this write unit failed, so it cannot commit: it is rolled back");
        }

        await using NpgsqlBatch batch = TakePending();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
        try
        {
            await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState == NoRowChanged)
        {
            throw NoRow(exception);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public LicenseServer? FindServer() => Kept(KeptRead.Server, LedgerRows.Server).FirstOrDefault();

    public void SaveServer(LicenseServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Defer(
            Table.Server,
            null,
            LedgerRows.SaveServerSql,
            p =>
            {
                foreach ((string name, string? value) in LedgerRows.ServerTexts(server))
                {
                    Text(p, name, value);
                }

                Bool(p, "prevent", server.PreventLicenseUpgrade);
            });
    }

    public IReadOnlyList<KeyPack> KeyPacks() =>
        Query($"SELECT {LedgerRows.KeyPackColumns} FROM key_packs ORDER BY installed_on, key_pack_id;", null, LedgerRows.KeyPack);

    public KeyPack? FindKeyPack(string keyPackId) =>
        Query($"SELECT {LedgerRows.KeyPackColumns} FROM key_packs WHERE key_pack_id = @id;", p => Text(p, "id", keyPackId), LedgerRows.KeyPack).FirstOrDefault();

    public long NextKeyPackNumber() =>
        _ahead
            ? throw Void("it takes a key pack number")
            : Query("UPDATE counters SET value = value + 1 WHERE name = 'key_pack' RETURNING value;", null, r => r.GetInt64(0)).Single();

    public void AddKeyPack(KeyPack keyPack)
    {
        ArgumentNullException.ThrowIfNull(keyPack);
        Defer(
            null,
            null,
            $"INSERT INTO key_packs ({LedgerRows.KeyPackColumns}) VALUES (@id, @program, @code, @version, @type, @total, @issued, @installed_on, @expires_on);",
            p =>
            {
                Text(p, "id", keyPack.KeyPackId);
                Text(p, "program", WireNames.Of(keyPack.Program));
                Text(p, "code", keyPack.Code.Value);
                Text(p, "version", keyPack.Version.Key);
                Text(p, "type", WireNames.Of(keyPack.Type));
                Int(p, "total", keyPack.Total);
                Int(p, "issued", keyPack.Issued);
                Text(p, "installed_on", SqliteText.Time(keyPack.InstalledOn));
                Text(p, "expires_on", TimeText(keyPack.ExpiresOn));
            });
    }

    public void UpdateKeyPack(KeyPack keyPack)
    {
        ArgumentNullException.ThrowIfNull(keyPack);
        Defer(
            null,
            $"key pack {keyPack.KeyPackId}",
            "UPDATE key_packs SET issued = @issued WHERE key_pack_id = @id",
            p =>
            {
                Text(p, "id", keyPack.KeyPackId);
                Int(p, "issued", keyPack.Issued);
            });
    }

    public void RemoveKeyPack(string keyPackId) =>
        Defer(null, null, "DELETE FROM key_packs WHERE key_pack_id = @id;", p => Text(p, "id", keyPackId));

    public IssuedLicense? FindLicense(string licenseId)
    {
        ArgumentNullException.ThrowIfNull(licenseId);
        return Kept(KeptRead.License(licenseId), LedgerRows.License).FirstOrDefault();
    }

    public IReadOnlyList<IssuedLicense> DeviceLicenses(HardwareId hwid)
    {
        ArgumentNullException.ThrowIfNull(hwid);
        return Kept(KeptRead.Device(hwid), LedgerRows.License);
    }

    public IReadOnlyList<IssuedLicense> UserLicenses(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Kept(KeptRead.User(user), LedgerRows.License);
    }

    public IReadOnlyList<IssuedLicense> LicensesExpiredAt(DateTimeOffset now)
    {
        // Rows kept for a later instant answer this one once filtered (the SQL compares the same fixed-width UTC text).
        KeptRead read = KeptRead.Expired(now);
        if (_kept.TryGetValue(read.Key, out KeptRows? kept) && kept.Bound >= now)
        {
            return Materialize(kept.Rows, LedgerRows.License).Where(l => l.ExpiresOn <= now).ToList();
        }

        List<object[]> rows = Fetch(read.Statement);
        _kept[read.Key] = new KeptRows(read.Table, now, rows);
        return Materialize(rows, LedgerRows.License);
    }

    public IReadOnlyList<IssuedLicense> RevokedLicensesCounting(ProductVersion version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Query(
            $"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE status = 'revoked' AND cal_type = 'per-device' AND version = @version AND expires_on > @now ORDER BY expires_on;",
            p =>
            {
                Text(p, "version", version.Key);
                Text(p, "now", SqliteText.Time(now));
            },
            LedgerRows.License);
    }

    public void AddLicense(IssuedLicense license) =>
        Defer(
            Table.Licenses,
            null,
            $"INSERT INTO licenses ({LedgerRows.LicenseColumns}, user_key) VALUES (@id, @key_pack_id, @type, @status, @temporary, @version, @machine, @user, @hwid, @issued_on, @expires_on, @validated, @revoked_on, @host, @user_key);",
            p => BindLicense(p, license));

    public void UpdateLicense(IssuedLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        Defer(
            Table.Licenses,
            $"license {license.LicenseId}",
            """
            UPDATE licenses SET key_pack_id = @key_pack_id, cal_type = @type, status = @status, temporary = @temporary,
                version = @version, machine = @machine, user_name = @user, hwid = @hwid, issued_on = @issued_on,
                expires_on = @expires_on, validated = @validated, revoked_on = @revoked_on, issued_to_host = @host, user_key = @user_key
            WHERE license_id = @id
            """,
            p => BindLicense(p, license));
    }

    public void AddEvent(LicensingEvent licensingEvent)
    {
        ArgumentNullException.ThrowIfNull(licensingEvent);
        Defer(
            null,
            null,
            "INSERT INTO events (time, event_id, source, level, message, license_id, key_pack_id, host) VALUES (@time, @event_id, @source, @level, @message, @license_id, @key_pack_id, @host);",
            p =>
            {
                Text(p, "time", SqliteText.Time(licensingEvent.Time));
                Int(p, "event_id", licensingEvent.EventId);
                Text(p, "source", licensingEvent.Source);
                Text(p, "level", WireNames.Of(licensingEvent.Level));
                Text(p, "message", licensingEvent.Message);
                Text(p, "license_id", licensingEvent.LicenseId);
                Text(p, "key_pack_id", licensingEvent.KeyPackId);
                Text(p, "host", licensingEvent.Host);
            });
    }

    public LicensePage QueryLicenses(LicenseQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        LicenseFilter filter = LicenseFilter.Of(query, likeSuffix: " ESCAPE ''");
        void Bind(NpgsqlParameterCollection p)
        {
            foreach ((string name, string value) in filter.Parameters)
            {
                Text(p, name, value);
            }
        }

        int total = Query($"SELECT COUNT(*) FROM licenses {filter.Where};", Bind, r => (int)r.GetInt64(0)).Single();
        IReadOnlyList<IssuedLicense> items = Query(
            $"SELECT {LedgerRows.LicenseColumns} FROM licenses {filter.Where} ORDER BY issued_on DESC, license_id LIMIT @take OFFSET @skip;",
            p =>
            {
                Bind(p);
                Int(p, "take", query.Take);
                Int(p, "skip", query.Skip);
            },
            LedgerRows.License);
        return new LicensePage(items, total);
    }

    public IReadOnlyList<StoredEvent> Events(long after, int take) =>
        Query(
            $"SELECT {LedgerRows.EventColumns} FROM events WHERE sequence > @after ORDER BY sequence LIMIT @take;",
            p =>
            {
                p.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = after });
                Int(p, "take", take);
            },
            LedgerRows.Event);

    public int CountLicensesExpiredAt(DateTimeOffset now) =>
        Query($"SELECT COUNT(*) FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now;", p => Text(p, "now", SqliteText.Time(now)), r => (int)r.GetInt64(0)).Single();

    public IReadOnlyList<KeyPackConsistency> CheckConsistency() =>
        Query(
            $"SELECT k.key_pack_id, k.cal_type, k.total, k.issued, (SELECT COUNT(*) FROM licenses l WHERE l.key_pack_id = k.key_pack_id AND l.status IN {ActiveStatuses}) FROM key_packs k ORDER BY k.key_pack_id;",
            null,
            r => new KeyPackConsistency(r.GetString(0), SqliteText.Enum<CalType>(r.GetString(1)), r.GetInt32(2), r.GetInt32(3), (int)r.GetInt64(4)));

    public IReadOnlyList<ApiKeyRecord> ApiKeys() =>
        Query($"SELECT {LedgerRows.ApiKeyColumns} FROM api_keys ORDER BY name;", null, LedgerRows.ApiKey);

    public ApiKeyRecord? FindApiKeyByHash(string keyHash) =>
        Query($"SELECT {LedgerRows.ApiKeyColumns} FROM api_keys WHERE key_hash = @hash;", p => Text(p, "hash", keyHash), LedgerRows.ApiKey).FirstOrDefault();

    public bool AddApiKey(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteNow(
            "INSERT INTO api_keys (name, role, key_hash, created_on, last_seen_on) VALUES (@name, @role, @hash, @created_on, @last_seen_on) ON CONFLICT (name) DO NOTHING;",
            p =>
            {
                Text(p, "name", key.Name);
                Text(p, "role", key.Role);
                Text(p, "hash", key.KeyHash);
                Text(p, "created_on", SqliteText.Time(key.CreatedOn));
                Text(p, "last_seen_on", TimeText(key.LastSeenOn));
            }) == 1;
    }

    public bool RemoveApiKey(string name) =>
        ExecuteNow("DELETE FROM api_keys WHERE name = @name;", p => Text(p, "name", name)) == 1;

    public void TouchApiKey(string name, DateTimeOffset seenOn) =>
        Defer(null, null, "UPDATE api_keys SET last_seen_on = @seen WHERE name = @name;", p =>
        {
            Text(p, "name", name);
            Text(p, "seen", SqliteText.Time(seenOn));
        });

    public StoredCertificate? FindCertificate(string name) =>
        Query($"SELECT {LedgerRows.CertificateColumns} FROM certificates WHERE name = @name;", p => Text(p, "name", name), LedgerRows.Certificate).FirstOrDefault();

    public IReadOnlyList<StoredCertificate> Certificates() =>
        Query($"SELECT {LedgerRows.CertificateColumns} FROM certificates ORDER BY created_on, name;", null, LedgerRows.Certificate);

    public bool AddCertificateIfAbsent(StoredCertificate certificate) =>
        ExecuteNow(
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO NOTHING;",
            p => BindCertificate(p, certificate)) == 1;

    public void SaveCertificate(StoredCertificate certificate) =>
        Defer(
            null,
            null,
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO UPDATE SET pkcs12 = excluded.pkcs12, thumbprint = excluded.thumbprint, created_on = excluded.created_on;",
            p => BindCertificate(p, certificate));

    private static string? TimeText(DateTimeOffset? time) => time is { } t ? SqliteText.Time(t) : null;

    private static void Text(NpgsqlParameterCollection p, string name, string? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value is null ? DBNull.Value : value });

    private static void Int(NpgsqlParameterCollection p, string name, int value) =>
        p.Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });

    private static void Bool(NpgsqlParameterCollection p, string name, bool value) =>
        p.Add(new NpgsqlParameter<bool>(name, NpgsqlDbType.Boolean) { TypedValue = value });

    private static void BindCertificate(NpgsqlParameterCollection p, StoredCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Text(p, "name", certificate.Name);
        p.Add(new NpgsqlParameter<byte[]>("pkcs12", NpgsqlDbType.Bytea) { TypedValue = certificate.Pkcs12 });
        Text(p, "thumbprint", certificate.Thumbprint);
        Text(p, "created_on", SqliteText.Time(certificate.CreatedOn));
    }

    private static void BindLicense(NpgsqlParameterCollection p, IssuedLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        Text(p, "id", license.LicenseId);
        Text(p, "key_pack_id", license.KeyPackId);
        Text(p, "type", WireNames.Of(license.Type));
        Text(p, "status", WireNames.Of(license.Status));
        Bool(p, "temporary", license.Temporary);
        Text(p, "version", license.Version.Key);
        Text(p, "machine", license.Machine);
        Text(p, "user", license.User);
        Text(p, "user_key", license.User is null ? null : LicenseFilter.UserKey(license.User));
        Text(p, "hwid", license.Hwid?.ToString());
        Text(p, "issued_on", SqliteText.Time(license.IssuedOn));
        Text(p, "expires_on", SqliteText.Time(license.ExpiresOn));
        Bool(p, "validated", license.Validated);
        Text(p, "revoked_on", TimeText(license.RevokedOn));
        Text(p, "host", license.IssuedToHost);
    }

    private static NpgsqlBatchCommand Command(string sql, Action<NpgsqlParameterCollection>? bind)
    {
        var command = new NpgsqlBatchCommand(sql);
        bind?.Invoke(command.Parameters);
        return command;
    }

    private static List<T> Materialize<T>(IReadOnlyList<object[]> rows, Func<DbDataReader, T> read)
    {
        using var reader = new BufferedRows(rows);
        var results = new List<T>(rows.Count);
        while (reader.Read())
        {
            results.Add(read(reader));
        }

        return results;
    }

    /// <summary>A kept read (fetched ahead, or earlier in this unit) as fresh objects, or the read made now and kept.</summary>
    private List<T> Kept<T>(KeptRead read, Func<DbDataReader, T> materialize)
    {
        if (!_kept.TryGetValue(read.Key, out KeptRows? kept))
        {
            kept = new KeptRows(read.Table, null, Fetch(read.Statement));
            _kept[read.Key] = kept;
        }

        return Materialize(kept.Rows, materialize);
    }

    /// <summary>
    /// Queues a write whose outcome the work does not need (in a read unit: runs it now). <paramref name="invalidates"/>:
    /// the table whose kept rows it may change. <paramref name="mustExist"/>: names the one row an UPDATE must change —
    /// the statement then fails on the server when it changes none, so nothing after it (the COMMIT) runs.
    /// </summary>
    private void Defer(Table? invalidates, string? mustExist, string sql, Action<NpgsqlParameterCollection>? bind)
    {
        if (invalidates is { } table)
        {
            foreach (string key in _kept.Where(k => k.Value.Table == table).Select(k => k.Key).ToList())
            {
                _kept.Remove(key);
            }
        }

        if (mustExist is not null)
        {
            sql = $"WITH changed AS ({sql} RETURNING 1) SELECT 1 / (SELECT count(*)::integer FROM changed);";
        }

        _pending.Add(new PendingWrite(Command(sql, bind), mustExist));
        if (!_deferWrites)
        {
            using NpgsqlBatch batch = TakePending();
            Run(batch, b => b.ExecuteNonQuery());
        }
    }

    /// <summary>Runs the queued writes and then a write whose row count the caller needs, in one round trip.</summary>
    private int ExecuteNow(string sql, Action<NpgsqlParameterCollection>? bind)
    {
        if (_ahead)
        {
            throw Void("it needs the answer of a write");
        }

        using NpgsqlBatch batch = TakePending();
        NpgsqlBatchCommand command = Command(sql, bind);
        batch.BatchCommands.Add(command);
        Run(batch, b => b.ExecuteNonQuery());
        return command.RecordsAffected;
    }

    /// <summary>
    /// Runs the queued writes and then <paramref name="query"/>, in one round trip; the query's rows. Decided ahead of the
    /// lock: the read alone, in its own snapshot, with its digest (<see cref="ReadAheadAsync"/>).
    /// </summary>
    private List<object[]> Fetch(Statement query)
    {
        if (_ahead)
        {
            _readLater = true;
            return ReadAheadAsync([query], sync: true, CancellationToken.None).GetAwaiter().GetResult()[0];
        }

        int checkedWrites = _pending.Count(w => w.MustExist is not null);
        using NpgsqlBatch batch = TakePending();
        batch.BatchCommands.Add(query.Command());
        return Run(batch, b =>
        {
            using NpgsqlDataReader reader = b.ExecuteReader();

            // Each checked write answers one row (its result set) before the query's.
            for (int i = 0; i < checkedWrites; i++)
            {
                reader.NextResult();
            }

            return BufferedRows.Fetch(reader);
        });
    }

    private List<T> Query<T>(string sql, Action<NpgsqlParameterCollection>? bind, Func<DbDataReader, T> read)
    {
        if (_pending.Count > 0 || _ahead)
        {
            return Materialize(Fetch(new Statement(sql, bind)), read);
        }

        using var command = new NpgsqlCommand(sql, _connection, _transaction);
        bind?.Invoke(command.Parameters);
        return Run(command, c =>
        {
            using NpgsqlDataReader reader = c.ExecuteReader();
            var results = new List<T>();
            while (reader.Read())
            {
                results.Add(read(reader));
            }

            return results;
        });
    }

    /// <summary>A batch holding the queued writes (which leave the queue).</summary>
    private NpgsqlBatch TakePending()
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        foreach (NpgsqlBatchCommand command in TakePendingCommands())
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>The queued writes, in order, taken off the queue; the rows they must change become the ones a failure names.</summary>
    private List<NpgsqlBatchCommand> TakePendingCommands()
    {
        _sentChecks.Clear();
        var commands = new List<NpgsqlBatchCommand>(_pending.Count);
        foreach (PendingWrite write in _pending)
        {
            commands.Add(write.Command);
            if (write.MustExist is { } row)
            {
                _sentChecks.Add(row);
            }
        }

        _pending.Clear();
        return commands;
    }

    /// <summary>Runs a statement; a failure marks the unit failed (it must not commit) and names a checked row that was missing.</summary>
    private TResult Run<TStatement, TResult>(TStatement statement, Func<TStatement, TResult> run)
    {
        try
        {
            return run(statement);
        }
        catch (PostgresException exception) when (exception.SqlState == NoRowChanged)
        {
            throw NoRow(exception);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>The error for a checked write that changed no row: the batch stopped there, so it names the rows it checked.</summary>
    private InvalidOperationException NoRow(PostgresException exception)
    {
        _failed = true;
        string rows = _sentChecks.Count == 1 ? _sentChecks[0] : "one of " + string.Join(", ", _sentChecks);
        return new InvalidOperationException($"{rows} is not in the store: the write unit updates it, so nothing was written", exception);
    }

    /// <summary>The SQL of a read without its closing semicolon, to nest as a subquery.</summary>
    private static string Bare(string sql) => sql.TrimEnd().TrimEnd(';');

    /// <summary>A write waiting for the next statement that must answer.</summary>
    private sealed record PendingWrite(NpgsqlBatchCommand Command, string? MustExist);

    /// <summary>A statement and its parameters, which can be sent more than once (a batch command belongs to one batch).</summary>
    private sealed record Statement(string Sql, Action<NpgsqlParameterCollection>? Bind)
    {
        public NpgsqlBatchCommand Command() => PostgresLicenseSession.Command(Sql, Bind);
    }

    /// <summary>A read made ahead of the lock and the digest of the rows it gave, checked again under the lock.</summary>
    private sealed record ReadAhead(Statement Statement, string Digest);

    /// <summary>
    /// A read whose rows a unit keeps: the key it is kept under, the table whose writes drop it, its statement. One place
    /// for each, so a read named ahead and the same read made by the work always meet under one key.
    /// </summary>
    private sealed record KeptRead(string Key, Table Table, Statement Statement)
    {
        public static readonly KeptRead Server = new("server", Table.Server, new Statement(ServerSql, null));

        /// <summary>Active CALs expiring at or before <paramref name="bound"/> (one key: a later bound answers an earlier instant).</summary>
        public static KeptRead Expired(DateTimeOffset bound) => new(
            "expired",
            Table.Licenses,
            new Statement($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now ORDER BY expires_on;", p => Text(p, "now", SqliteText.Time(bound))));

        public static KeptRead Device(HardwareId hwid) => new(
            "device:" + hwid,
            Table.Licenses,
            new Statement($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE hwid = @hwid AND cal_type = 'per-device' ORDER BY issued_on;", p => Text(p, "hwid", hwid.ToString())));

        public static KeptRead User(string user) => new(
            "user:" + LicenseFilter.UserKey(user),
            Table.Licenses,
            new Statement($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE user_key = @user AND cal_type = 'per-user' ORDER BY issued_on;", p => Text(p, "user", LicenseFilter.UserKey(user))));

        public static KeptRead License(string licenseId) => new(
            "license:" + licenseId,
            Table.Licenses,
            new Statement($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE license_id = @id;", p => Text(p, "id", licenseId)));
    }

    /// <summary>
    /// Thrown into the work of a unit decided ahead of the lock when it does what only a unit holding the lock may do; the
    /// store then runs the work again under the lock (whatever the work made of the exception).
    /// </summary>
    internal sealed class DecideUnderLock(string why, Exception? inner) : Exception($"this unit must be decided under the lock: {why}", inner);

    /// <summary>Rows of one read kept for the unit; <paramref name="Bound"/>: the instant an expiry read covers.</summary>
    private sealed record KeptRows(Table Table, DateTimeOffset? Bound, List<object[]> Rows);
}
