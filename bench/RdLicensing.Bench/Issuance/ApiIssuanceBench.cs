using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using RdLicensing.Client;
using Microsoft.Extensions.DependencyInjection;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server;
using RdLicensing.Server.Licensing;
using RdLicensing.Storage.Postgres;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Bench.Issuance;

/// <summary>What one run of the API load produced.</summary>
internal sealed record ApiRun(int Requests, int Errors, double Seconds, double P50Ms, double P99Ms, string? FirstError)
{
    public double PerSecond => Requests / Seconds;

    /// <summary>CPU time of the whole process (server and load generator) per request, in milliseconds.</summary>
    public double CpuMsPerRequest { get; init; }

    /// <summary>The same requests made straight into LicensingService in the same process (no HTTP), same concurrency.</summary>
    public ApiRun? InProcess { get; init; }

    /// <summary>Warm-up rounds run before the JIT was quiet (or the cap).</summary>
    public int WarmUpRounds { get; init; }

    /// <summary>As many authenticated HTTP requests the server answers at once (an unknown path: 404), same clients.</summary>
    public ApiRun? HttpFloor { get; init; }

    /// <summary>Each measured slice's rate, in order.</summary>
    public IReadOnlyList<double> SliceRates { get; init; } = [];

    /// <summary>PostgreSQL only: of the measured requests' write units, those whose decision made ahead of the lock stood, and those run again under it.</summary>
    public (long Ahead, long Again)? DecidedAhead { get; init; }

    /// <summary>SQLite only: the measured requests' committed write units, and the log flushes that made them durable (decision 0107).</summary>
    public (long Units, long Flushes)? Flushes { get; init; }

    /// <summary>PostgreSQL only: the measured requests' commits sent ahead of the lock, and the round trips that carried them (decision 0108).</summary>
    public (long Units, long RoundTrips)? CommitRoundTrips { get; init; }
}

/// <summary>
/// CAL issuance through the REST API: a license server on Kestrel at 127.0.0.1 (the real host, the real store), an
/// activated server, one session-host key, and <c>clients</c> concurrent HTTP clients each asking
/// POST /api/licenses/request for a new device (one temporary CAL = one write transaction per request).
/// </summary>
internal static class ApiIssuanceBench
{
    public const string HostVersion = "2022";

    public static string Hwid(long device) => device.ToString("X40", CultureInfo.InvariantCulture);

    /// <summary>
    /// Warms the server up, then measures <paramref name="requests"/> requests in <paramref name="slices"/> slices, calling
    /// <paramref name="beforeSlice"/> before each (where the caller runs its ceiling's slice, so that the ceiling and the
    /// API are measured alternately, under the same conditions of the machine); then the diagnostics.
    /// </summary>
    public static async Task<ApiRun> RunAsync(string store, string? connection, int clients, int warmup, int requests, int slices, Func<int, Task> beforeSlice, CancellationToken cancellationToken)
    {
        string data = Path.Combine(Path.GetTempPath(), "rdlic-bench-api-" + Guid.NewGuid().ToString("N"));
        WebApplication app = LicenseServerHost.Build(new LicenseServerOptions
        {
            DataDirectory = data,
            Urls = "http://127.0.0.1:0",
            Store = store,
            Connection = connection,
        });
        try
        {
            using (var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                start.CancelAfter(TimeSpan.FromSeconds(120));
                await app.StartAsync(start.Token);
            }

            var baseAddress = new Uri(app.Urls.Single());
            string adminKey = (await File.ReadAllTextAsync(Path.Combine(data, "admin.token"), cancellationToken)).Trim();
            string hostKey;
            using (var admin = new LicensingClient(baseAddress, adminKey))
            {
                await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), cancellationToken);
                hostKey = (await admin.AddHostAsync("bench-host", cancellationToken)).Key;
            }

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            long nextDevice = 0;
            // Warm up until the JIT is quiet: the tiered compiler keeps recompiling hot methods (instrumented, then
            // optimized) for a while, and on 2 cores that background work would be measured as the server's cost.
            // A long-running server is past this within its first minutes; the figures below are that steady state.
            int jitQuietAfter = await WarmUpAsync(() => LoadAsync(baseAddress, hostKey, handler, clients, warmup, () => Interlocked.Increment(ref nextDevice), cancellationToken));
            var latencies = new Latencies();
            var rates = new List<double>();
            int perSlice = requests / slices;
            double seconds = 0;
            double cpuMs = 0;
            int errors = 0;
            string? firstError = null;
            LicensingService service = app.Services.GetRequiredService<LicensingService>();
            var postgres = service.Store as PostgresLicenseStore;
            (long Ahead, long Again) before = (postgres?.UnitsDecidedAhead ?? 0, postgres?.UnitsDecidedAgain ?? 0);
            (long RoundTrips, long Units) sentBefore = postgres?.CommitsAhead ?? (0, 0);
            var sqlite = service.Store as SqliteLicenseStore;
            (long Units, long Flushes) flushedBefore = (sqlite?.UnitsCommitted ?? 0, sqlite?.LogFlushes ?? 0);
            for (int slice = 0; slice < slices; slice++)
            {
                await beforeSlice(slice);
                ApiRun part = await LoadAsync(baseAddress, hostKey, handler, clients, perSlice, () => Interlocked.Increment(ref nextDevice), cancellationToken, latencies);
                seconds += part.Seconds;
                cpuMs += part.CpuMsPerRequest * part.Requests;
                errors += part.Errors;
                firstError ??= part.FirstError;
                rates.Add(part.PerSecond);
            }

            ApiRun http = new(perSlice * slices, errors, seconds, latencies.PercentileMs(50), latencies.PercentileMs(99), firstError)
            {
                CpuMsPerRequest = cpuMs / (perSlice * slices),
                SliceRates = rates,
                DecidedAhead = postgres is null ? null : (postgres.UnitsDecidedAhead - before.Ahead, postgres.UnitsDecidedAgain - before.Again),
                Flushes = sqlite is null ? null : (sqlite.UnitsCommitted - flushedBefore.Units, sqlite.LogFlushes - flushedBefore.Flushes),
                CommitRoundTrips = postgres is null ? null : (postgres.CommitsAhead.Units - sentBefore.Units, postgres.CommitsAhead.RoundTrips - sentBefore.RoundTrips),
            };
            ApiRun direct = await InProcessAsync(service, clients, requests, () => Interlocked.Increment(ref nextDevice), cancellationToken);
            ApiRun floor = await HttpFloorAsync(baseAddress, hostKey, handler, clients, requests, cancellationToken);
            return http with { InProcess = direct, HttpFloor = floor, WarmUpRounds = jitQuietAfter };
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
            TryDelete(data);
        }
    }

    private static Task<ApiRun> LoadAsync(Uri baseAddress, string hostKey, HttpMessageHandler handler, int clients, int requests, Func<long> nextDevice, CancellationToken cancellationToken, Latencies? latencies = null) =>
        RunWorkersAsync(
            clients,
            requests,
            nextDevice,
            () =>
            {
                var client = new LicensingClient(baseAddress, hostKey, handler);
                return (
                    async device =>
                    {
                        try
                        {
                            LicenseResponse response = await client.RequestLicenseAsync(
                                new LicenseRequest($"PC{device}", Hwid(device), $"user{device}", HostVersion), cancellationToken);
                            return response.Outcome == "issued-temporary" ? null : $"outcome {response.Outcome}: {response.Message}";
                        }
                        catch (Exception e) when (e is HttpRequestException or LicensingApiException or TaskCanceledException)
                        {
                            return e.Message;
                        }
                    },
                    client);
            },
            cancellationToken,
            latencies);

    /// <summary>
    /// Runs <paramref name="round"/> until a round compiles fewer than <see cref="JitQuietMethods"/> methods (JIT, any
    /// tier), at least twice and at most <see cref="MaxWarmUpRounds"/> times; returns the rounds run.
    /// </summary>
    internal static async Task<int> WarmUpAsync(Func<Task> round)
    {
        for (int i = 1; ; i++)
        {
            long before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round();
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
            if ((i >= 2 && compiled < JitQuietMethods) || i >= MaxWarmUpRounds)
            {
                return i;
            }
        }
    }

    internal const int JitQuietMethods = 20;
    internal const int MaxWarmUpRounds = 15;

    // What HTTP alone costs here: the same clients and connections, the same key, a path the server answers with 404.
    private static Task<ApiRun> HttpFloorAsync(Uri baseAddress, string hostKey, HttpMessageHandler handler, int clients, int requests, CancellationToken cancellationToken) =>
        RunWorkersAsync(
            clients,
            requests,
            () => 0,
            () =>
            {
                var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", hostKey);
                return (
                    async _ =>
                    {
                        using HttpResponseMessage response = await client.GetAsync("api/no-such-resource", cancellationToken);
                        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : $"status {(int)response.StatusCode}";
                    },
                    client);
            },
            cancellationToken);

    // The HTTP run's requests without HTTP: what the licensing service and the store do per request, for the notes.
    private static Task<ApiRun> InProcessAsync(LicensingService service, int clients, int requests, Func<long> nextDevice, CancellationToken cancellationToken) =>
        RunWorkersAsync(
            clients,
            requests,
            nextDevice,
            () => (
                async device =>
                {
                    CalRequest request = CalRequest.Parse($"PC{device}", Hwid(device), $"user{device}", HostVersion, null, null, null);
                    LicenseGrant grant = await service.RequestAsync(request, "bench-host", cancellationToken);
                    return grant.Decision.Outcome == LicenseOutcome.IssuedTemporary && grant.Cal is not null ? null : $"outcome {grant.Decision.Outcome}";
                },
                null),
            cancellationToken);

    /// <summary>
    /// <paramref name="clients"/> workers share <paramref name="requests"/> requests, each a new device; a worker's request
    /// returns null or an error message. Wall time, latencies (also added to <paramref name="into"/>), errors, and the
    /// process's CPU time per request.
    /// </summary>
    private static async Task<ApiRun> RunWorkersAsync(
        int clients, int requests, Func<long> nextDevice, Func<(Func<long, Task<string?>> Request, IDisposable? Owned)> worker, CancellationToken cancellationToken, Latencies? into = null)
    {
        var latencies = new Latencies();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        int remaining = requests;
        int errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        Task[] workers = Enumerable.Range(0, clients).Select(_ => Task.Run(
            async () =>
            {
                (Func<long, Task<string?>> request, IDisposable? owned) = worker();
                using (owned)
                {
                    var mine = new List<long>();
                    while (Interlocked.Decrement(ref remaining) >= 0)
                    {
                        long begin = Stopwatch.GetTimestamp();
                        if (await request(nextDevice()) is { } error)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, error, null);
                        }

                        mine.Add(Stopwatch.GetTimestamp() - begin);
                    }

                    latencies.AddRange(mine);
                }
            },
            cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / requests;
        into?.AddRange(latencies);
        return new ApiRun(requests, errors, clock.Elapsed.TotalSeconds, latencies.PercentileMs(50), latencies.PercentileMs(99), firstError) { CpuMsPerRequest = cpuMs };
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
