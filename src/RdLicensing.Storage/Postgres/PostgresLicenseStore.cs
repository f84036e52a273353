using System.Data;
using Npgsql;
using RdLicensing.Domain;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Postgres;

/// <summary>
/// The shared store: N license-server nodes on one PostgreSQL database (docs/postgres.md, decision 0070).
/// <list type="bullet">
/// <item>Serialization: every write unit is one READ COMMITTED transaction whose first statement is
/// <c>pg_advisory_xact_lock(<see cref="DeploymentLockKey"/>)</c>. Write units of every node therefore run one at a time,
/// in the order they got the lock, and each statement after the lock sees every unit committed before it: a decision
/// read-then-written inside one unit cannot race another node. The lock ends with the transaction (commit, rollback, or
/// the connection dropping when a node dies), so a killed node never leaves it held.</item>
/// <item>Durability: the commit returns after the WAL is flushed; a session whose synchronous_commit is 'off' is put
/// back to 'on' for the unit. A node frozen inside a unit is cut off by idle_in_transaction_session_timeout.</item>
/// <item>Reads: REPEATABLE READ snapshots, no lock; they never wait for writers.</item>
/// <item>Migrations: under the same lock, so nodes starting at once on an empty database apply each migration once.</item>
/// </list>
/// Inside a node, writers also queue on a semaphore (<see cref="WritersPerNode"/>) so one node holds at most one
/// connection waiting for the lock.
/// </summary>
public sealed class PostgresLicenseStore : ILicenseStore
{
    /// <summary>The advisory lock key every node takes for a write unit ("RDLICENS" in ASCII). Advisory locks are per database.</summary>
    public const long DeploymentLockKey = 0x52444C4943454E53;

    /// <summary>How long a node may sit idle inside an open write unit before PostgreSQL ends its session (and lock).</summary>
    public static readonly TimeSpan IdleInTransactionTimeout = TimeSpan.FromSeconds(60);

    private const string LockAndDurability =
        "SELECT pg_advisory_xact_lock(@key), "
        + "CASE WHEN current_setting('synchronous_commit') = 'off' THEN set_config('synchronous_commit', 'on', true) END, "
        + "set_config('idle_in_transaction_session_timeout', @idle, true)";

    private const string BeginWriteSql = LockAndDurability + ";";

    /// <summary>
    /// <see cref="BeginWriteSql"/> for the licensing write units, which also plan once per connection (decision 0104): their
    /// statements are point reads and writes by indexed keys, run over and over inside the serialized section, where
    /// planning each execution was a fifth of PostgreSQL's work. A generic plan is made from the statistics of the moment,
    /// so with sequential scans off it is an index plan even when made on a near-empty table that then grows (with them
    /// on, plans cached on a new deployment kept scanning a growing table until autovacuum's next ANALYZE). JIT is off for
    /// the unit: a scan the planner can only do sequentially (the few rows of key_packs) is costed at the disabled-scan
    /// penalty, far above jit_above_cost, so PostgreSQL's LLVM JIT compiled and optimized it at every execution (0.1–1 s,
    /// found by perf in a two-node storm); point reads never gain from JIT.
    /// </summary>
    private const string BeginUnitSql =
        LockAndDurability + ", " + PostgresLicenseSession.UnitPlanSettings + ";";

    /// <summary>
    /// Write units of one node in flight at once: one holding the lock and one queued for it inside PostgreSQL (so the
    /// lock is handed on by the server), the rest queued here, so a node keeps at most one connection waiting for the lock.
    /// </summary>
    public const int WritersPerNode = 2;

    private static readonly string IdleInTransactionSetting = $"{(int)IdleInTransactionTimeout.TotalMilliseconds}ms";

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _writeGate = new(WritersPerNode, WritersPerNode);
    private readonly AheadCommitter _committer;
    private long _decidedAhead;
    private long _decidedAgain;

    /// <summary>Opens (lazily) the database named by an Npgsql connection string.</summary>
    public PostgresLicenseStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"the postgres connection string is not valid: {exception.Message}", nameof(connectionString), exception);
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "rdlic";
        }

        // The store runs a small fixed set of statements over and over: let Npgsql prepare them on each physical connection
        // (unless the connection string chose otherwise), and skip the session reset when a connection returns to the pool
        // (every setting the store makes is transaction-local, so a pooled connection carries no state between units).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        builder.NoResetOnClose = true;

        // A unit decided ahead of the lock tells a changed read from a missing row by the statement that failed (decision 0106).
        builder.IncludeFailedBatchedCommand = true;

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _committer = new AheadCommitter(_dataSource.OpenConnectionAsync, _writeGate);
        Description = $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public string Kind => "postgres";

    /// <summary>Where the store is, without credentials: postgres://host:port/database.</summary>
    public string Description { get; }

    /// <summary>Units of repeatable work (<see cref="LedgerReads.Repeatable"/>) whose decision made ahead of the lock stood.</summary>
    public long UnitsDecidedAhead => Interlocked.Read(ref _decidedAhead);

    /// <summary>Units of repeatable work decided ahead that had to run again under the lock (a read changed, or the work needed the lock).</summary>
    public long UnitsDecidedAgain => Interlocked.Read(ref _decidedAgain);

    /// <summary>Round trips that committed units decided ahead, and the units they carried (decision 0108).</summary>
    public (long RoundTrips, long Units) CommitsAhead => (_committer.Batches, _committer.Units);

    /// <summary>Commits of units decided ahead waiting for the next round trip (tests).</summary>
    internal int CommitsQueued => _committer.Queued;

    /// <summary>The schema version this build writes (the last migration).</summary>
    public static int SchemaVersion => PostgresMigrations.All[^1].Version;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await BeginWriteUnitAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_on TEXT NOT NULL);", connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var applied = new HashSet<int>();
            await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations;", connection, transaction))
            await using (NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            if (applied.Count > 0 && applied.Max() > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"the database schema is at version {applied.Max()}, newer than this rdlic knows ({SchemaVersion}): upgrade this node");
            }

            foreach ((int version, string sql) in PostgresMigrations.All)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var migrate = new NpgsqlCommand(sql, connection, transaction);
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, applied_on) VALUES (@v, @t);", connection, transaction);
                record.Parameters.AddWithValue("v", version);
                record.Parameters.AddWithValue("t", SqliteText.Time(DateTimeOffset.UtcNow));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken) => WriteAsync(work, null, cancellationToken);

    /// <summary>
    /// Runs a write unit in (usually) two round trips: BEGIN, the lock and <paramref name="reads"/>; then the work's
    /// writes and the COMMIT (<see cref="PostgresLicenseSession"/>). While one unit of this node holds the lock, the next
    /// one already waits for it inside PostgreSQL, so the lock passes on without a round trip through this process.
    /// <para>
    /// Repeatable work (<see cref="LedgerReads.Repeatable"/>) is first decided ahead of the lock (decision 0106): its reads
    /// in one round trip without the lock, the work, then one round trip that takes the lock, checks every read is
    /// unchanged, writes and commits. Only when a read changed (or the work needs the lock) does it run again as above.
    /// </para>
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, LedgerReads? reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (reads is { Repeatable: true })
        {
            (bool decided, T result) = await DecideAheadAsync(work, reads, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref decided ? ref _decidedAhead : ref _decidedAgain);
            if (decided)
            {
                return result;
            }
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Cancellation is honoured while waiting for the lock; once the unit runs, it runs to commit or rollback.
                PostgresLicenseSession session = await PostgresLicenseSession.BeginWriteAsync(connection, LockCommand(), reads, cancellationToken).ConfigureAwait(false);
                T result = work(session);
                await session.CommitAsync().ConfigureAwait(false);
                return result;
            }
            catch
            {
                await PostgresLicenseSession.RollbackAsync(connection, sync: false).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Decides repeatable work ahead of the lock and commits it if every row it read is unchanged under the lock. False:
    /// nothing was written, and the work must run under the lock. The work's own exceptions (a refusal made before any
    /// write) are thrown as they are when it read one committed snapshot of the rows (it wrote nothing); after reads of
    /// several snapshots, which may not agree with each other, the work runs again under the lock.
    /// </summary>
    private async Task<(bool Decided, T Result)> DecideAheadAsync<T>(Func<ILicenseSession, T> work, LedgerReads reads, CancellationToken cancellationToken)
    {
        PostgresLicenseSession session;
        T result;
        NpgsqlConnection reading = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (reading.ConfigureAwait(false))
        {
            try
            {
                session = await PostgresLicenseSession.DecideAheadAsync(reading, reads, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresLicenseSession.DecideUnderLock)
            {
                return (false, default!);
            }

            try
            {
                result = work(session);
            }
            catch when (session.NeedsLock is not null || !session.OneSnapshot)
            {
                return (false, default!);
            }

            if (session.NeedsLock is not null)
            {
                return (false, default!);
            }

            if (session.ReadOnlyAhead)
            {
                return (true, result);
            }
        }

        // The reading connection went back to the pool; the commit goes with the other units queued on this node
        // (decision 0108), on a connection of its own.
        AheadCommit commit = session.PrepareCommitAhead(LockCommand());
        return (await _committer.CommitAsync(commit, cancellationToken).ConfigureAwait(false), result);
    }

    public async Task<T> ReadAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        T result = work(PostgresLicenseSession.ForRead(connection, transaction));
        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Opens a connection for tools (the store migration) that work on the raw tables.</summary>
    internal ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>The deployment lock (and the durability settings) as a statement of a write unit's first batch.</summary>
    private static NpgsqlBatchCommand LockCommand()
    {
        var command = new NpgsqlBatchCommand(BeginUnitSql);
        BindLock(command.Parameters);
        return command;
    }

    /// <summary>Takes the deployment lock (and the durability settings) as the first statement of a write unit.</summary>
    internal static async Task BeginWriteUnitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(BeginWriteSql, connection, transaction);
        BindLock(command.Parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void BindLock(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("key", DeploymentLockKey);
        parameters.AddWithValue("idle", IdleInTransactionSetting);
    }

    public async ValueTask DisposeAsync()
    {
        await _committer.DisposeAsync().ConfigureAwait(false);
        _writeGate.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
