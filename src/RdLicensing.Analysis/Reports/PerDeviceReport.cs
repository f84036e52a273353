using System.Globalization;
using System.Text.Json;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Reports;

/// <summary>
/// The per-device CAL report: one row per issued per-device CAL with the Win32_TSIssuedLicense columns, streamed row by row.
/// The CSV is what <c>Get-WmiObject Win32_TSIssuedLicense | Select-Object … | Export-Csv</c> would hold for these
/// properties (WMI datetimes), so that <see cref="IssuedLicenseCsvReader"/> and Windows tooling read it back.
/// </summary>
public static class PerDeviceReport
{
    /// <summary>The columns, in report order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["KeyPackId", "LicenseId", "sIssuedToComputer", "sIssuedToUser", "sHardwareId", "IssueDate", "ExpirationDate", "LicenseStatus"];

    /// <summary>The #TYPE line Windows PowerShell 5.1 writes for these objects.</summary>
    public const string TypeName = @"System.Management.ManagementObject#root\cimv2\Win32_TSIssuedLicense";

    /// <summary>Writes the CSV; returns the rows written. <paramref name="typeLine"/> adds the #TYPE line.</summary>
    public static long WriteCsv(TextWriter writer, IEnumerable<IssuedLicenseRecord> rows, bool typeLine = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new PerDeviceCsvWriter(writer, typeLine);
        foreach (IssuedLicenseRecord row in rows)
        {
            csv.Write(row);
        }

        return csv.Count;
    }

    /// <summary>Writes the JSON array (see <see cref="PerDeviceJsonWriter"/>); returns the rows written.</summary>
    public static long WriteJson(Stream stream, IEnumerable<IssuedLicenseRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var json = new PerDeviceJsonWriter(stream);
        foreach (IssuedLicenseRecord row in rows)
        {
            json.Write(row);
        }

        json.Complete();
        return json.Count;
    }
}

/// <summary>Writes the per-device report as CSV one row at a time (for rows that arrive page by page).</summary>
public sealed class PerDeviceCsvWriter
{
    private readonly ExportCsvWriter _csv;
    private readonly string?[] _fields = new string?[PerDeviceReport.Columns.Count];

    /// <summary>Writes the header (and the #TYPE line when <paramref name="typeLine"/>).</summary>
    public PerDeviceCsvWriter(TextWriter writer, bool typeLine = false) =>
        _csv = new ExportCsvWriter(writer, PerDeviceReport.Columns, typeLine ? PerDeviceReport.TypeName : null);

    /// <summary>Rows written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one row.</summary>
    public void Write(IssuedLicenseRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _fields[0] = row.KeyPackId;
        _fields[1] = row.LicenseId;
        _fields[2] = row.Computer;
        _fields[3] = row.User;
        _fields[4] = row.HardwareId;
        _fields[5] = WmiDateTime.ToDmtf(row.IssueDate);
        _fields[6] = WmiDateTime.ToDmtf(row.ExpirationDate);
        _fields[7] = ((int)row.Status).ToString(CultureInfo.InvariantCulture);
        _csv.WriteRecord(_fields);
        Count++;
    }
}

/// <summary>
/// Writes the per-device report as a JSON array one row at a time: per row keyPackId, licenseId, sIssuedToComputer,
/// sIssuedToUser, sHardwareId, issueDate, expirationDate (ISO 8601), licenseStatus (the WMI number), status (its name)
/// and version (when known). <see cref="Complete"/> closes the array; without it the document is unfinished, never
/// mistaken for a complete one.
/// </summary>
public sealed class PerDeviceJsonWriter : IDisposable
{
    private readonly Utf8JsonWriter _json;

    /// <summary>Opens the array on <paramref name="stream"/>.</summary>
    public PerDeviceJsonWriter(Stream stream)
    {
        _json = ReportJson.CreateWriter(stream);
        _json.WriteStartArray();
    }

    /// <summary>Rows written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one row.</summary>
    public void Write(IssuedLicenseRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _json.WriteStartObject();
        _json.WriteString("keyPackId", row.KeyPackId);
        _json.WriteString("licenseId", row.LicenseId);
        _json.WriteString("sIssuedToComputer", row.Computer);
        _json.WriteString("sIssuedToUser", row.User);
        _json.WriteString("sHardwareId", row.HardwareId);
        _json.WriteString("issueDate", row.IssueDate);
        _json.WriteString("expirationDate", row.ExpirationDate);
        _json.WriteNumber("licenseStatus", (int)row.Status);
        _json.WriteString("status", row.Status.ToString().ToLowerInvariant());
        if (row.Version is not null)
        {
            _json.WriteString("version", row.Version.Key);
        }

        _json.WriteEndObject();
        Count++;
        if (_json.BytesPending > 64 * 1024)
        {
            _json.Flush();
        }
    }

    /// <summary>Closes the array and flushes.</summary>
    public void Complete()
    {
        _json.WriteEndArray();
        _json.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();
}
