using Microsoft.Data.Sqlite;
using RdLicensing.Domain;

namespace RdLicensing.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Write units run one at a time on the store's writer thread
/// (<see cref="SerialWriter"/>: no spinning on SQLITE_BUSY inside the process, no hand-offs between units) over one
/// long-lived writer connection whose statements stay prepared; each takes BEGIN IMMEDIATE (serialized against other
/// processes too, with a busy timeout) and commits with synchronous=FULL.
/// Reads use pooled connections of their own (WAL readers never wait for the writer).
/// </summary>
public sealed class SqliteLicenseStore : ILicenseStore
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly SerialWriter _writerThread = new("rdlic sqlite writer");
    private SqliteConnection? _writer;
    private SqliteCommandCache? _commands;

    public SqliteLicenseStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
    }

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
                using SqliteConnection connection = Open();
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

    public Task<T> ReadAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
                T result = work(new SqliteLicenseSession(connection, transaction, commands: null));
                transaction.Rollback();
                return result;
            },
            cancellationToken);
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
                transaction.Commit();
            }
            catch (SqliteException)
            {
                Rollback(transaction);
                throw;
            }

            return result;
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
        SqliteConnection connection = Open();
        _commands = new SqliteCommandCache(connection);
        return connection;
    }

    private void CloseWriter()
    {
        _commands?.Dispose();
        _commands = null;
        _writer?.Dispose();
        _writer = null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
