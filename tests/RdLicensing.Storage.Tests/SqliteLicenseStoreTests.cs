using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Tests;

/// <summary>The store contract on an SQLite file in a temporary directory.</summary>
public sealed class SqliteLicenseStoreTests : LicenseStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rdlic-store-" + Guid.NewGuid().ToString("N"));

    protected override ILicenseStore OpenStore()
    {
        Directory.CreateDirectory(_directory);
        return new SqliteLicenseStore(SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlicensing.db")));
    }

    protected override ValueTask DropAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_database_is_in_wal_mode()
    {
        ILicenseStore store = OpenStore();
        await using (store)
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlicensing.db")));
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
    }
}
