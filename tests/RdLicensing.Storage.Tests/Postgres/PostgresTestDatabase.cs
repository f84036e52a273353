using Npgsql;

namespace RdLicensing.Storage.Tests.Postgres;

/// <summary>
/// A fresh database for one test on the PostgreSQL server named by RDLIC_TEST_PG (test.sh creates a throwaway cluster
/// and exports it). Without the variable the test is skipped on a developer box and fails under CI=true. Disposing drops
/// the database (WITH (FORCE): connections a killed node left behind do not keep it).
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "RDLIC_TEST_PG";

    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name (rdlic_t_…).</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string for the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's connection string from RDLIC_TEST_PG; skips (or fails under CI=true) when it is unset.</summary>
    public static string ServerConnectionString()
    {
        string? server = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(server))
        {
            return server;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{Variable} is not set: under CI the PostgreSQL tests must run (test.sh starts a cluster when run as root)");
        }

        Assert.Skip($"{Variable} is not set: no PostgreSQL server to test against");
        return "";
    }

    /// <summary>Creates an empty database for this test.</summary>
    public static PostgresTestDatabase Create()
    {
        string server = ServerConnectionString();
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false, Timeout = 15, CommandTimeout = 60 };
        string name = "rdlic_t_" + Guid.NewGuid().ToString("N")[..20];
        using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            command.ExecuteNonQuery();
        }

        var database = new NpgsqlConnectionStringBuilder(server) { Database = name, Timeout = 15, CommandTimeout = 120 };
        return new PostgresTestDatabase(admin.ConnectionString, name, database.ConnectionString);
    }

    /// <summary>Runs one statement on the test database (outside any store) and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
