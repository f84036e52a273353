using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using RdLicensing.Storage.Postgres;

namespace RdLicensing.Storage.Migration;

/// <summary>Reads a store's tables row by row from one consistent snapshot, each table ordered by its key.</summary>
internal interface ITableReader : IAsyncDisposable
{
    Task<long> CountAsync(TableSpec table, CancellationToken cancellationToken);

    IAsyncEnumerable<object?[]> RowsAsync(TableSpec table, CancellationToken cancellationToken);
}

/// <summary>Writes a store's tables inside one transaction that holds the store's write lock until commit.</summary>
internal interface ITableWriter : IAsyncDisposable
{
    Task<long> CountAsync(TableSpec table, CancellationToken cancellationToken);

    /// <summary>Removes the rows a fresh store is seeded with (the counters) so copied rows replace them.</summary>
    Task ClearSeedRowsAsync(CancellationToken cancellationToken);

    Task InsertAsync(TableSpec table, IAsyncEnumerable<object?[]> rows, Action<long> copied, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Opens raw table access for a <see cref="StoreLocation"/> (whose schema the store itself has migrated).</summary>
internal static class TableAccess
{
    private const int ProgressEvery = 1000;

    public static async Task<ITableReader> OpenReaderAsync(StoreLocation location, CancellationToken cancellationToken) =>
        location.Kind == "sqlite"
            ? await SqliteTables.OpenAsync(location.ConnectionString, write: false, cancellationToken).ConfigureAwait(false)
            : await PostgresTables.OpenAsync(location.ConnectionString, write: false, cancellationToken).ConfigureAwait(false);

    public static async Task<ITableWriter> OpenWriterAsync(StoreLocation location, CancellationToken cancellationToken) =>
        location.Kind == "sqlite"
            ? await SqliteTables.OpenAsync(location.ConnectionString, write: true, cancellationToken).ConfigureAwait(false)
            : await PostgresTables.OpenAsync(location.ConnectionString, write: true, cancellationToken).ConfigureAwait(false);

    /// <summary>SQLite: a deferred transaction is a snapshot (WAL); BEGIN IMMEDIATE is the write lock.</summary>
    private sealed class SqliteTables : ITableReader, ITableWriter
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;

        private SqliteTables(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
        }

        public static Task<SqliteTables> OpenAsync(string connectionString, bool write, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using (SqliteCommand pragma = connection.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL;";
                    pragma.ExecuteNonQuery();
                }

                SqliteTransaction transaction = connection.BeginTransaction(deferred: !write);
                return Task.FromResult(new SqliteTables(connection, transaction));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public Task<long> CountAsync(TableSpec table, CancellationToken cancellationToken)
        {
            using SqliteCommand command = Command($"SELECT COUNT(*) FROM {table.Name};");
            return Task.FromResult((long)command.ExecuteScalar()!);
        }

        public async IAsyncEnumerable<object?[]> RowsAsync(TableSpec table, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using SqliteCommand command = Command($"SELECT {table.ColumnList} FROM {table.Name} ORDER BY {table.Key};");
            using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new object?[table.Columns.Count];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = StoreTables.Normalize(table.Columns[i], reader.GetValue(i));
                }

                yield return row;
            }
        }

        public Task ClearSeedRowsAsync(CancellationToken cancellationToken)
        {
            using SqliteCommand command = Command("DELETE FROM counters;");
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }

        public async Task InsertAsync(TableSpec table, IAsyncEnumerable<object?[]> rows, Action<long> copied, CancellationToken cancellationToken)
        {
            using SqliteCommand command = Command(
                $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i))});");
            var parameters = table.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("@p" + i, null))).ToArray();
            long count = 0;
            await foreach (object?[] row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                for (int i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] switch
                    {
                        null => DBNull.Value,
                        bool b => b ? 1L : 0L,
                        object value => value,
                    };
                }

                command.ExecuteNonQuery();
                if (++count % ProgressEvery == 0)
                {
                    copied(count);
                }
            }

            copied(count);
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            _transaction.Commit();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _transaction.Dispose();
            _connection.Dispose();
            return ValueTask.CompletedTask;
        }

        private SqliteCommand Command(string sql)
        {
            SqliteCommand command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            return command;
        }
    }

    /// <summary>PostgreSQL: REPEATABLE READ snapshots; the writer holds the deployment advisory lock and copies with binary COPY.</summary>
    private sealed class PostgresTables : ITableReader, ITableWriter
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;

        private PostgresTables(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            _dataSource = dataSource;
            _connection = connection;
            _transaction = transaction;
        }

        public static async Task<PostgresTables> OpenAsync(string connectionString, bool write, CancellationToken cancellationToken)
        {
            NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);
            NpgsqlConnection? connection = null;
            try
            {
                connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                NpgsqlTransaction transaction = await connection.BeginTransactionAsync(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                if (write)
                {
                    await PostgresLicenseStore.BeginWriteUnitAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

                    // A long copy is not idle: only the lock wait above is bounded by the unit's usual timeout.
                    await using var noIdleLimit = new NpgsqlCommand("SELECT set_config('idle_in_transaction_session_timeout', '0', true);", connection, transaction);
                    await noIdleLimit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return new PostgresTables(dataSource, connection, transaction);
            }
            catch
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                await dataSource.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async Task<long> CountAsync(TableSpec table, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table.Name};", _connection, _transaction);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        public async IAsyncEnumerable<object?[]> RowsAsync(TableSpec table, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand($"SELECT {table.ColumnList} FROM {table.Name} ORDER BY {table.Key};", _connection, _transaction);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new object?[table.Columns.Count];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = StoreTables.Normalize(table.Columns[i], reader.GetValue(i));
                }

                yield return row;
            }
        }

        public async Task ClearSeedRowsAsync(CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("DELETE FROM counters;", _connection, _transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task InsertAsync(TableSpec table, IAsyncEnumerable<object?[]> rows, Action<long> copied, CancellationToken cancellationToken)
        {
            long count = 0;
            await using (NpgsqlBinaryImporter importer = await _connection.BeginBinaryImportAsync(
                $"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
            {
                await foreach (object?[] row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < row.Length; i++)
                    {
                        await WriteAsync(importer, table.Columns[i].Kind, row[i], cancellationToken).ConfigureAwait(false);
                    }

                    if (++count % ProgressEvery == 0)
                    {
                        copied(count);
                    }
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (table.Name == "events")
            {
                // Copied sequence numbers are kept; new events continue after the highest.
                await using var restart = new NpgsqlCommand(
                    "SELECT setval(pg_get_serial_sequence('events', 'sequence'), COALESCE((SELECT max(sequence) FROM events), 1), (SELECT max(sequence) FROM events) IS NOT NULL);",
                    _connection,
                    _transaction);
                await restart.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            copied(count);
        }

        public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        private static Task WriteAsync(NpgsqlBinaryImporter importer, ColumnKind kind, object? value, CancellationToken cancellationToken) => value switch
        {
            null => importer.WriteNullAsync(cancellationToken),
            _ => kind switch
            {
                ColumnKind.Text => importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
                ColumnKind.Int32 => importer.WriteAsync((int)value, NpgsqlDbType.Integer, cancellationToken),
                ColumnKind.Int64 => importer.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken),
                ColumnKind.Boolean => importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken),
                ColumnKind.Bytes => importer.WriteAsync((byte[])value, NpgsqlDbType.Bytea, cancellationToken),
                _ => throw new InvalidOperationException($"unknown column kind {kind}"),
            },
        };
    }
}
