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

    /// <summary>Runs <paramref name="one"/> for 0 … <paramref name="transactions"/>-1; transactions per second and latencies.</summary>
    public static async Task<(double PerSecond, Latencies Latencies)> MeasureAsync(int transactions, Func<int, ValueTask> one)
    {
        var ticks = new long[transactions];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < transactions; i++)
        {
            long begin = Stopwatch.GetTimestamp();
            await one(i);
            ticks[i] = Stopwatch.GetTimestamp() - begin;
        }

        clock.Stop();
        var latencies = new Latencies();
        latencies.AddRange(ticks);
        return (transactions / clock.Elapsed.TotalSeconds, latencies);
    }
}
