using Npgsql;
using NpgsqlTypes;
using RdLicensing.Storage.Postgres;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// The ceiling of API issuance on PostgreSQL: the same row written in the same number of transactions (BEGIN, INSERT,
/// COMMIT, one after another on one connection, synchronous_commit on) by a bare Npgsql loop, in a schema made by the
/// store's own migrations. No advisory lock, no reads, no HTTP, no signing.
/// <para>
/// With <c>sameStatements</c>, each transaction also makes the statements a write unit of the store made for a new
/// device before its INSERT when each was its own round trip — the deployment lock, the expired-CAL query, the server
/// row, the device's CALs: a diagnostic of what those round trips cost without the server around them.
/// </para>
/// </summary>
internal sealed class BareNpgsqlLoop : IBareLoop
{
    private readonly string _connection;
    private readonly string _schema;
    private readonly NpgsqlConnection _conn;
    private readonly NpgsqlCommand _insert;
    private readonly NpgsqlParameter[] _parameters;
    private readonly NpgsqlCommand[] _reads;
    private readonly bool _sameStatements;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private BareNpgsqlLoop(string connection, string schema, NpgsqlConnection conn, NpgsqlCommand insert, NpgsqlParameter[] parameters, NpgsqlCommand[] reads, bool sameStatements)
    {
        _connection = connection;
        _schema = schema;
        _conn = conn;
        _insert = insert;
        _parameters = parameters;
        _reads = reads;
        _sameStatements = sameStatements;
    }

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

    /// <summary>A fresh schema made by the store's migrations, one connection open, the statements prepared.</summary>
    public static async Task<BareNpgsqlLoop> OpenAsync(string connection, CancellationToken cancellationToken, bool sameStatements = false)
    {
        string schema = "bench_bare_" + Guid.NewGuid().ToString("N")[..12];
        string scoped = await CreateSchemaAsync(connection, schema, cancellationToken);
        await using (var store = new PostgresLicenseStore(scoped))
        {
            await store.InitializeAsync(cancellationToken);
        }

        var conn = new NpgsqlConnection(scoped);
        await conn.OpenAsync(cancellationToken);
        var insert = new NpgsqlCommand(
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

        return new BareNpgsqlLoop(connection, schema, conn, insert, parameters, readCommands, sameStatements);
    }

    public Task<TimeSpan> RunAsync(int first, int transactions, Latencies latencies, CancellationToken cancellationToken) =>
        BareLoop.MeasureAsync(
            first,
            transactions,
            latencies,
            async i =>
            {
                await using NpgsqlTransaction transaction = await _conn.BeginTransactionAsync(cancellationToken);
                _insert.Transaction = transaction;
                string[] values = BareLoop.Values(i, _now);
                if (_sameStatements)
                {
                    foreach (NpgsqlCommand read in _reads)
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

                for (int p = 0; p < _parameters.Length; p++)
                {
                    _parameters[p].Value = values[p];
                }

                await _insert.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });

    public async ValueTask DisposeAsync()
    {
        foreach (NpgsqlCommand read in _reads)
        {
            await read.DisposeAsync();
        }

        await _insert.DisposeAsync();
        await _conn.DisposeAsync();
        await DropSchemaAsync(_connection, _schema);
    }
}
