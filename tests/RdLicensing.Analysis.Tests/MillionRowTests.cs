using System.Diagnostics;
using System.Globalization;
using System.Text;
using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Tests;

/// <summary>
/// A 1,000,000-row Win32_TSIssuedLicense export, generated at run time into a temp file (never committed), streams through
/// the importer and the analyzer in bounded memory and still finds the few planted problems among the clean devices.
/// </summary>
public sealed class MillionRowTests
{
    private const int Rows = 1_000_000;

    [Fact]
    public void A_million_row_export_is_analysed_in_bounded_memory_and_finds_the_planted_problems()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rdlic-million-{Guid.NewGuid():N}.csv");
        try
        {
            WriteExport(path);
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var analyzer = new IssuedLicenseAnalyzer(TimeProvider.System, new AnalysisOptions(TestData.AsOf));
            long progressSeen = 0;
            var progress = new SynchronousProgress(n => progressSeen = n);
            using (var reader = new StreamReader(path, Encoding.UTF8))
            {
                foreach (IssuedLicenseRecord record in IssuedLicenseCsvReader.Read(reader))
                {
                    analyzer.Add(record);
                    if (analyzer.Rows % 100_000 == 0)
                    {
                        progress.Report(analyzer.Rows);
                    }
                }
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            // Enough CALs that 1,000,000 issued ones are no exhaustion: only the planted problems are findings.
            KeyPackRecord pack = new("3", "", 2, KeyPackRecord.PerDeviceProductType, "Windows Server 2022", 7, "RDS Per Device CAL",
                20_000_000, 1_000_000, 19_000_000, null, Domain.ProductVersions.V2022);
            AnalysisResult result = analyzer.Complete([pack]);
            long peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
            GCMemoryInfo gc = GC.GetGCMemoryInfo(GCKind.Any);
            TestContext.Current.SendDiagnosticMessage(
                $"1,000,000 rows: analyzer retained {retained / (1024 * 1024)} MiB of GC heap; process peak working set {peakWorkingSet / (1024 * 1024)} MiB; GC heap at last GC {gc.HeapSizeBytes / (1024 * 1024)} MiB");
            Console.Error.WriteLine($"[memory] retained={retained / (1024 * 1024)}MiB peakWorkingSet={peakWorkingSet / (1024 * 1024)}MiB heap={gc.HeapSizeBytes / (1024 * 1024)}MiB");

            Assert.Equal(Rows, result.Rows);
            Assert.Equal(Rows, progressSeen);
            Assert.Equal(
                new[] { FindingKinds.HardwareIdChurn, FindingKinds.RebuiltDevice, FindingKinds.SharedHardwareId },
                result.Findings.Select(f => f.Kind).Order(StringComparer.Ordinal));
            Assert.Equal(3, result.Findings.Single(f => f.Kind == FindingKinds.HardwareIdChurn).CalsWasted);
            Assert.Equal("CHURN", result.Findings.Single(f => f.Kind == FindingKinds.HardwareIdChurn).Devices[0].Computer);
            Assert.Equal(new[] { "IMG1", "IMG2", "IMG3" }, result.Findings.Single(f => f.Kind == FindingKinds.SharedHardwareId).Devices.Select(d => d.Computer).Order());
            Assert.Equal("REBUILT", result.Findings.Single(f => f.Kind == FindingKinds.RebuiltDevice).Devices[0].Computer);
            Assert.Equal(1, result.Findings.Single(f => f.Kind == FindingKinds.RebuiltDevice).CalsWasted);
            Assert.True(peakWorkingSet < 1024L * 1024 * 1024, $"peak working set {peakWorkingSet} bytes"); // sanity bound only
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteExport(string path)
    {
        DateTimeOffset asOf = TestData.AsOf;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_TSIssuedLicense\r\n");
        writer.Write("\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sHardwareId\",\"sIssuedToComputer\",\"sIssuedToUser\"\r\n");
        int written = 0;
        void Row(string computer, long hwid, DateTimeOffset issued, int lifetimeDays)
        {
            string issue = WmiDateTime.ToDmtf(issued), expiry = WmiDateTime.ToDmtf(issued.AddDays(lifetimeDays));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\"{expiry}\",\"{issue}\",\"3\",\"{written + 1}\",\"2\",\"{hwid:X40}\",\"{computer}\",\"CONTOSO\\u{written % 5000}\"\r\n"));
            written++;
        }

        // Planted: three machines of one image, a kiosk with four hardware ids, a rebuilt machine.
        Row("IMG1", 0xBEEF, asOf.AddDays(-40), 89);
        Row("IMG2", 0xBEEF, asOf.AddDays(-30), 89);
        Row("IMG3", 0xBEEF, asOf.AddDays(-20), 89);
        Row("CHURN", 0xC001, asOf.AddDays(-80), 89);
        Row("CHURN", 0xC002, asOf.AddDays(-60), 89);
        Row("CHURN", 0xC003, asOf.AddDays(-40), 89);
        Row("CHURN", 0xC004, asOf.AddDays(-10), 89);
        Row("REBUILT", 0xD001, asOf.AddDays(-70), 89);
        Row("REBUILT", 0xD002, asOf.AddDays(-30), 89);
        for (long i = 0; written < Rows; i++)
        {
            Row(string.Create(CultureInfo.InvariantCulture, $"PC{i:D7}"), 0x1_0000_0000 + i, asOf.AddDays(-(i % 50) - 1), 52 + (int)(i % 38));
        }
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
