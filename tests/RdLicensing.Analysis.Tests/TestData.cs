using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Tests;

/// <summary>Opens the fixture files (Windows exports as PowerShell writes them) copied next to the tests.</summary>
internal static class TestData
{
    /// <summary>The moment the fixtures describe.</summary>
    public static readonly DateTimeOffset AsOf = new(2025, 3, 15, 0, 0, 0, TimeSpan.Zero);

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static List<IssuedLicenseRecord> Issued(string name)
    {
        using var reader = new StreamReader(PathOf(name));
        return [.. IssuedLicenseCsvReader.Read(reader)];
    }

    public static IReadOnlyList<KeyPackRecord> KeyPacks(string name)
    {
        using var reader = new StreamReader(PathOf(name));
        return KeyPackCsvReader.Read(reader);
    }

    public static AnalysisResult Analyze(string issued, string? keyPacks) =>
        IssuedLicenseAnalyzer.Analyze(Issued(issued), keyPacks is null ? null : KeyPacks(keyPacks), TimeProvider.System, new AnalysisOptions(AsOf));
}
