namespace RdLicensing.Bench.Issuance;

/// <summary>Benchmarks 1 and 2: CAL issuance through the REST API against a bare loop of the same transactions.</summary>
internal static class IssuanceBench
{
    public const int Clients = 32;

    public static async Task<Section> SqliteAsync(bool quick, CancellationToken cancellationToken)
    {
        var section = new Section(
            "1. CAL issuance, REST API on embedded SQLite",
            $"POST /api/licenses/request from {Clients} concurrent HTTP clients (one keep-alive connection each) over 127.0.0.1 to the real " +
            "license server (Kestrel, API-key authentication, the licensing engine, CAL signing, SqliteLicenseStore in WAL with " +
            "synchronous=FULL); every request is a new device, so every request commits one temporary CAL. Ceiling: the same row " +
            "written in the same number of transactions (BEGIN IMMEDIATE … COMMIT) by a bare Microsoft.Data.Sqlite loop on a " +
            "database made by the store's own migrations, with the same settings. The load generator shares the machine's cores " +
            "with the server.");
        int requests = quick ? 600 : 10_000;
        int warmup = quick ? 100 : 1_000;
        (double before, _) = await BareSqliteLoop.RunAsync(requests, cancellationToken);
        ApiRun run = await ApiIssuanceBench.RunAsync("sqlite", null, Clients, warmup, requests, cancellationToken);
        (double after, Latencies bare) = await BareSqliteLoop.RunAsync(requests, cancellationToken);
        double ceiling = Math.Max(before, after);
        AddApiFigures(section, run, ceiling, "bare Microsoft.Data.Sqlite loop", sqlite: true);
        (double cals, double signatures) = CalSigningProbe.PerSecond(quick ? 50 : 500);
        section.Add(new Figure("diagnostic: CALs built and signed alone, 1 thread", cals, "CAL/s", signatures, "bare RSA-2048 signatures, same key",
            Note: "ClientLicenseBuilder.Build with a 2048-bit issuer; the server does this after the commit, in parallel"));
        section.Notes.Add(Report.Invariant($"Bare loop, before the API run {before:N0} tx/s, after it {after:N0} tx/s (the ceiling is the higher); its p50 {bare.PercentileMs(50):0.###} ms, p99 {bare.PercentileMs(99):0.###} ms per transaction."));
        section.Notes.Add(Report.Invariant($"{requests:N0} measured requests after {run.WarmUpRounds} warm-up rounds of {warmup:N0} requests (warm-up ends when a round makes the JIT compile fewer than {ApiIssuanceBench.JitQuietMethods} methods, at most {ApiIssuanceBench.MaxWarmUpRounds} rounds: the tiered compiler's background recompilation is a start-up cost, measured early it took about a quarter of the CPU); {run.Errors} errors{(run.FirstError is { } e ? $" (first: {e})" : "")}."));
        section.Notes.Add(
            "Per request the server does: API-key check (remembered 5 s per node), JSON, one write unit on the store's writer " +
            "thread (BEGIN IMMEDIATE, three indexed reads — expired CALs, the server row, the device's CALs — one INSERT, all " +
            "prepared once, and the fsync'd commit), then, on any core, the CAL: a client-license certificate and its RSA-2048 " +
            "signature (decision 0101). What limits it: CPU. The diagnostics above split it: HTTP alone is a small share; the " +
            "RSA signature is the largest single cost (see the bare-signature rate), then the kernel's share of the fsync and of " +
            "waking threads on this virtual machine; the 32 HTTP clients run on the same two cores as the server. The " +
            "serialized part (the writer thread) is close to the bare loop's own cost per transaction, so the ceiling ratio " +
            "is set by CPU, not by the disk.");
        return section;
    }

    public static async Task<Section> PostgresAsync(string? connection, bool quick, CancellationToken cancellationToken)
    {
        var section = new Section(
            "2. CAL issuance, REST API on PostgreSQL",
            $"As benchmark 1, with the license server on the PostgreSQL store (PostgresLicenseStore: every write unit under the " +
            "deployment's advisory lock, synchronous_commit on) in a fresh schema of the given database, {Clients} concurrent " +
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
        (double before, _) = await BareNpgsqlLoop.RunAsync(connection, requests, cancellationToken);
        string schema = "bench_api_" + Guid.NewGuid().ToString("N")[..12];
        string scoped = await BareNpgsqlLoop.CreateSchemaAsync(connection, schema, cancellationToken);
        ApiRun run;
        try
        {
            run = await ApiIssuanceBench.RunAsync("postgres", scoped, Clients, warmup, requests, cancellationToken);
        }
        finally
        {
            await BareNpgsqlLoop.DropSchemaAsync(connection, schema);
        }

        (double after, Latencies bare) = await BareNpgsqlLoop.RunAsync(connection, requests, cancellationToken);
        (double sameStatements, _) = await BareNpgsqlLoop.RunAsync(connection, requests, cancellationToken, sameStatements: true);
        double ceiling = Math.Max(before, after);
        AddApiFigures(section, run, ceiling, "bare Npgsql loop", sqlite: false);
        section.Add(new Figure("diagnostic: requests/s vs a bare loop making the store's statements", run.PerSecond, "req/s", sameStatements, "bare Npgsql loop, lock + 3 reads + INSERT per transaction",
            Note: "the same round trips as a write unit for a new device, without the server around them"));
        section.Notes.Add(Report.Invariant($"Bare loop, before the API run {before:N0} tx/s, after it {after:N0} tx/s (the ceiling is the higher); its p50 {bare.PercentileMs(50):0.###} ms, p99 {bare.PercentileMs(99):0.###} ms per transaction."));
        section.Notes.Add(Report.Invariant($"{requests:N0} measured requests after {run.WarmUpRounds} warm-up rounds of {warmup:N0} requests (until the JIT was quiet, as in benchmark 1); {run.Errors} errors{(run.FirstError is { } e ? $" (first: {e})" : "")}."));
        section.Notes.Add(
            "What limits it: round trips. A write unit for a new device makes six, one after another, while it holds the " +
            "deployment lock: the lock, the expired-CAL query, the server row, the device's CALs, the INSERT, the COMMIT; the " +
            "bare loop makes two. The second diagnostic above is a bare loop making those same statements: most of the gap " +
            "to the one-INSERT loop is the extra round trips, each a wake-up of the PostgreSQL backend and then of a thread of " +
            "ours, which on this virtual machine is a costly exit (about 40% of the server process's CPU samples sit in the " +
            "kernel's pvm_irq_enable during this run); the rest is Npgsql's per-command work (new commands, SQL rewriting) and " +
            "the engine. Not done: fewer round trips per unit (the writes sent with the COMMIT, the lock sent with the first " +
            "read, the expired-CAL sweep only when a key pack is about to be used), which changes the store's session and the " +
            "engine's order of work.");
        return section;
    }

    internal static void AddApiFigures(Section section, ApiRun run, double ceiling, string ceilingName, bool sqlite)
    {
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
