using System.Diagnostics;
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
        "INSERT INTO licenses (license_id, key_pack_id, cal_type, status, temporary, version, machine, user_name, hwid, issued_on, expires_on, validated, revoked_on, issued_to_host, user_key) " +
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

            return await Task.Run(() => Loop(connectionString, transactions), cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            ApiIssuanceBench.TryDelete(directory);
        }
    }

    private static (double, Latencies) Loop(string connectionString, int transactions)
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
        SqliteParameter id = insert.Parameters.Add("@id", SqliteType.Text);
        SqliteParameter version = insert.Parameters.Add("@version", SqliteType.Text);
        SqliteParameter machine = insert.Parameters.Add("@machine", SqliteType.Text);
        SqliteParameter user = insert.Parameters.Add("@user", SqliteType.Text);
        SqliteParameter hwid = insert.Parameters.Add("@hwid", SqliteType.Text);
        SqliteParameter issuedOn = insert.Parameters.Add("@issued_on", SqliteType.Text);
        SqliteParameter expiresOn = insert.Parameters.Add("@expires_on", SqliteType.Text);
        SqliteParameter userKey = insert.Parameters.Add("@user_key", SqliteType.Text);
        var ticks = new long[transactions];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < transactions; i++)
        {
            long begin = Stopwatch.GetTimestamp();
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            id.Value = Guid.NewGuid().ToString("N");
            version.Value = ApiIssuanceBench.HostVersion;
            machine.Value = "PC" + i;
            user.Value = "user" + i;
            userKey.Value = "user" + i;
            hwid.Value = ApiIssuanceBench.Hwid(i);
            issuedOn.Value = now.ToString("O");
            expiresOn.Value = now.AddDays(90).ToString("O");
            insert.ExecuteNonQuery();
            transaction.Commit();
            ticks[i] = Stopwatch.GetTimestamp() - begin;
        }

        clock.Stop();
        var latencies = new Latencies();
        latencies.AddRange(ticks);
        return (transactions / clock.Elapsed.TotalSeconds, latencies);
    }
}
