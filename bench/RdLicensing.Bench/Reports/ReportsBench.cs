namespace RdLicensing.Bench.Reports;

internal static class ReportsBench
{
    public const string ChildVerb = "reports-child";

    public static int Child(string[] args) => args.Length == 0 ? 2 : 0;

    public static Task<Section> RunAsync(bool quick, CancellationToken cancellationToken)
    {
        _ = quick;
        _ = cancellationToken;
        return Task.FromResult(new Section("5. Reports and duplicate analysis over 1,000,000 CALs", "") { NotMeasured = "not built yet" });
    }
}
