using System.Collections.Concurrent;
using System.Net.Http.Json;
using RdLicensing.Contracts;

namespace RdLicensing.Server.Tests;

public sealed class ConcurrencyTests
{
    private const int Requesters = 16;
    private const int Devices = 2000;
    private const int Cals = 500;

    [Fact]
    public async Task Sixteen_requesters_two_thousand_devices_five_hundred_cals_exactly_five_hundred_permanent()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        string hostKey = await server.CreateKeyAsync("rdsh-storm", "host");
        KeyPackDto pack = await Api.InstallAsync(admin, Cals);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(15));
        var outcomes = new ConcurrentBag<LicenseResponse>();
        int next = 0;
        async Task Requester()
        {
            using HttpClient host = server.Client(hostKey);
            for (int device = Interlocked.Increment(ref next); device <= Devices; device = Interlocked.Increment(ref next))
            {
                LicenseResponse first = await Api.RequestAsync(host, device, cancellationToken: timeout.Token);
                Assert.Equal("issued-temporary", first.Outcome);
                await Api.ValidateAsync(host, first.License!.LicenseId, timeout.Token);
                outcomes.Add(await Api.RequestAsync(host, device, cancellationToken: timeout.Token));
            }
        }

        Task storm = Task.WhenAll(Enumerable.Range(0, Requesters).Select(_ => Task.Run(Requester, timeout.Token)));
        var observations = new List<KeyPackDto>();
        using (HttpClient auditor = server.Client(await server.CreateKeyAsync("watcher", "auditor")))
        {
            while (!storm.IsCompleted && observations.Count < 10_000)
            {
                observations.Add(Assert.Single(await Api.KeyPacksAsync(auditor, timeout.Token)));
            }
        }

        await storm;
        observations.Add(Assert.Single(await Api.KeyPacksAsync(admin, timeout.Token)));

        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Equal(o.Total, o.Issued + o.Available));
        Assert.All(observations, o => Assert.InRange(o.Issued, 0, Cals));
        Assert.Equal(Devices, outcomes.Count);
        Assert.Equal(Cals, outcomes.Count(o => o.Outcome == "upgraded"));
        Assert.Equal(Devices - Cals, outcomes.Count(o => o.Outcome == "valid" && o.License!.Status == "temporary"));
        KeyPackDto final = observations[^1];
        Assert.Equal((Cals, Cals, 0), (final.Total, final.Issued, final.Available));
        LicensePageDto permanent = (await admin.GetFromJsonAsync<LicensePageDto>($"/api/licenses?status=permanent&keyPackId={pack.KeyPackId}&take=1", timeout.Token))!;
        Assert.Equal(Cals, permanent.Total);
    }
}
