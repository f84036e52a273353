using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// The ceiling of API issuance on SQLite: the same row (one issued temporary CAL in <c>licenses</c>) written in the same
/// number of transactions by a bare Microsoft.Data.Sqlite loop, on a database made by the store's own migrations (so the
/// same schema and indexes), with the settings and the durability the store runs with (WAL, BEGIN IMMEDIATE per write,
/// synchronous=NORMAL and the write-ahead log flushed to disk before the transaction counts as done: decision 0107). One
/// transaction at a time, so each pays its own flush: a serial writer has nothing to share it with.
/// No HTTP, no JSON, no authentication, no reads, no CAL signing: only the durable write.
/// </summary>
internal sealed class BareSqliteLoop : IBareLoop
{
    public const string InsertSql =
        "INSERT INTO licenses (" + BareLoop.InsertColumns + ") " +
        "VALUES (@id, NULL, 'per-device', 'temporary', 1, @version, @machine, @user, @hwid, @issued_on, @expires_on, 0, NULL, 'bench-host', @user_key);";

    private readonly string _directory;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _parameters;
    private readonly SafeFileHandle _log;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private BareSqliteLoop(string directory, SqliteConnection connection, SafeFileHandle log)
    {
        _directory = directory;
        _connection = connection;
        _log = log;
        _insert = connection.CreateCommand();
        _insert.CommandText = InsertSql;
        _parameters = [.. BareLoop.Parameters.Select(name => _insert.Parameters.Add("@" + name, SqliteType.Text))];
    }

    /// <summary>A fresh database made by the store's migrations, its connection open with the store's settings.</summary>
    public static async Task<BareSqliteLoop> OpenAsync(CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Path.GetTempPath(), "rdlic-bench-bare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string connectionString = SqliteLicenseStore.ConnectionStringFor(Path.Combine(directory, "rdlicensing.db"));
        await using (var store = new SqliteLicenseStore(connectionString))
        {
            await store.InitializeAsync(cancellationToken);
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; " + SqliteLicenseStore.WriterSettings;
            pragma.ExecuteNonQuery();
        }

        // The log exists once the connection has read the database in WAL mode (the PRAGMA above did).
        SafeFileHandle log = File.OpenHandle(connection.DataSource + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        return new BareSqliteLoop(directory, connection, log);
    }

    public Task<TimeSpan> RunAsync(int first, int transactions, Latencies latencies, CancellationToken cancellationToken) =>
        Task.Run(
            () => BareLoop.MeasureAsync(
                first,
                transactions,
                latencies,
                i =>
                {
                    using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                    _insert.Transaction = transaction;
                    string[] values = BareLoop.Values(i, _now);
                    for (int p = 0; p < _parameters.Length; p++)
                    {
                        _parameters[p].Value = values[p];
                    }

                    _insert.ExecuteNonQuery();
                    transaction.Commit();
                    RandomAccess.FlushToDisk(_log);
                    return ValueTask.CompletedTask;
                }),
            cancellationToken);

    public ValueTask DisposeAsync()
    {
        _insert.Dispose();
        _connection.Dispose();
        _log.Dispose();
        SqliteConnection.ClearAllPools();
        ApiIssuanceBench.TryDelete(_directory);
        return ValueTask.CompletedTask;
    }
}
