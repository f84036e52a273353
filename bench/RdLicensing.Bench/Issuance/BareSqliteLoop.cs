using Microsoft.Data.Sqlite;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// The ceiling of API issuance on SQLite: the same row (one issued temporary CAL in <c>licenses</c>) written in the same
/// number of transactions by a bare Microsoft.Data.Sqlite loop, on a database made by the store's own migrations (so the
/// same schema and indexes), with the settings the store runs with (WAL, synchronous=FULL, BEGIN IMMEDIATE per write).
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
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private BareSqliteLoop(string directory, SqliteConnection connection)
    {
        _directory = directory;
        _connection = connection;
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
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
            pragma.ExecuteNonQuery();
        }

        return new BareSqliteLoop(directory, connection);
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
                    return ValueTask.CompletedTask;
                }),
            cancellationToken);

    public ValueTask DisposeAsync()
    {
        _insert.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        ApiIssuanceBench.TryDelete(_directory);
        return ValueTask.CompletedTask;
    }
}
