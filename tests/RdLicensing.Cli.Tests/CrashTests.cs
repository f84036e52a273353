using System.Collections.Concurrent;
using System.Diagnostics;
using RdLicensing.Cli.Tests.Support;
using RdLicensing.Client;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Tests;

/// <summary>
/// Issue 2, "crash": <c>rdlic serve</c> is killed with SIGKILL while requesters issue and upgrade CALs through the API,
/// then restarted on the same data directory. Every CAL a requester was told it got is stored, none twice, and the key
/// pack's counters agree with its rows.
/// </summary>
public sealed class CrashTests
{
    private const int Requesters = 8;
    private const int PackSize = 400;
    private const int UpgradesBeforeKill = 40;

    private sealed record Told(string LicenseId, string Hwid, string Status, string Outcome);

    [Fact]
    public async Task Sigkill_during_a_request_storm_loses_nothing_and_counts_nothing_twice()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string data = Directory.CreateTempSubdirectory("rdlic-crash-").FullName;
        var told = new ConcurrentQueue<Told>();
        try
        {
            string keyPackId;
            int upgrades = 0;
            await using (ServerProcess first = await ServerProcess.StartAsync(data))
            {
                using LicensingClient admin = first.AdminClient();
                await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Contoso", "US"), ct);
                keyPackId = (await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "BCDFG-HJKMP-QRTVW-XY234-67892", "2022", "per-device", PackSize), ct)).KeyPackId;

                using var stop = new CancellationTokenSource();
                var unexpected = new ConcurrentQueue<Exception>();
                Task[] requesters = Enumerable.Range(0, Requesters).Select(r => Task.Run(async () =>
                {
                    using LicensingClient client = first.AdminClient();
                    try
                    {
                        for (int device = 0; device < 10_000 && !stop.IsCancellationRequested; device++)
                        {
                            string hwid = Devices.Hwid(device, salt: r + 1);
                            var request = new LicenseRequest($"PC-{r}-{device}", hwid, $"user{r}", "2022");
                            LicenseResponse temporary = await client.RequestLicenseAsync(request, stop.Token);
                            Record(temporary, hwid);
                            if (temporary.License is null)
                            {
                                continue;
                            }

                            await client.ValidateLicenseAsync(temporary.License.LicenseId, stop.Token);
                            LicenseResponse permanent = await client.RequestLicenseAsync(request with { PresentedLicenseId = temporary.License.LicenseId }, stop.Token);
                            Record(permanent, hwid);
                            if (permanent.License?.Status == "permanent")
                            {
                                Interlocked.Increment(ref upgrades);
                            }
                        }
                    }
                    catch (Exception ex) when (ex is LicensingServerUnreachableException or OperationCanceledException)
                    {
                        // the server died under us (or we were told to stop): expected
                    }
                    catch (Exception ex) when (first.HasExited)
                    {
                        _ = ex; // any failure after the kill is the crash's doing
                    }
                    catch (Exception ex)
                    {
                        unexpected.Enqueue(ex);
                    }
                })).ToArray();

                var storm = Stopwatch.StartNew();
                while (Volatile.Read(ref upgrades) < UpgradesBeforeKill && storm.Elapsed < TimeSpan.FromMinutes(4) && unexpected.IsEmpty
                       && requesters.Any(t => !t.IsCompleted))
                {
                    await Task.Delay(50, ct);
                }

                Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected));
                Assert.True(Volatile.Read(ref upgrades) >= UpgradesBeforeKill, $"only {upgrades} upgrades before the deadline\n{first.Log}");
                Assert.Contains(requesters, t => !t.IsCompleted);

                await first.KillAsync();
                await Task.WhenAll(requesters).WaitAsync(TimeSpan.FromSeconds(120), ct);
                stop.Cancel();
                Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected));
            }

            await using ServerProcess second = await ServerProcess.StartAsync(data);
            using LicensingClient after = second.AdminClient();
            IReadOnlyList<LicenseDto> stored = await after.ListAllLicensesAsync(cancellationToken: ct);
            KeyPackDto pack = (await after.ListKeyPacksAsync(ct)).Single(p => p.KeyPackId == keyPackId);

            // None twice: license ids are unique, and no device holds two permanent CALs.
            Assert.Equal(stored.Count, stored.Select(l => l.LicenseId).Distinct().Count());
            Assert.All(stored.Where(l => l.Status == "permanent").GroupBy(l => l.Hwid), g => Assert.Single(g));

            // Every CAL a requester was told it got is stored; every device told "permanent" holds that permanent CAL.
            Dictionary<string, LicenseDto> byId = stored.ToDictionary(l => l.LicenseId);
            Assert.NotEmpty(told);
            foreach (Told t in told)
            {
                Assert.True(byId.ContainsKey(t.LicenseId), $"told {t.Outcome} {t.LicenseId} for {t.Hwid}, not stored");
                Assert.Equal(t.Hwid, byId[t.LicenseId].Hwid);
            }

            foreach (Told t in told.Where(t => t.Status == "permanent"))
            {
                LicenseDto row = byId[t.LicenseId];
                Assert.Equal("permanent", row.Status);
                Assert.Equal(keyPackId, row.KeyPackId);
            }

            // The counters agree with the rows.
            int permanentRows = stored.Count(l => l.KeyPackId == keyPackId && l.Status == "permanent");
            Assert.Equal(pack.Total, pack.Issued + pack.Available);
            Assert.Equal(permanentRows, pack.Issued);
            Assert.True(told.Count(t => t.Status == "permanent") <= pack.Issued);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }

        void Record(LicenseResponse response, string hwid)
        {
            if (response.License is { } license)
            {
                told.Enqueue(new Told(license.LicenseId, hwid, license.Status, response.Outcome));
            }
        }
    }
}
