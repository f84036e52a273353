using System.Diagnostics;

namespace RdLicensing.Bench.Issuance;

/// <summary>What the bare ceilings of benchmarks 1 and 2 share: the row they write and the timed loop of transactions.</summary>
internal static class BareLoop
{
    /// <summary>The columns of one issued temporary CAL, as the store writes it; <c>@</c>-parameters, dialect-neutral.</summary>
    public const string InsertColumns =
        "license_id, key_pack_id, cal_type, status, temporary, version, machine, user_name, hwid, issued_on, expires_on, validated, revoked_on, issued_to_host, user_key";

    /// <summary>The parameter names of the INSERT, in the order <see cref="Values"/> returns them.</summary>
    public static readonly string[] Parameters = ["id", "version", "machine", "user", "hwid", "issued_on", "expires_on", "user_key"];

    /// <summary>The values of transaction <paramref name="i"/>'s row, in <see cref="Parameters"/> order.</summary>
    public static string[] Values(int i, DateTimeOffset now) =>
    [
        Guid.NewGuid().ToString("N"),
        ApiIssuanceBench.HostVersion,
        "PC" + i,
        "user" + i,
        ApiIssuanceBench.Hwid(i),
        now.ToString("O"),
        now.AddDays(90).ToString("O"),
        "user" + i,
    ];

    /// <summary>Runs <paramref name="one"/> for <paramref name="first"/> … +<paramref name="transactions"/>-1; the wall time, latencies into <paramref name="latencies"/>.</summary>
    public static async Task<TimeSpan> MeasureAsync(int first, int transactions, Latencies latencies, Func<int, ValueTask> one)
    {
        var ticks = new long[transactions];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < transactions; i++)
        {
            long begin = Stopwatch.GetTimestamp();
            await one(first + i);
            ticks[i] = Stopwatch.GetTimestamp() - begin;
        }

        clock.Stop();
        latencies.AddRange(ticks);
        return clock.Elapsed;
    }
}

/// <summary>
/// A bare loop kept open between slices (its database made, its statements prepared), so that its slices can alternate
/// with the API's in one run and both are measured on the same machine at the same moments.
/// </summary>
internal interface IBareLoop : IAsyncDisposable
{
    /// <summary>Writes rows <paramref name="first"/> … +<paramref name="transactions"/>-1, one transaction each; the wall time.</summary>
    Task<TimeSpan> RunAsync(int first, int transactions, Latencies latencies, CancellationToken cancellationToken);
}

/// <summary>Transactions and wall time summed over the slices of a bare loop.</summary>
internal sealed class BareTotals
{
    private readonly List<double> _slices = [];

    public int Transactions { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public Latencies Latencies { get; } = new();

    public double PerSecond => Transactions / Elapsed.TotalSeconds;

    /// <summary>Each slice's rate, in order.</summary>
    public IReadOnlyList<double> SliceRates => _slices;

    public async Task RunSliceAsync(IBareLoop loop, int first, int transactions, CancellationToken cancellationToken)
    {
        TimeSpan elapsed = await loop.RunAsync(first, transactions, Latencies, cancellationToken);
        Transactions += transactions;
        Elapsed += elapsed;
        _slices.Add(transactions / elapsed.TotalSeconds);
    }
}
