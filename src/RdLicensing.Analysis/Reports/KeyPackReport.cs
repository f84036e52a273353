using System.Globalization;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Reports;

/// <summary>One key pack in the key pack summary.</summary>
/// <param name="KeyPackId">KeyPackId.</param>
/// <param name="TypeAndModel">TypeAndModel ("RDS Per User CAL").</param>
/// <param name="ProductVersion">ProductVersion ("Windows Server 2022").</param>
/// <param name="ProductVersionId">ProductVersionID.</param>
/// <param name="CalType">"per-device", "per-user", "built-in" or "unknown".</param>
/// <param name="KeyPackType">KeyPackType (4 is the temporary key pack).</param>
/// <param name="Temporary">Whether it is the temporary key pack.</param>
/// <param name="TotalLicenses">TotalLicenses.</param>
/// <param name="IssuedLicenses">IssuedLicenses.</param>
/// <param name="AvailableLicenses">AvailableLicenses.</param>
/// <param name="OverAllocatedLicenses">Per-user CALs issued beyond the total (not enforced, so shown as such).</param>
/// <param name="ExpirationDate">ExpirationDate.</param>
public sealed record KeyPackSummaryRow(
    string KeyPackId,
    string TypeAndModel,
    string ProductVersion,
    int ProductVersionId,
    string CalType,
    int KeyPackType,
    bool Temporary,
    long TotalLicenses,
    long IssuedLicenses,
    long AvailableLicenses,
    long OverAllocatedLicenses,
    DateTimeOffset? ExpirationDate);

/// <summary>The key pack summary: each pack, and per (version, CAL type) totals.</summary>
/// <param name="KeyPacks">The packs, by version then type.</param>
/// <param name="Totals">Per product version and CAL type (temporary packs left out).</param>
public sealed record KeyPackReport(IReadOnlyList<KeyPackSummaryRow> KeyPacks, IReadOnlyList<KeyPackTotal> Totals)
{
    /// <summary>CSV columns: the Win32_TSLicenseKeyPack properties plus OverAllocatedLicenses.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "KeyPackId", "TypeAndModel", "ProductVersion", "ProductVersionID", "ProductType", "KeyPackType", "TotalLicenses",
        "IssuedLicenses", "AvailableLicenses", "OverAllocatedLicenses", "ExpirationDate",
    ];

    /// <summary>Builds the summary from <paramref name="keyPacks"/>.</summary>
    public static KeyPackReport Build(IEnumerable<KeyPackRecord> keyPacks)
    {
        ArgumentNullException.ThrowIfNull(keyPacks);
        List<KeyPackRecord> packs = [.. keyPacks.OrderBy(p => p.ProductVersionId).ThenBy(p => p.ProductType).ThenBy(p => p.KeyPackId, StringComparer.Ordinal)];
        var rows = packs.Select(p => new KeyPackSummaryRow(
            p.KeyPackId, p.TypeAndModel, p.ProductVersionText, p.ProductVersionId, CalTypeOf(p), p.KeyPackType, p.KeyPackType == KeyPackRecord.TemporaryKeyPackType,
            p.TotalLicenses, p.IssuedLicenses, p.AvailableLicenses, p.OverAllocated, p.ExpirationDate)).ToList();
        var totals = rows.Where(r => !r.Temporary)
            .GroupBy(r => (r.ProductVersion, r.ProductVersionId, r.CalType))
            .Select(g => new KeyPackTotal(g.Key.ProductVersion, g.Key.ProductVersionId, g.Key.CalType,
                g.Sum(r => r.TotalLicenses), g.Sum(r => r.IssuedLicenses), g.Sum(r => r.AvailableLicenses), g.Sum(r => r.OverAllocatedLicenses)))
            .ToList();
        return new KeyPackReport(rows, totals);
    }

    /// <summary>Writes the packs as CSV (Export-Csv style, WMI datetimes).</summary>
    public void WriteCsv(TextWriter writer)
    {
        var csv = new ExportCsvWriter(writer, CsvColumns);
        foreach (KeyPackSummaryRow row in KeyPacks)
        {
            csv.WriteRecord([
                row.KeyPackId, row.TypeAndModel, row.ProductVersion, Text(row.ProductVersionId),
                Text(row.CalType switch { "per-device" => 0, "per-user" => 1, "built-in" => 3, _ => 2 }),
                Text(row.KeyPackType), Text(row.TotalLicenses), Text(row.IssuedLicenses), Text(row.AvailableLicenses),
                Text(row.OverAllocatedLicenses), row.ExpirationDate is { } e ? WmiDateTime.ToDmtf(e) : "",
            ]);
        }
    }

    private static string CalTypeOf(KeyPackRecord pack) => pack.ProductType switch
    {
        KeyPackRecord.PerDeviceProductType => "per-device",
        KeyPackRecord.PerUserProductType => "per-user",
        KeyPackRecord.BuiltInProductType => "built-in",
        _ => "unknown",
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Totals of one product version and CAL type.</summary>
public sealed record KeyPackTotal(
    string ProductVersion, int ProductVersionId, string CalType, long TotalLicenses, long IssuedLicenses, long AvailableLicenses,
    long OverAllocatedLicenses);
