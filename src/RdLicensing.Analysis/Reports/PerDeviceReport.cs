using System.Globalization;
using System.Text.Json;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Reports;

/// <summary>
/// The per-device CAL report: one row per issued per-device CAL with the Win32_TSIssuedLicense columns, streamed row by row.
/// The CSV is what <c>Get-WmiObject Win32_TSIssuedLicense | Export-Csv -NoTypeInformation</c> would hold for these properties
/// (WMI datetimes), so that <see cref="IssuedLicenseCsvReader"/> and Windows tooling read it back.
/// </summary>
public static class PerDeviceReport
{
    /// <summary>The columns, in report order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["KeyPackId", "LicenseId", "sIssuedToComputer", "sIssuedToUser", "sHardwareId", "IssueDate", "ExpirationDate", "LicenseStatus"];

    /// <summary>Writes the CSV; returns the rows written. <paramref name="typeLine"/> adds the #TYPE line Windows PowerShell 5.1 writes.</summary>
    public static long WriteCsv(TextWriter writer, IEnumerable<IssuedLicenseRecord> rows, bool typeLine = false, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new ExportCsvWriter(writer, Columns, typeLine ? @"System.Management.ManagementObject#root\cimv2\Win32_TSIssuedLicense" : null);
        long count = 0;
        string?[] fields = new string?[Columns.Count];
        foreach (IssuedLicenseRecord row in rows)
        {
            fields[0] = row.KeyPackId;
            fields[1] = row.LicenseId;
            fields[2] = row.Computer;
            fields[3] = row.User;
            fields[4] = row.HardwareId;
            fields[5] = WmiDateTime.ToDmtf(row.IssueDate);
            fields[6] = WmiDateTime.ToDmtf(row.ExpirationDate);
            fields[7] = ((int)row.Status).ToString(CultureInfo.InvariantCulture);
            csv.WriteRecord(fields);
            Report(progress, ++count);
        }

        progress?.Report(count);
        return count;
    }

    /// <summary>
    /// Writes the JSON array: per row keyPackId, licenseId, sIssuedToComputer, sIssuedToUser, sHardwareId, issueDate,
    /// expirationDate (ISO 8601), licenseStatus (the WMI number), status (its name) and version (when known).
    /// </summary>
    public static long WriteJson(Stream stream, IEnumerable<IssuedLicenseRecord> rows, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using Utf8JsonWriter json = ReportJson.CreateWriter(stream);
        json.WriteStartArray();
        long count = 0;
        foreach (IssuedLicenseRecord row in rows)
        {
            json.WriteStartObject();
            json.WriteString("keyPackId", row.KeyPackId);
            json.WriteString("licenseId", row.LicenseId);
            json.WriteString("sIssuedToComputer", row.Computer);
            json.WriteString("sIssuedToUser", row.User);
            json.WriteString("sHardwareId", row.HardwareId);
            json.WriteString("issueDate", row.IssueDate);
            json.WriteString("expirationDate", row.ExpirationDate);
            json.WriteNumber("licenseStatus", (int)row.Status);
            json.WriteString("status", row.Status.ToString().ToLowerInvariant());
            if (row.Version is not null)
            {
                json.WriteString("version", row.Version.Key);
            }

            json.WriteEndObject();
            if (json.BytesPending > 64 * 1024)
            {
                json.Flush();
            }

            Report(progress, ++count);
        }

        json.WriteEndArray();
        progress?.Report(count);
        return count;
    }

    internal static void Report(IProgress<long>? progress, long count)
    {
        if (progress is not null && count % 10_000 == 0)
        {
            progress.Report(count);
        }
    }
}
