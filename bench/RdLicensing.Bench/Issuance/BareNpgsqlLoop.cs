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
                "INSERT INTO licenses (" + BareLoop.InsertColumns + ") " +
                "VALUES (@id, NULL, 'per-device', 'temporary', TRUE, @version, @machine, @user, @hwid, @issued_on, @expires_on, FALSE, NULL, 'bench-host', @user_key);",
                conn);
            NpgsqlParameter[] parameters = [.. BareLoop.Parameters.Select(name => insert.Parameters.Add(name, NpgsqlDbType.Text))];
            await insert.PrepareAsync(cancellationToken);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            return await BareLoop.MeasureAsync(
                transactions,
                async i =>
                {
                    await using NpgsqlTransaction transaction = await conn.BeginTransactionAsync(cancellationToken);
                    insert.Transaction = transaction;
                    string[] values = BareLoop.Values(i, now);
                    for (int p = 0; p < parameters.Length; p++)
                    {
                        parameters[p].Value = values[p];
                    }

                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                });
        }
        finally
        {
            await DropSchemaAsync(connection, schema);
        }
    }
}
