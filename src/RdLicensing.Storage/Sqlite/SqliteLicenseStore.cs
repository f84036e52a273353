using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using RdLicensing.Domain;

namespace RdLicensing.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Write units run one at a time on the store's writer thread
/// (<see cref="SerialWriter"/>: no spinning on SQLITE_BUSY inside the process, no hand-offs between units) over one
/// long-lived writer connection whose statements stay prepared; each takes BEGIN IMMEDIATE (serialized against other
/// processes too, with a busy timeout) and commits.
/// <para>
/// Durability (decision 0107): a unit is answered only once its commit is on disk, as with synchronous=FULL, but the
/// disk flush is shared. The writer thread takes every unit queued when it looks, commits them one by one with
/// synchronous=NORMAL (the log is written, not flushed), then flushes the write-ahead log to disk once (fsync;
/// FlushFileBuffers on Windows), and only then are those units answered (<see cref="SerialWriter"/>). The log is appended
/// in commit order and recovery stops at the first frame that did not reach the disk, so a commit that survives a crash
/// has every earlier commit with it: a unit that read another's not-yet-flushed CAL can only survive together with it.
/// </para>
/// Reads use pooled connections of their own (WAL readers never wait for the writer); a read returns only once every
/// commit it could have seen is on disk, so nothing that a crash could still take back is shown.
/// </summary>
public sealed class SqliteLicenseStore : ILicenseStore
{
    /// <summary>The settings of the writer connection: the busy timeout, the durability described above, foreign keys.</summary>
    public static readonly string WriterSettings = Settings("NORMAL");

    private const int BusyTimeoutMilliseconds = 30_000;

    // Migrations commit with synchronous=FULL on a connection of their own, before any unit runs.
    private static readonly string MigrationSettings = Settings("FULL");

    private readonly string _connectionString;
    private readonly SerialWriter _writerThread;
    private readonly Action<SafeFileHandle> _flushToDisk;
    private SqliteConnection? _writer;
    private SqliteCommandCache? _commands;
    private string? _logPath;

    // Commits begun and ended (committed or failed) on the writer thread, and how many are known to be on disk; a
    // flush covers the ended ones, a read waits for the begun ones (it may have seen a commit that has not returned yet).
    private long _committing;
    private long _committed;
    private long _durable;
    private long _flushes;
    private long _readsHeld;
    private TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteLicenseStore(string connectionString)
        : this(connectionString, RandomAccess.FlushToDisk)
    {
    }

    /// <summary>For tests: <paramref name="flushToDisk"/> replaces the log's flush to disk.</summary>
    internal SqliteLicenseStore(string connectionString, Action<SafeFileHandle> flushToDisk)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(flushToDisk);
        _connectionString = connectionString;
        _flushToDisk = flushToDisk;
        _writerThread = new SerialWriter("rdlic sqlite writer", FlushCommits);
    }

    /// <summary>How many times the write-ahead log was flushed to disk for committed units (one per batch that committed).</summary>
    public long LogFlushes => Interlocked.Read(ref _flushes);

    /// <summary>Reads that waited for a flush before they answered (tests).</summary>
    internal long ReadsHeldForFlush => Interlocked.Read(ref _readsHeld);

    /// <summary>How many write units reached their commit.</summary>
    public long UnitsCommitted => Interlocked.Read(ref _committed);

    public string Kind => "sqlite";

    /// <summary>The connection string for a database file (created when missing).</summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = BusyTimeoutMilliseconds / 1000,
    }.ToString();

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _writerThread.RunAsync(
            () =>
            {
                using SqliteConnection connection = Open(MigrationSettings);
                Execute(connection, null, "PRAGMA journal_mode=WAL;");
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_on TEXT NOT NULL);");
                var applied = new HashSet<long>();
                using (SqliteCommand select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = "SELECT version FROM schema_migrations;";
                    using SqliteDataReader reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        applied.Add(reader.GetInt64(0));
                    }
                }

                foreach ((int version, string sql) in SqliteMigrations.All)
                {
                    if (applied.Contains(version))
                    {
                        continue;
                    }

                    Execute(connection, transaction, sql);
                    using SqliteCommand record = connection.CreateCommand();
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_migrations (version, applied_on) VALUES (@v, @t);";
                    record.Parameters.AddWithValue("@v", version);
                    record.Parameters.AddWithValue("@t", SqliteText.Time(DateTimeOffset.UtcNow));
                    record.ExecuteNonQuery();
                }

                transaction.Commit();
                return true;
            },
            cancellationToken);

    public Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken) => WriteAsync(work, null, cancellationToken);

    /// <summary>Runs a write unit; <paramref name="reads"/> is not used: the store's reads are in process, each as cheap as a batched one.</summary>
    public Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, LedgerReads? reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);

        // Once the transaction starts it runs to commit or rollback: cancellation is honoured only before it.
        return _writerThread.RunAsync(() => Write(work), cancellationToken);
    }

    public async Task<T> ReadAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        (T result, long seen) = await Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
                T result = work(new SqliteLicenseSession(connection, transaction, commands: null));
                transaction.Rollback();

                // Read after the snapshot: counts every commit the read could have seen (and perhaps one it did not).
                return (result, Interlocked.Read(ref _committing));
            },
            cancellationToken);
        await WaitDurableAsync(seen, cancellationToken);
        return result;
    }

    public ValueTask DisposeAsync()
    {
        // Runs what is queued, then ends the writer thread; only then is its connection closed.
        _writerThread.Dispose();
        CloseWriter();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    /// <summary>One write unit on the writer connection, on the writer thread.</summary>
    private T Write<T>(Func<ILicenseSession, T> work)
    {
        SqliteConnection connection = _writer ??= OpenWriter();
        SqliteTransaction transaction;
        try
        {
            transaction = connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException)
        {
            // A writer connection that cannot begin is not trusted again: the next unit opens a fresh one.
            CloseWriter();
            throw;
        }

        using (transaction)
        {
            T result;
            try
            {
                result = work(new SqliteLicenseSession(connection, transaction, _commands));
            }
            catch
            {
                Rollback(transaction);
                throw;
            }

            try
            {
                Interlocked.Increment(ref _committing);
                transaction.Commit();
            }
            catch (SqliteException)
            {
                Rollback(transaction);
                throw;
            }
            finally
            {
                Interlocked.Increment(ref _committed);
            }

            return result;
        }
    }

    /// <summary>
    /// The writer thread's step after each group of units: flushes the write-ahead log to disk if any unit
    /// committed since the last flush, then lets waiting readers go. A failed flush fails the group's units
    /// (<see cref="SerialWriter"/>) and the readers waiting on it; the next flush covers the same commits again.
    /// </summary>
    private void FlushCommits()
    {
        long target = Interlocked.Read(ref _committed);
        if (target == Interlocked.Read(ref _durable))
        {
            return;
        }

        try
        {
            FlushLog();
        }
        catch (Exception exception)
        {
            Interlocked.Exchange(ref _flushed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetException(exception);
            throw;
        }

        Interlocked.Increment(ref _flushes);
        Interlocked.Exchange(ref _durable, target);
        Interlocked.Exchange(ref _flushed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void FlushLog()
    {
        string? path = Volatile.Read(ref _logPath);
        if (path is null)
        {
            return;
        }

        // Opened for each flush, so it is always the log SQLite writes now (SQLite takes no locks on the log file
        // itself, so closing this handle releases none of SQLite's).
        SafeFileHandle log;
        try
        {
            log = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            // The log is removed only when the database's last connection closes, after a checkpoint that copied it
            // into the database file and flushed that: nothing is left to flush.
            return;
        }

        using (log)
        {
            _flushToDisk(log);
        }
    }

    /// <summary>Waits until the first <paramref name="commits"/> commits are on disk.</summary>
    private async Task WaitDurableAsync(long commits, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _durable) < commits)
        {
            Interlocked.Increment(ref _readsHeld);
        }

        while (Interlocked.Read(ref _durable) < commits)
        {
            Task flushed = Volatile.Read(ref _flushed).Task;
            if (Interlocked.Read(ref _durable) >= commits)
            {
                return;
            }

            await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Rollback(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled the transaction back (an I/O error, a full disk); either way the writer
            // connection's state is unknown, so it is replaced.
            CloseWriter();
        }
        catch (InvalidOperationException)
        {
            CloseWriter();
        }
    }

    /// <summary>
    /// The writer connection stays open for the store's lifetime (writes are serialized by the gate anyway): its
    /// settings are applied once and its statements stay prepared (<see cref="SqliteCommandCache"/>).
    /// </summary>
    private SqliteConnection OpenWriter()
    {
        SqliteConnection connection = Open(WriterSettings);
        _commands = new SqliteCommandCache(connection);
        Volatile.Write(ref _logPath, connection.DataSource + "-wal");
        return connection;
    }

    private void CloseWriter()
    {
        _commands?.Dispose();
        _commands = null;
        _writer?.Dispose();
        _writer = null;
    }

    private SqliteConnection Open(string settings)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, settings);
        return connection;
    }

    private static string Settings(string synchronous) =>
        $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;";

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
