using Microsoft.Data.Sqlite;
using RdLicensing.Domain;
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

    [Fact]
    public async Task A_statement_that_fails_leaves_the_writer_connection_usable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ILicenseStore store = OpenStore();
        await store.InitializeAsync(ct);
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        IssuedLicense Cal(string id, int device) => IssuedLicense.Restore(
            id, null, CalType.PerDevice, LicenseStatus.Temporary, true, ProductVersions.V2022, "PC" + device, "u",
            HardwareId.Parse(device.ToString("X40", System.Globalization.CultureInfo.InvariantCulture)), now, now.AddDays(90), false, null, null);

        await store.WriteAsync(s => { s.AddLicense(Cal("L1", 1)); return true; }, ct);

        // The same prepared INSERT fails on the duplicate key; the unit rolls back, including its first insert.
        await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(
            s =>
            {
                s.AddLicense(Cal("L2", 2));
                s.AddLicense(Cal("L1", 1));
                return true;
            },
            ct));

        // The same statement works in the next unit, and the store holds exactly what committed.
        await store.WriteAsync(s => { s.AddLicense(Cal("L3", 3)); return true; }, ct);
        Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L1"), ct));
        Assert.Null(await store.ReadAsync(s => s.FindLicense("L2"), ct));
        Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L3"), ct));
    }
}
