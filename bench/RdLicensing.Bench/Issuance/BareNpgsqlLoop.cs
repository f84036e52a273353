using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RdLicensing.Storage.Postgres;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// The ceiling of API issuance on PostgreSQL: the same row written in the same number of transactions (BEGIN, INSERT,
/// COMMIT, one after another on one connection, synchronous_commit on) by a bare Npgsql loop, in a schema made by the
/// store's own migrations. No advisory lock, no reads, no HTTP, no signing.
/// </summary>
internal static class BareNpgsqlLoop
{
    /// <summary>A connection string whose search_path is a fresh schema; the caller drops it with <see cref="DropSchemaAsync"/>.</summary>
    public static async Task<string> CreateSchemaAsync(string connection, string schema, CancellationToken cancellationToken)
    {
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema};", conn);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ToString();
    }

    public static async Task DropSchemaAsync(string connection, string schema)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;", conn);
        await drop.ExecuteNonQueryAsync();
    }

    public static async Task<(double PerSecond, Latencies Latencies)> RunAsync(string connection, int transactions, CancellationToken cancellationToken)
    {
        string schema = "bench_bare_" + Guid.NewGuid().ToString("N")[..12];
        string scoped = await CreateSchemaAsync(connection, schema, cancellationToken);
        try
        {
            await using (var store = new PostgresLicenseStore(scoped))
            {
                await store.InitializeAsync(cancellationToken);
            }

            await using var conn = new NpgsqlConnection(scoped);
            await conn.OpenAsync(cancellationToken);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO licenses (license_id, key_pack_id, cal_type, status, temporary, version, machine, user_name, hwid, issued_on, expires_on, validated, revoked_on, issued_to_host, user_key) " +
                "VALUES (@id, NULL, 'per-device', 'temporary', TRUE, @version, @machine, @user, @hwid, @issued_on, @expires_on, FALSE, NULL, 'bench-host', @user_key);",
                conn);
            NpgsqlParameter id = insert.Parameters.Add("id", NpgsqlDbType.Text);
            NpgsqlParameter version = insert.Parameters.Add("version", NpgsqlDbType.Text);
            NpgsqlParameter machine = insert.Parameters.Add("machine", NpgsqlDbType.Text);
            NpgsqlParameter user = insert.Parameters.Add("user", NpgsqlDbType.Text);
            NpgsqlParameter hwid = insert.Parameters.Add("hwid", NpgsqlDbType.Text);
            NpgsqlParameter issuedOn = insert.Parameters.Add("issued_on", NpgsqlDbType.Text);
            NpgsqlParameter expiresOn = insert.Parameters.Add("expires_on", NpgsqlDbType.Text);
            NpgsqlParameter userKey = insert.Parameters.Add("user_key", NpgsqlDbType.Text);
            await insert.PrepareAsync(cancellationToken);
            var ticks = new long[transactions];
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < transactions; i++)
            {
                long begin = Stopwatch.GetTimestamp();
                await using NpgsqlTransaction transaction = await conn.BeginTransactionAsync(cancellationToken);
                insert.Transaction = transaction;
                id.Value = Guid.NewGuid().ToString("N");
                version.Value = ApiIssuanceBench.HostVersion;
                machine.Value = "PC" + i;
                user.Value = "user" + i;
                userKey.Value = "user" + i;
                hwid.Value = ApiIssuanceBench.Hwid(i);
                issuedOn.Value = now.ToString("O");
                expiresOn.Value = now.AddDays(90).ToString("O");
                await insert.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                ticks[i] = Stopwatch.GetTimestamp() - begin;
            }

            clock.Stop();
            var latencies = new Latencies();
            latencies.AddRange(ticks);
            return (transactions / clock.Elapsed.TotalSeconds, latencies);
        }
        finally
        {
            await DropSchemaAsync(connection, schema);
        }
    }
}
