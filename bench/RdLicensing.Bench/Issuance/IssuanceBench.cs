namespace RdLicensing.Bench.Issuance;

/// <summary>Benchmarks 1 and 2: CAL issuance through the REST API against a bare loop of the same transactions.</summary>
internal static class IssuanceBench
{
    public const int Clients = 32;

    /// <summary>
    /// The measured requests and the ceiling's transactions are run in this many alternating slices (ceiling, API,
    /// ceiling, API, …), so both are measured at the same moments of the machine: on this virtual machine the same bare
    /// loop ran anywhere between 1,065 and 1,917 tx/s from one minute to the next.
    /// </summary>
    public const int Slices = 5;

    public static async Task<Section> SqliteAsync(bool quick, CancellationToken cancellationToken)
    {
        var section = new Section(
            "1. CAL issuance, REST API on embedded SQLite",
            $"POST /api/licenses/request from {Clients} concurrent HTTP clients (one keep-alive connection each) over 127.0.0.1 to the real " +
            "license server (Kestrel, API-key authentication, the licensing engine, CAL signing, SqliteLicenseStore in WAL: a " +
            "request is answered only once its commit is flushed to disk, decision 0107); every request is a new device, so " +
            "every request commits one temporary CAL. Ceiling: the same row written in the same number of transactions (BEGIN " +
            "IMMEDIATE … COMMIT, then the log flushed to disk) by a bare Microsoft.Data.Sqlite loop on a database made by the " +
            "store's own migrations, with the same settings and durability, one transaction at a time. The load generator " +
            "shares the machine's cores with the server.");
        int requests = quick ? 600 : 10_000;
        int warmup = quick ? 100 : 1_000;
        await using BareSqliteLoop loop = await BareSqliteLoop.OpenAsync(cancellationToken);
        var bare = new BareTotals();
        ApiRun run = await RunSlicedAsync("sqlite", null, loop, bare, warmup, requests, cancellationToken);
        AddApiFigures(section, run, bare, "bare Microsoft.Data.Sqlite loop", sqlite: true);
        if (run.Flushes is { } flushes)
        {
            section.Add(new Figure("diagnostic: committed write units per log flush (decision 0107)", flushes.Flushes == 0 ? 0 : (double)flushes.Units / flushes.Flushes, "units",
                Note: Report.Invariant($"{flushes.Units:N0} units of the measured requests made durable by {flushes.Flushes:N0} flushes of the write-ahead log; the bare loop flushes once per transaction")));
        }

        await AddLoadedCeilingAsync(section, loop, bare, requests + warmup, requests / Slices, cancellationToken);
        (double cals, double signatures) = CalSigningProbe.PerSecond(quick ? 50 : 500);
        section.Add(new Figure("diagnostic: CALs built and signed alone, 1 thread", cals, "CAL/s", signatures, "bare RSA-2048 signatures, same key",
            Note: "ClientLicenseBuilder.Build with a 2048-bit issuer; the server does this after the commit, in parallel"));
        section.Notes.Add(SlicesNote(run, bare));
        section.Notes.Add(Report.Invariant($"{requests:N0} measured requests after {run.WarmUpRounds} warm-up rounds of {warmup:N0} requests (warm-up ends when a round makes the JIT compile fewer than {ApiIssuanceBench.JitQuietMethods} methods, at most {ApiIssuanceBench.MaxWarmUpRounds} rounds: the tiered compiler's background recompilation is a start-up cost, measured early it took about a quarter of the CPU); {run.Errors} errors{(run.FirstError is { } e ? $" (first: {e})" : "")}."));
        section.Notes.Add(
            "Per request the server does: API-key check (remembered 5 s per node), JSON, one write unit on the store's writer " +
            "thread (BEGIN IMMEDIATE, three indexed reads — expired CALs, the server row, the device's CALs — one INSERT, all " +
            "prepared once, COMMIT with synchronous=NORMAL), and the CAL: a client-license certificate and its RSA-2048 " +
            "signature (decision 0101), started on the thread pool as soon as the unit has decided. The writer takes every " +
            "unit queued when it looks, commits them one by one, flushes the write-ahead log to disk once (fsync, the call " +
            "SQLite makes for synchronous=FULL) and only then answers them (decision 0107: the log is appended in commit " +
            "order, so a commit that survives a crash has every earlier one with it). The bare loop flushes after each of its " +
            "transactions, as a serial writer must; the API's concurrent requests share a flush (units per flush above), so " +
            "the ratio can pass 100% when the disk is slow. What limits it now: the CPU per request (above; the RSA signature " +
            "is the largest share, see the bare-signature rate, then HTTP and JSON) and the writer's cycle — a group of units " +
            "(about 0.16 ms each on the writer thread) and its flush (about 2.5 ms for some 15 units' log frames) — which 32 " +
            "clients in a closed loop wait on. Before decision 0107 every request paid its own fsync and the rate followed the " +
            "disk's fsync rate under load (the loaded-cores diagnostic), 1,200–2,140 req/s across sessions.");
        return section;
    }

    public static async Task<Section> PostgresAsync(string? connection, bool quick, CancellationToken cancellationToken)
    {
        var section = new Section(
            "2. CAL issuance, REST API on PostgreSQL",
            $"As benchmark 1, with the license server on the PostgreSQL store (PostgresLicenseStore: every write unit under the " +
            $"deployment's advisory lock, synchronous_commit on) in a fresh schema of the given database, {Clients} concurrent " +
            "HTTP clients. Ceiling: the same row written in the same number of transactions (BEGIN, INSERT, COMMIT) one after " +
            "another by a bare Npgsql loop on one connection, in a schema made by the store's own migrations. The PostgreSQL " +
            "server runs on the same machine.");
        if (connection is null)
        {
            section.NotMeasured = "no PostgreSQL connection given (--pg CONNECTION or RDLIC_BENCH_PG)";
            return section;
        }

        int requests = quick ? 600 : 5_000;
        int warmup = quick ? 100 : 500;
        string schema = "bench_api_" + Guid.NewGuid().ToString("N")[..12];
        string scoped = await BareNpgsqlLoop.CreateSchemaAsync(connection, schema, cancellationToken);
        var bare = new BareTotals();
        var sixRoundTrips = new BareTotals();
        ApiRun run;
        try
        {
            await using BareNpgsqlLoop loop = await BareNpgsqlLoop.OpenAsync(connection, cancellationToken);
            await using BareNpgsqlLoop sixLoop = await BareNpgsqlLoop.OpenAsync(connection, cancellationToken, sameStatements: true);
            run = await RunSlicedAsync("postgres", scoped, loop, bare, warmup, requests, cancellationToken);
            await sixRoundTrips.RunSliceAsync(sixLoop, 0, requests, cancellationToken);
        }
        finally
        {
            await BareNpgsqlLoop.DropSchemaAsync(connection, schema);
        }

        AddApiFigures(section, run, bare, "bare Npgsql loop", sqlite: false);
        section.Add(new Figure("diagnostic: a bare loop making a write unit's statements one round trip each", sixRoundTrips.PerSecond, "tx/s", bare.PerSecond, "bare Npgsql loop, one INSERT",
            Note: "the lock, the expired-CAL query, the server row, the device's CALs, the INSERT, the COMMIT: six round trips, as the store made them before decision 0104"));
        section.Notes.Add(SlicesNote(run, bare));
        section.Notes.Add(Report.Invariant($"{requests:N0} measured requests after {run.WarmUpRounds} warm-up rounds of {warmup:N0} requests (until the JIT was quiet, as in benchmark 1); {run.Errors} errors{(run.FirstError is { } e ? $" (first: {e})" : "")}."));
        if (run.DecidedAhead is { } ahead)
        {
            long units = ahead.Ahead + ahead.Again;
            section.Add(new Figure("diagnostic: CAL requests decided ahead of the lock (decision 0106)", units == 0 ? 0 : 100.0 * ahead.Ahead / units, "%",
                Note: Report.Invariant($"of {units:N0} write units of the measured requests, {ahead.Again:N0} decided again under the lock because a read changed or the work needed it")));
        }

        if (run.CommitRoundTrips is { } sent)
        {
            section.Add(new Figure("diagnostic: units committed per round trip ahead of the lock (decision 0108)", sent.RoundTrips == 0 ? 0 : (double)sent.Units / sent.RoundTrips, "units",
                Note: Report.Invariant($"{sent.Units:N0} commits of units decided ahead in {sent.RoundTrips:N0} round trips; each unit its own transaction, lock and synchronous commit")));
        }

        section.Notes.Add(
            "Per request (decision 0106): a CAL request is repeatable work, so the store decides it ahead of the deployment " +
            "lock. One round trip without the lock makes the reads the engine names (the expired-CAL sweep, the server row, " +
            "the device's CALs) in one snapshot, each with a SHA-256 digest of its rows; the engine decides, and the CAL's " +
            "signature starts on the thread pool (decision 0107); the commit — BEGIN, the lock, a check of every digest, " +
            "the INSERT, COMMIT — joins the node's queue of commits. The node keeps one round trip of commits out and sends " +
            "everything that queued meanwhile in the next (decision 0108; units per round trip above), each unit its own " +
            "transaction, so the backend that just committed takes the lock again at once rather than waking another backend " +
            "per request. A unit whose reads changed in between runs again holding the lock (decision 0104's two round trips; " +
            "counted above). What limits it: the CPU — about 1 ms per request in the server process (above) plus " +
            "PostgreSQL's backends, on the same two cores — and, per unit on the serialized path, PostgreSQL's own work: the " +
            "checks, the INSERT into a table with six indexes and the commit's fsync. The ceiling is one connection's serial " +
            "loop, bound by the disk's fsync rate, which swings from minute to minute on this machine (1,013–1,768 tx/s in " +
            "decision 0108's runs). Before decision 0104 a unit made six round trips under the lock (the diagnostic above) " +
            "and reached 24.5% of the ceiling; with 0104's two, 40–73%; with 0106's one round trip per unit, 46–71%; with " +
            "0108's shared round trips, 64–66% in its runs.");
        return section;
    }

    /// <summary>
    /// Warms the bare loop up (its first transactions prepare statements), then runs the API's slices with one slice of
    /// the bare loop (the same number of transactions) before each.
    /// </summary>
    private static async Task<ApiRun> RunSlicedAsync(string store, string? connection, IBareLoop loop, BareTotals bare, int warmup, int requests, CancellationToken cancellationToken)
    {
        await loop.RunAsync(requests, warmup, new Latencies(), cancellationToken); // rows after the measured ones
        int perSlice = requests / Slices;
        return await ApiIssuanceBench.RunAsync(
            store, connection, Clients, warmup, requests, Slices, slice => bare.RunSliceAsync(loop, slice * perSlice, perSlice, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The bare loop once more while low-priority processes keep every core busy (<see cref="BusyCores"/>): the API runs
    /// under its own CPU load, and on this virtual machine the disk's commit rate falls when the CPUs are busy even for a
    /// thread the guest's scheduler favours, so this is the rate the API's commits actually face. A diagnostic beside the
    /// idle ceiling, which stays the ceiling of the figures above. SQLite only: a PostgreSQL transaction is two round
    /// trips between two processes, each a wake-up beside the busy loops, so there the figure would measure the
    /// scheduler more than the disk (tried: 25% of the idle loop, while the API itself reached 51%).
    /// </summary>
    private static async Task AddLoadedCeilingAsync(Section section, IBareLoop loop, BareTotals idle, int first, int transactions, CancellationToken cancellationToken)
    {
        var loaded = new BareTotals();
        await using (BusyCores? busy = BusyCores.TryStart(Environment.ProcessorCount))
        {
            if (busy is null)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            await loaded.RunSliceAsync(loop, first, transactions, cancellationToken);
        }

        section.Add(new Figure(
            "diagnostic: the bare loop while every core runs a lowest-priority (nice 19) busy loop",
            loaded.PerSecond,
            "tx/s",
            idle.PerSecond,
            "the same bare loop, cores idle",
            Note: Report.Invariant($"{transactions:N0} transactions after the API's slices; p50 {loaded.Latencies.PercentileMs(50):0.###} ms, p99 {loaded.Latencies.PercentileMs(99):0.###} ms per transaction: the commit rate the API's own CPU load leaves")));
    }

    private static string SlicesNote(ApiRun run, BareTotals bare)
    {
        IEnumerable<string> ratios = run.SliceRates.Zip(bare.SliceRates, (api, ceiling) => Report.Invariant($"{api:N0}/{ceiling:N0} ({100 * api / ceiling:0}%)"));
        string perSlice = string.Join(", ", ratios);
        return Report.Invariant(
            $"Measured in {Slices} alternating slices (ceiling then API), each {run.Requests / Slices:N0} transactions; per slice, API/ceiling: {perSlice}. The bare loop's p50 {bare.Latencies.PercentileMs(50):0.###} ms, p99 {bare.Latencies.PercentileMs(99):0.###} ms per transaction.");
    }

    internal static void AddApiFigures(Section section, ApiRun run, BareTotals bare, string ceilingName, bool sqlite)
    {
        double ceiling = bare.PerSecond;
        section.Add(new Figure("requests/s vs ceiling", run.PerSecond, "req/s", ceiling, ceilingName, "≥ 50% of ceiling", run.PerSecond >= ceiling * 0.5 && run.Errors == 0));
        if (sqlite)
        {
            section.Add(new Figure("requests/s", run.PerSecond, "req/s", Target: "≥ 2,000 req/s", Pass: run.PerSecond >= 2000 && run.Errors == 0));
            section.Add(new Figure("p99 latency", run.P99Ms, "ms", Target: "< 50 ms", Pass: run.P99Ms < 50));
        }
        else
        {
            section.Add(new Figure("p99 latency", run.P99Ms, "ms"));
        }

        section.Add(new Figure("p50 latency", run.P50Ms, "ms"));
        section.Add(new Figure("errors", run.Errors, "", Target: "0", Pass: run.Errors == 0));
        section.Add(new Figure("diagnostic: CPU time per request (server and load generator)", run.CpuMsPerRequest, "ms",
            Note: Report.Invariant($"{Environment.ProcessorCount} cores allow at most {Environment.ProcessorCount * 1000 / run.CpuMsPerRequest:N0} req/s at this cost")));
        if (run.HttpFloor is { } floor)
        {
            section.Add(new Figure("diagnostic: authenticated HTTP requests answered at once (404), same clients", floor.PerSecond, "req/s",
                Note: Report.Invariant($"HTTP alone: p50 {floor.P50Ms:0.0} ms, p99 {floor.P99Ms:0.0} ms, {floor.CpuMsPerRequest:0.00} ms CPU per request (client and server), {floor.Errors} errors")));
        }

        if (run.InProcess is { } direct)
        {
            section.Add(new Figure("diagnostic: the same requests straight into LicensingService, no HTTP", direct.PerSecond, "req/s",
                Note: Report.Invariant($"same concurrency, same process; p50 {direct.P50Ms:0.0} ms, p99 {direct.P99Ms:0.0} ms, {direct.CpuMsPerRequest:0.00} ms CPU per request, {direct.Errors} errors: the HTTP stack's share is the difference")));
        }
    }
}
