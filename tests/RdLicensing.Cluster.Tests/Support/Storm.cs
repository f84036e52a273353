using System.Collections.Concurrent;
using System.Net;
using RdLicensing.Client;
using RdLicensing.Contracts;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>What a storm saw: every license a requester was told about, the key pack at every observation, failovers.</summary>
internal sealed record StormResult(
    IReadOnlyList<(int Device, string Step, LicenseResponse Response)> Told,
    IReadOnlyList<KeyPackDto> Observations,
    int Failovers);

/// <summary>
/// Requesters spread over the nodes of one deployment, each walking devices through request → validate → request (the
/// flow of a session host: temporary CAL, successful logon, upgrade). A requester whose node does not answer (refused
/// connection, broken connection, 5xx) retries the same step on the next node: the client-side failover loop.
/// Meanwhile an observer reads the key pack from the nodes in turn.
/// </summary>
internal static class Storm
{
    private const int MaxAttempts = 40;

    public static string Hwid(int device) => $"02000000{device:X8}{new string('D', 24)}";

    public static async Task<StormResult> RunAsync(
        IReadOnlyList<Uri> nodes, string hostKey, string auditorKey, int requesters, int devices, int killAt, Func<Task>? kill, CancellationToken cancellationToken)
    {
        var told = new ConcurrentQueue<(int, string, LicenseResponse)>();
        int next = 0;
        int done = 0;
        int failovers = 0;

        async Task<T> WithFailover<T>(LicensingClient[] clients, int preferred, Func<LicensingClient, Task<T>> call)
        {
            int current = preferred;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await call(clients[current]);
                }
                catch (Exception exception) when (attempt < MaxAttempts && IsNodeFailure(exception))
                {
                    Interlocked.Increment(ref failovers);
                    current = (current + 1) % clients.Length;
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * attempt, 1000)), cancellationToken);
                }
            }
        }

        async Task Requester(int index)
        {
            LicensingClient[] clients = [.. nodes.Select(n => new LicensingClient(n, hostKey, Handler()))];
            try
            {
                int preferred = index % clients.Length;
                for (int device = Interlocked.Increment(ref next); device <= devices; device = Interlocked.Increment(ref next))
                {
                    var request = new LicenseRequest($"PC{device}", Hwid(device), $"user{device}", "2022");
                    LicenseResponse first = await WithFailover(clients, preferred, c => c.RequestLicenseAsync(request, cancellationToken));
                    told.Enqueue((device, "first", first));
                    await WithFailover(clients, preferred, c => c.ValidateLicenseAsync(first.License!.LicenseId, cancellationToken));
                    LicenseResponse second = await WithFailover(clients, preferred, c => c.RequestLicenseAsync(request, cancellationToken));
                    told.Enqueue((device, "second", second));
                    if (Interlocked.Increment(ref done) == killAt && kill is not null)
                    {
                        await kill();
                    }
                }
            }
            finally
            {
                foreach (LicensingClient client in clients)
                {
                    client.Dispose();
                }
            }
        }

        Task storm = Task.WhenAll(Enumerable.Range(0, requesters).Select(i => Task.Run(() => Requester(i), cancellationToken)));
        var observations = new List<KeyPackDto>();
        LicensingClient[] auditors = [.. nodes.Select(n => new LicensingClient(n, auditorKey, Handler()))];
        try
        {
            int turn = 0;
            while (!storm.IsCompleted && observations.Count < 20_000)
            {
                int node = turn++ % auditors.Length;
                try
                {
                    observations.Add(Assert.Single(await auditors[node].ListKeyPacksAsync(cancellationToken)));
                }
                catch (Exception exception) when (IsNodeFailure(exception))
                {
                    await Task.Delay(20, cancellationToken);
                }
            }

            await storm;
            observations.Add(Assert.Single(await WithFailover(auditors, 0, c => c.ListKeyPacksAsync(cancellationToken))));
        }
        finally
        {
            foreach (LicensingClient auditor in auditors)
            {
                auditor.Dispose();
            }
        }

        return new StormResult([.. told], observations, failovers);
    }

    /// <summary>
    /// The checks after a storm, against the deployment's own records read from <paramref name="survivor"/>: exactly
    /// <paramref name="cals"/> permanent CALs, each device holding one CAL, every CAL a requester was told about present
    /// (a permanent one still permanent), none counted twice, and issued + available = total at every observation.
    /// </summary>
    public static async Task AssertOutcomeAsync(StormResult result, LicensingClient survivor, KeyPackDto pack, int devices, int cals, CancellationToken cancellationToken)
    {
        Assert.NotEmpty(result.Observations);
        Assert.All(result.Observations, o => Assert.Equal(o.Total, o.Issued + o.Available));
        Assert.All(result.Observations, o => Assert.InRange(o.Issued, 0, cals));
        KeyPackDto final = Assert.Single(await survivor.ListKeyPacksAsync(cancellationToken));
        Assert.Equal((pack.KeyPackId, cals, cals, 0), (final.KeyPackId, final.Total, final.Issued, final.Available));

        IReadOnlyList<LicenseDto> all = await survivor.ListAllLicensesAsync(cancellationToken: cancellationToken);
        Assert.Equal(all.Count, all.Select(l => l.LicenseId).Distinct().Count());
        Assert.Equal(devices, all.Count);
        Assert.Equal(devices, all.Select(l => l.Hwid).Distinct().Count());
        Assert.All(all, l => Assert.Contains(l.Status, (string[])["temporary", "permanent"]));
        LicenseDto[] permanent = [.. all.Where(l => l.Status == "permanent")];
        Assert.Equal(cals, permanent.Length);
        Assert.All(permanent, l => Assert.Equal(pack.KeyPackId, l.KeyPackId));

        // Every CAL a requester was told about is there; one told permanent is still permanent, from the same key pack.
        Dictionary<string, LicenseDto> byId = all.ToDictionary(l => l.LicenseId);
        Assert.Equal(devices * 2, result.Told.Count);
        foreach ((int device, string step, LicenseResponse response) in result.Told)
        {
            LicenseDto toldLicense = Assert.IsType<LicenseDto>(response.License);
            Assert.True(byId.TryGetValue(toldLicense.LicenseId, out LicenseDto? stored), $"device {device} ({step}) was told about {toldLicense.LicenseId}, which is not in the store");
            Assert.Equal(Hwid(device), stored.Hwid);
            if (toldLicense.Status == "permanent")
            {
                Assert.Equal(("permanent", pack.KeyPackId), (stored.Status, stored.KeyPackId));
            }
        }

        // What the requesters were told last agrees with the store: cals devices permanent, the rest temporary.
        Dictionary<int, LicenseDto> last = result.Told.Where(t => t.Step == "second").ToDictionary(t => t.Device, t => t.Response.License!);
        Assert.Equal(devices, last.Count);
        Assert.Equal(cals, last.Values.Count(l => l.Status == "permanent"));
        Assert.All(last, kv => Assert.Equal(byId[kv.Value.LicenseId].Status, kv.Value.Status));
    }

    private static SocketsHttpHandler Handler() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static bool IsNodeFailure(Exception exception) => exception switch
    {
        LicensingServerUnreachableException => true,
        LicensingApiException api => (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.RequestTimeout,
        HttpRequestException => true,
        _ => false,
    };
}
