using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RdLicensing.Client;
using RdLicensing.Cli.Tests.Support;
using RdLicensing.Cluster.Tests.Support;
using RdLicensing.Contracts;
using RdLicensing.Crypto.Cal;
using RdLicensing.Domain;
using RdLicensing.Storage;
using RdLicensing.Storage.Postgres;
using RdLicensing.Storage.Tests.Postgres;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Cluster.Tests;

/// <summary>
/// Two <c>rdlic serve --store postgres</c> child processes on one database; one is killed with SIGKILL in the middle of
/// a storm, and afterwards no CAL anyone was told about is missing and none is counted twice. In the first test REST
/// requesters fail over by themselves (the client-side loop of <see cref="Storm"/>); in the second the storm is RDP
/// clients of a host-only session host, whose own failover (ordered license servers, back-off, event 1131) carries it
/// to the surviving node. One class, so the two storms never share the machine's two cores.
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
        await using ServerProcess doomed = await ClusterNode.StartAsync(database.ConnectionString);
        await using ServerProcess survivor = await ClusterNode.StartAsync(database.ConnectionString);
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

    [Fact]
    public async Task A_node_killed_mid_storm_the_session_host_fails_over_and_no_cal_a_client_got_is_lost_or_counted_twice()
    {
        const int Devices = 300;
        const int Cals = 120;
        const int Concurrency = 24;
        const int KillAt = 75;
        const int Reconnecting = 24;
        CancellationToken ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using ServerProcess doomed = await ClusterNode.StartAsync(database.ConnectionString);
        await using ServerProcess survivor = await ClusterNode.StartAsync(database.ConnectionString);
        string adminKey = File.ReadAllText(Path.Combine(doomed.DataDirectory, "admin.token")).Trim();
        using var admin = new LicensingClient(survivor.Url, adminKey);
        await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), ct);
        KeyPackDto pack = await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", Cals), ct);
        string hostKey = (await admin.AddHostAsync("rdsh-failover", ct)).Key;

        // The session host lists the doomed node first: it is the one the host uses until it dies. Each license server
        // may take 30 seconds (not the default 5) so that a slow answer on a loaded two-core machine is not mistaken for
        // a dead node; a killed node needs no timeout (its connections close, new ones are refused).
        string doomedName = doomed.Url.ToString().TrimEnd('/');
        string survivorName = survivor.Url.ToString().TrimEnd('/');
        await using HostOnlySessionHost host = await HostOnlySessionHost.StartAsync([doomedName, survivorName], hostKey, "rdsh-failover", TimeSpan.FromSeconds(30), ct);
        IPEndPoint endPoint = host.EndPoint;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));

        // Each device: a first connection (no CAL: NEW_LICENSE with a temporary CAL, validated by the host once the
        // exchange completed), then a second presenting that CAL (UPGRADE_LICENSE to a permanent CAL while the key pack
        // has CALs, STATUS_VALID_CLIENT after). The doomed node is killed when a quarter of the devices are through,
        // with the key pack not yet used up, so upgrades are being decided when it dies.
        var told = new ConcurrentQueue<(int Device, int Step, bool AfterKill, RdpCalAnswer Answer)>();
        var failed = new ConcurrentQueue<(int Device, int Step, bool AfterKill, string Error)>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int next = 0;
        int done = 0;
        int failoversBeforeKill = -1;
        bool doomedBackingOffBeforeKill = true;

        async Task<RdpCalAnswer?> ConnectAsync(int device, int step, byte[]? storedCal)
        {
            bool afterKill = killed.Task.IsCompleted;
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            connection.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                RdpCalAnswer answer = await RdpCalClient.ConnectAsync(endPoint, Machine(device), storedCal, connection.Token);
                told.Enqueue((device, step, afterKill, answer));
                return answer;
            }
            catch (Exception exception) when (exception is IOException or SocketException || exception is OperationCanceledException && !timeout.IsCancellationRequested)
            {
                // The host closed the connection or did not answer: this client was told nothing.
                failed.Enqueue((device, step, afterKill, $"{exception.GetType().Name}: {exception.Message}"));
                return null;
            }
        }

        async Task ClientsAsync()
        {
            for (int device = Interlocked.Increment(ref next); device <= Devices; device = Interlocked.Increment(ref next))
            {
                RdpCalAnswer? first = await ConnectAsync(device, 1, null);
                if (first?.Cal is { } cal)
                {
                    await host.Licensing.WhenValidationsDoneAsync();
                    await ConnectAsync(device, 2, cal);
                }

                if (Interlocked.Increment(ref done) == KillAt)
                {
                    failoversBeforeKill = host.Events.Count(e => e.EventId == WindowsEventIds.LicenseServerUnreachable);
                    doomedBackingOffBeforeKill = host.Licensing.Pool.IsBackingOff(doomedName);
                    await doomed.KillAsync();
                    killed.SetResult();
                }
            }
        }

        var storm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(ClientsAsync, timeout.Token)));
        storm.Stop();
        string Report() =>
            $"session-host storm: {Devices} devices, {Concurrency} at a time; {told.Count} answers ({told.Count(t => t.Answer.Answer == LicensingMessageType.NewLicense)} NEW_LICENSE, "
            + $"{told.Count(t => t.Answer.Answer == LicensingMessageType.UpgradeLicense)} UPGRADE_LICENSE, {told.Count(t => t.Answer.IsValidClient)} STATUS_VALID_CLIENT, "
            + $"{told.Count(t => t.AfterKill)} after the kill); {failed.Count} connections failed at the kill"
            + (failed.IsEmpty ? "" : $" ({string.Join("; ", failed.Select(f => $"device {f.Device} step {f.Step}: {f.Error}"))})")
            + $"; events 1131 before the kill {failoversBeforeKill}, in all {host.Events.Count(e => e.EventId == WindowsEventIds.LicenseServerUnreachable)}; "
            + $"storm {storm.Elapsed.TotalSeconds:0.0} s, test so far {clock.Elapsed.TotalSeconds:0.0} s";
        TestContext.Current.TestOutputHelper?.WriteLine(Report());
        Assert.True(killed.Task.IsCompleted, "the doomed node was never killed");
        Assert.True(doomed.HasExited);
        Assert.False(survivor.HasExited, survivor.Log);

        // Until the kill the host used the first node only; the kill made it fail over and say so (event 1131).
        Assert.Equal(0, failoversBeforeKill);
        Assert.False(doomedBackingOffBeforeKill);
        Assert.Contains(host.Events, e => e.EventId == WindowsEventIds.LicenseServerUnreachable && e.Message.Contains(doomedName, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Events, e => e.EventId == WindowsEventIds.LicenseServerUnreachable && e.Message.Contains(survivorName, StringComparison.Ordinal));

        // The storm went on: every connection that started after the kill got its answer from the survivor, and every
        // new device among them a CAL (not a grace-period admission, which would hide a host that reaches no server).
        Assert.DoesNotContain(failed, f => f.AfterKill);
        (int Device, int Step, bool AfterKill, RdpCalAnswer Answer)[] afterKill = [.. told.Where(t => t.AfterKill)];
        Assert.All(afterKill.Where(t => t.Step == 1), t => Assert.Equal(LicensingMessageType.NewLicense, t.Answer.Answer));
        Assert.True(afterKill.Count(t => t.Step == 1) >= Concurrency, $"only {afterKill.Count(t => t.Step == 1)} devices first connected after the kill");
        Assert.Contains(afterKill, t => t.Answer.Answer == LicensingMessageType.UpgradeLicense);

        // No connection was refused: each was given a CAL or admitted with one it holds (a valid client).
        Assert.All(told, t => Assert.True(t.Answer.Cal is not null || t.Answer.IsValidClient, $"device {t.Device} step {t.Step}: {t.Answer.Error}"));

        // Clients that got their CAL from the doomed node come back while the host uses the survivor: the CAL is
        // accepted (verified against the deployment's trust, known to the survivor), never replaced or refused.
        Dictionary<int, byte[]> lastBeforeKill = told.Where(t => !t.AfterKill && t.Answer.Cal is not null)
            .GroupBy(t => t.Device).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Step).Last().Answer.Cal!);
        int[] returning = [.. lastBeforeKill.Keys.Order().Take(Reconnecting)];
        Assert.Equal(Reconnecting, returning.Length);
        Assert.Contains(returning, d => ClientLicenseReader.Read(lastBeforeKill[d]).Temporary == false);
        RdpCalAnswer?[] returned = await Task.WhenAll(returning.Select(d => ConnectAsync(d, 3, lastBeforeKill[d])));
        Assert.All(returned, a => Assert.True(a is { IsValidClient: true } or { Answer: LicensingMessageType.UpgradeLicense }, $"a returning client was answered {a?.Answer} {a?.Error}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{returning.Length} clients holding a CAL from the killed node came back: all admitted. " + Report());

        // The deployment's records, read through the survivor.
        IReadOnlyList<LicenseDto> all = await admin.ListAllLicensesAsync(cancellationToken: timeout.Token);
        Dictionary<string, LicenseDto> byId = all.ToDictionary(l => l.LicenseId);
        Assert.Equal(all.Count, all.Select(l => l.Hwid).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(all, l => Assert.Contains(l.Status, (string[])["temporary", "permanent"]));
        Assert.InRange(all.Count, Devices - failed.Count(f => f.Step == 1), Devices);

        // Every CAL a client was told about is there, once, for that very device; one told permanent is permanent.
        var toldCals = told.Where(t => t.Answer.Cal is not null).Select(t => (t.Device, Info: ClientLicenseReader.Read(t.Answer.Cal!))).ToList();
        foreach ((int device, RdLicensing.Crypto.Cal.ClientLicenseInfo info) in toldCals)
        {
            Assert.True(byId.TryGetValue(info.LicenseId, out LicenseDto? stored), $"device {device} was told about {info.LicenseId}, which is not in the store");
            Assert.Equal(Convert.ToHexString(RdpCalClient.Hwid(Machine(device))), stored.Hwid, StringComparer.OrdinalIgnoreCase);
            if (info.Temporary == false)
            {
                Assert.Equal(("permanent", pack.KeyPackId), (stored.Status, stored.KeyPackId));
            }
        }

        Assert.All(toldCals.GroupBy(c => c.Info.LicenseId), g => Assert.Single(g.Select(c => c.Device).Distinct()));
        int toldPermanent = toldCals.Where(c => c.Info.Temporary == false).Select(c => c.Info.LicenseId).Distinct().Count();
        Assert.InRange(toldPermanent, Cals - Concurrency, Cals);

        // The key pack's counters equal the rows: all of it issued, once each, and never more.
        Assert.Equal(Cals, all.Count(l => l.Status == "permanent"));
        KeyPackDto final = Assert.Single(await admin.ListKeyPacksAsync(timeout.Token));
        Assert.Equal((Cals, Cals, 0), (final.Total, final.Issued, final.Available));
        await using (var store = new PostgresLicenseStore(database.ConnectionString))
        {
            IReadOnlyList<KeyPackConsistency> consistency = await store.ReadAsync(s => s.CheckConsistency(), timeout.Token);
            Assert.All(consistency, c => Assert.True(c.Agrees, $"{c.KeyPackId}: issued {c.Issued}, rows {c.ActiveRows}, total {c.Total}"));
            Assert.Contains(consistency, c => c.KeyPackId == pack.KeyPackId && c.Issued == Cals && c.ActiveRows == Cals);
        }

    }

    private static string Machine(int device) => $"STORM{device:D5}";
}
