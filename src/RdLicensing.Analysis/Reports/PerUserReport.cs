using System.Globalization;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Imports;
using RdLicensing.Domain;

namespace RdLicensing.Analysis.Reports;

/// <summary>A per-user CAL as the license server tracks it.</summary>
/// <param name="User">The user (DOMAIN\name or UPN).</param>
/// <param name="ExpirationDate">When the CAL drops off unless the user signs in again.</param>
/// <param name="Version">Its product version.</param>
public sealed record PerUserCal(string User, DateTimeOffset ExpirationDate, ProductVersion Version);

/// <summary>Win32_TSLicenseReportEntry: one user's CAL.</summary>
public sealed record PerUserReportEntry(string User, DateTimeOffset ExpirationDate, string CalType, string ProductVersion, int ProductVersionId);

/// <summary>
/// Win32_TSLicenseReportSummaryEntry: per product version, installed and issued per-user CALs and the availability
/// ("Available" while issued &lt; installed, "Limited" when issued reaches or passes installed — per-user CALs are not
/// enforced, so the excess is shown as <see cref="OverAllocated"/> — "None" when none are installed).
/// </summary>
public sealed record PerUserReportSummary(
    string ProductVersion, int ProductVersionId, string TsCalType, long InstalledLicenses, long IssuedLicenses, long OverAllocated,
    string TsCalAvailability);

/// <summary>The per-user CAL usage report (as Win32_TSLicenseReport's GenerateReportEx summary and entries).</summary>
public sealed record PerUserReport(DateTimeOffset GenerationDateTime, IReadOnlyList<PerUserReportSummary> Summary, IReadOnlyList<PerUserReportEntry> Entries)
{
    /// <summary>Columns of the entries CSV (Win32_TSLicenseReportEntry).</summary>
    public static readonly IReadOnlyList<string> EntryColumns = ["User", "ExpirationDate", "CALType", "ProductVersion", "ProductVersionID"];

    /// <summary>Columns of the summary CSV (Win32_TSLicenseReportSummaryEntry, plus OverAllocatedLicenses).</summary>
    public static readonly IReadOnlyList<string> SummaryColumns =
        ["ProductVersion", "ProductVersionID", "TSCALType", "InstalledLicenses", "IssuedLicenses", "OverAllocatedLicenses", "TSCALAvailability"];

    /// <summary>Builds the report at <paramref name="time"/>'s now from the per-user CALs and the key packs.</summary>
    public static PerUserReport Build(IEnumerable<PerUserCal> cals, IEnumerable<KeyPackRecord> keyPacks, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(cals);
        ArgumentNullException.ThrowIfNull(keyPacks);
        ArgumentNullException.ThrowIfNull(time);
        List<PerUserReportEntry> entries = [.. cals
            .OrderBy(c => c.User, StringComparer.OrdinalIgnoreCase)
            .Select(c => new PerUserReportEntry(c.User, c.ExpirationDate, CalTypeName(c.Version), c.Version.Name, c.Version.WmiProductVersionId))];
        var installed = keyPacks.Where(p => p.IsInstalledPerUser && p.Version is not null)
            .GroupBy(p => p.Version!.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.TotalLicenses), StringComparer.Ordinal);
        var issued = cals.GroupBy(c => c.Version.Key).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var summary = ProductVersions.All
            .Where(v => installed.ContainsKey(v.Key) || issued.ContainsKey(v.Key))
            .Select(v =>
            {
                long i = installed.GetValueOrDefault(v.Key), n = issued.GetValueOrDefault(v.Key);
                string availability = i == 0 ? "None" : n < i ? "Available" : "Limited";
                return new PerUserReportSummary(v.Name, v.WmiProductVersionId, "Per User", i, n, Math.Max(0, n - i), availability);
            })
            .ToList();
        return new PerUserReport(time.GetUtcNow(), summary, entries);
    }

    /// <summary>Writes the entries as CSV.</summary>
    public void WriteEntriesCsv(TextWriter writer)
    {
        var csv = new ExportCsvWriter(writer, EntryColumns);
        foreach (PerUserReportEntry e in Entries)
        {
            csv.WriteRecord([e.User, WmiDateTime.ToDmtf(e.ExpirationDate), e.CalType, e.ProductVersion, e.ProductVersionId.ToString(CultureInfo.InvariantCulture)]);
        }
    }

    /// <summary>Writes the summary as CSV.</summary>
    public void WriteSummaryCsv(TextWriter writer)
    {
        var csv = new ExportCsvWriter(writer, SummaryColumns);
        foreach (PerUserReportSummary s in Summary)
        {
            csv.WriteRecord([
                s.ProductVersion, Text(s.ProductVersionId), s.TsCalType, Text(s.InstalledLicenses), Text(s.IssuedLicenses),
                Text(s.OverAllocated), s.TsCalAvailability,
            ]);
        }
    }

    private static string CalTypeName(ProductVersion version) => version.Rank >= ProductVersions.V2008R2.Rank ? "RDS Per User CAL" : "TS Per User CAL";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
