namespace RdLicensing.Bench.Storm;

internal static class StormBench
{
    public static Task<Section> RunAsync(bool quick, CancellationToken cancellationToken)
    {
        _ = quick;
        _ = cancellationToken;
        return Task.FromResult(new Section("4. Logon storm through the TCP listener", "") { NotMeasured = "not built yet" });
    }
}
