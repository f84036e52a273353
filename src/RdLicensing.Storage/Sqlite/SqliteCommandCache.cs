using Microsoft.Data.Sqlite;

namespace RdLicensing.Storage.Sqlite;

/// <summary>
/// The prepared statements of the store's writer connection, one command per SQL text. Microsoft.Data.Sqlite keeps a
/// command's statements prepared while its text and connection stay the same, so the write path parses each statement
/// once per connection instead of once per call. Used by one write unit at a time (the store's write gate).
/// </summary>
internal sealed class SqliteCommandCache : IDisposable
{
    // The store's SQL is a fixed set of constant strings; the bound keeps a bug from growing it without limit.
    private const int MaxCommands = 256;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommandCache(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>The command for <paramref name="sql"/> in <paramref name="transaction"/>, with no parameters bound.</summary>
    public SqliteCommand Get(string sql, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            if (_commands.Count >= MaxCommands)
            {
                Clear();
            }

            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (SqliteCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
