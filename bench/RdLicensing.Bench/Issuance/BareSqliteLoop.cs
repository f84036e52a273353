using Microsoft.Data.Sqlite;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// The ceiling of API issuance on SQLite: the same row (one issued temporary CAL in <c>licenses</c>) written in the same
/// number of transactions by a bare Microsoft.Data.Sqlite loop, on a database made by the store's own migrations (so the
/// same schema and indexes), with the settings the store runs with (WAL, synchronous=FULL, BEGIN IMMEDIATE per write).
/// No HTTP, no JSON, no authentication, no reads, no CAL signing: only the durable write.
/// </summary>
internal static class BareSqliteLoop
{
    public const string InsertSql =
        "INSERT INTO licenses (" + BareLoop.InsertColumns + ") " +
        "VALUES (@id, NULL, 'per-device', 'temporary', 1, @version, @machine, @user, @hwid, @issued_on, @expires_on, 0, NULL, 'bench-host', @user_key);";

    /// <summary>Transactions per second, and the per-transaction latencies.</summary>
    public static async Task<(double PerSecond, Latencies Latencies)> RunAsync(int transactions, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Path.GetTempPath(), "rdlic-bench-bare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string connectionString = SqliteLicenseStore.ConnectionStringFor(Path.Combine(directory, "rdlicensing.db"));
        try
        {
            await using (var store = new SqliteLicenseStore(connectionString))
            {
                await store.InitializeAsync(cancellationToken);
            }

            return await Task.Run(() => LoopAsync(connectionString, transactions), cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            ApiIssuanceBench.TryDelete(directory);
        }
    }

    private static async Task<(double, Latencies)> LoopAsync(string connectionString, int transactions)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
            pragma.ExecuteNonQuery();
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = InsertSql;
        SqliteParameter[] parameters = [.. BareLoop.Parameters.Select(name => insert.Parameters.Add("@" + name, SqliteType.Text))];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return await BareLoop.MeasureAsync(
            transactions,
            i =>
            {
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                insert.Transaction = transaction;
                string[] values = BareLoop.Values(i, now);
                for (int p = 0; p < parameters.Length; p++)
                {
                    parameters[p].Value = values[p];
                }

                insert.ExecuteNonQuery();
                transaction.Commit();
                return ValueTask.CompletedTask;
            });
    }
}
