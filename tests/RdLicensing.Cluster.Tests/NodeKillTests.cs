using RdLicensing.Client;
using RdLicensing.Cluster.Tests.Support;
using RdLicensing.Contracts;
using RdLicensing.Storage.Tests.Postgres;

namespace RdLicensing.Cluster.Tests;

/// <summary>
/// Two <c>rdlic serve --store postgres</c> child processes on one database; one is killed with SIGKILL in the middle of
/// the storm. Requesters fail over to the other node (the client-side loop of <see cref="Storm"/>); afterwards no CAL a
/// requester was told about is missing and none is counted twice.
/// </summary>
public sealed class NodeKillTests
{
    [Fact]
    public async Task A_node_killed_mid_storm_loses_no_cal_and_counts_none_twice()
    {
        const int Devices = 5000;
        const int Cals = 1000;
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using NodeProcess doomed = await NodeProcess.StartAsync(database.ConnectionString);
        await using NodeProcess survivor = await NodeProcess.StartAsync(database.ConnectionString);
        string adminKey = File.ReadAllText(Path.Combine(doomed.DataDirectory, "admin.token")).Trim();
        using var admin = new LicensingClient(survivor.Url, adminKey);
        using var anonymous = new LicensingClient(doomed.Url, null);
        HealthDto doomedHealth = await anonymous.GetHealthAsync(ct);
        HealthDto survivorHealth = await admin.GetHealthAsync(ct);
        Assert.Equal(doomedHealth.ServerId, survivorHealth.ServerId);
        Assert.NotEqual(doomedHealth.Node, survivorHealth.Node);

        await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), ct);
        KeyPackDto pack = await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", Cals), ct);
        string hostKey = (await admin.AddHostAsync("rdsh-storm", ct)).Key;
        string auditorKey = (await admin.CreateKeyAsync(new CreateKeyRequest("watcher", "auditor"), ct)).Key;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(20));

        // Killed when a tenth of the devices are through: about half the pack is issued, so upgrades are still being
        // decided on both nodes, and 32 devices are mid-flow.
        StormResult result = await Storm.RunAsync(
            [doomed.Url, survivor.Url], hostKey, auditorKey, requesters: 32, Devices, killAt: Devices / 10, kill: doomed.KillAsync, timeout.Token);

        Assert.True(doomed.HasExited);
        Assert.False(survivor.HasExited, survivor.Log);
        Assert.True(result.Failovers > 0, "no requester had to fail over: the kill did not happen mid-storm");
        await Storm.AssertOutcomeAsync(result, admin, pack, Devices, Cals, timeout.Token);
        HealthDto after = await admin.GetHealthAsync(ct);
        Assert.Equal(("ok", survivorHealth.Node), (after.Status, after.Node));
    }
}
