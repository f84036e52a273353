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

    /// <summary>
    /// With <paramref name="sameStatements"/>, each transaction also makes the statements a write unit of the store makes
    /// for a new device before its INSERT — the deployment lock, the expired-CAL query, the server row, the device's CALs —
    /// each its own round trip, as in the store: a diagnostic that separates the round trips from the store's own code.
    /// </summary>
    public static async Task<(double PerSecond, Latencies Latencies)> RunAsync(string connection, int transactions, CancellationToken cancellationToken, bool sameStatements = false)
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
            string[] reads =
            [
                $"SELECT pg_advisory_xact_lock({PostgresLicenseStore.DeploymentLockKey}), set_config('idle_in_transaction_session_timeout', '60000ms', true);",
                "SELECT license_id FROM licenses WHERE status IN ('temporary', 'permanent') AND expires_on <= @p;",
                "SELECT server_id, name, version, activation_state FROM server WHERE id = 1;",
                "SELECT license_id, status, expires_on FROM licenses WHERE hwid = @p AND cal_type = 'per-device' ORDER BY issued_on;",
            ];
            NpgsqlCommand[] readCommands = [.. reads.Select(sql => new NpgsqlCommand(sql, conn))];
            foreach (NpgsqlCommand read in readCommands.Where(c => c.CommandText.Contains("@p", StringComparison.Ordinal)))
            {
                read.Parameters.Add("p", NpgsqlDbType.Text);
            }

            foreach (NpgsqlCommand read in readCommands)
            {
                await read.PrepareAsync(cancellationToken);
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            return await BareLoop.MeasureAsync(
                transactions,
                async i =>
                {
                    await using NpgsqlTransaction transaction = await conn.BeginTransactionAsync(cancellationToken);
                    insert.Transaction = transaction;
                    string[] values = BareLoop.Values(i, now);
                    if (sameStatements)
                    {
                        foreach (NpgsqlCommand read in readCommands)
                        {
                            read.Transaction = transaction;
                            if (read.Parameters.Count > 0)
                            {
                                read.Parameters[0].Value = read.CommandText.Contains("hwid", StringComparison.Ordinal) ? values[4] : values[5];
                            }

                            await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken);
                            while (await reader.ReadAsync(cancellationToken))
                            {
                            }
                        }
                    }

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
