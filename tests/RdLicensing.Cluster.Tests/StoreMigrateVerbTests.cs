using RdLicensing.Client;
using RdLicensing.Cli.Tests.Support;
using RdLicensing.Cluster.Tests.Support;
using RdLicensing.Contracts;
using RdLicensing.Storage.Sqlite;
using RdLicensing.Storage.Tests.Postgres;

namespace RdLicensing.Cluster.Tests;

/// <summary>
/// <c>rdlic store migrate</c> as an admin runs it: a SQLite server's data moved into PostgreSQL, then a node started on
/// PostgreSQL serves the same deployment (server id, key packs, CALs); a second run is refused; bad locations are usage errors.
/// </summary>
public sealed class StoreMigrateVerbTests
{
    [Fact]
    public async Task A_sqlite_server_moves_to_postgres_and_a_node_there_serves_the_same_deployment()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        string directory = Directory.CreateTempSubdirectory("rdlic-sqlite-").FullName;
        try
        {
            await MigrateAndServeAsync(database, Path.Combine(directory, "rdlicensing.db"), ct);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MigrateAndServeAsync(PostgresTestDatabase database, string file, CancellationToken ct)
    {
        HealthDto before;
        IReadOnlyList<LicenseDto> licensesBefore;
        string adminKey;
        await using (InProcessNode sqliteNode = InProcessNode.Create(SqliteLicenseStore.ConnectionStringFor(file), store: "sqlite"))
        {
            await sqliteNode.StartAsync();
            adminKey = InProcessNode.AdminToken(sqliteNode);
            using var admin = new LicensingClient(sqliteNode.Url, adminKey);
            await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), ct);
            await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 20), ct);
            for (int device = 1; device <= 30; device++)
            {
                var request = new LicenseRequest($"PC{device}", Storm.Hwid(device), $"user{device}", "2022");
                LicenseResponse first = await admin.RequestLicenseAsync(request, ct);
                await admin.ValidateLicenseAsync(first.License!.LicenseId, ct);
                await admin.RequestLicenseAsync(request, ct);
            }

            before = await admin.GetHealthAsync(ct);
            licensesBefore = await admin.ListAllLicensesAsync(cancellationToken: ct);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        (int exit, string stdout, string stderr) = await RunRdlicAsync(["store", "migrate", "--from", "sqlite:" + file, "--to", "postgres:" + database.ConnectionString]);

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("verified:", stderr, StringComparison.Ordinal);
        Assert.Contains("copying licenses: 30 rows", stderr, StringComparison.Ordinal);
        Assert.Contains("licenses", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", stderr + stdout, StringComparison.OrdinalIgnoreCase);

        await using ServerProcess node = await ClusterNode.StartAsync(database.ConnectionString);
        using var migrated = new LicensingClient(node.Url, adminKey);
        HealthDto after = await migrated.GetHealthAsync(ct);
        Assert.Equal((before.ServerId, "activated", "postgres"), (after.ServerId, after.ActivationState, after.Store));
        KeyPackDto pack = Assert.Single(await migrated.ListKeyPacksAsync(ct));
        Assert.Equal((20, 20, 0), (pack.Total, pack.Issued, pack.Available));
        Assert.Equal(licensesBefore, await migrated.ListAllLicensesAsync(cancellationToken: ct));

        (int again, _, string refused) = await RunRdlicAsync(["store", "migrate", "--from", "sqlite:" + file, "--to", "postgres:" + database.ConnectionString]);
        Assert.Equal(6, again);
        Assert.Contains("is not empty", refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql:whatever", "--from")]
    [InlineData("sqlite:", "--from")]
    public async Task A_location_that_is_not_sqlite_or_postgres_is_a_usage_error(string from, string option)
    {
        (int exit, _, string stderr) = await RunRdlicAsync(["store", "migrate", "--from", from, "--to", "postgres:Host=127.0.0.1"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {option}: '{from}' is not sqlite:PATH or postgres:CONNECTION-STRING", stderr, StringComparison.Ordinal);
    }

    private static Task<RdlicResult> RunRdlicAsync(IEnumerable<string> args) => Rdlic.RunAsync(args, timeout: TimeSpan.FromMinutes(3));
}
