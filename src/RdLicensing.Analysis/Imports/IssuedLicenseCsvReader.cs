using RdLicensing.Analysis.Csv;

namespace RdLicensing.Analysis.Imports;

/// <summary>
/// Reads <c>Get-WmiObject Win32_TSIssuedLicense | Export-Csv</c> and <c>Get-CimInstance Win32_TSIssuedLicense | Export-Csv</c>
/// output, one record at a time. Every error names the line and the column; the records read before an error are not a
/// complete export. KeyPackId and LicenseId are numbers in a Windows export and text in RdLicensing's own per-device
/// report (e.g. "temporary", "JAAD6FVF76KF"); both are read as identifiers.
/// </summary>
public static class IssuedLicenseCsvReader
{
    /// <summary>The WMI class an export must be of.</summary>
    public const string ClassName = "Win32_TSIssuedLicense";

    /// <summary>The class's properties, in the order the class declares them.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["LicenseId", "KeyPackId", "sIssuedToUser", "sIssuedToComputer", "LicenseStatus", "IssueDate", "ExpirationDate", "sHardwareId"];

    private const int LicenseId = 0, KeyPackId = 1, User = 2, Computer = 3, Status = 4, Issue = 5, Expiration = 6, Hwid = 7;

    /// <summary>Streams the records of <paramref name="text"/> (the caller opened it and disposes it).</summary>
    /// <exception cref="CsvImportException">Malformed CSV, unknown or missing columns, bad values; with the line.</exception>
    public static IEnumerable<IssuedLicenseRecord> Read(TextReader text, WmiImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReadIterator(text, options ?? WmiImportOptions.Default);
    }

    private static IEnumerable<IssuedLicenseRecord> ReadIterator(TextReader text, WmiImportOptions options)
    {
        WmiCsvTable table = WmiCsvTable.Open(text, ClassName, Columns, Columns);
        while (table.Read())
        {
            uint status = table.UInt32(Status);
            if (status > (uint)WmiLicenseStatus.Concurrent)
            {
                throw table.Error(Status, $"{status} is not a LicenseStatus (0 to 6)");
            }

            DateTimeOffset issued = table.Date(Issue, options);
            DateTimeOffset expires = table.Date(Expiration, options);
            yield return new IssuedLicenseRecord(
                KeyPackId: table.Identifier(KeyPackId),
                LicenseId: table.Identifier(LicenseId),
                Computer: table.Raw(Computer)!.Trim(),
                User: table.Raw(User)!.Trim(),
                HardwareId: table.Raw(Hwid)!.Trim(),
                IssueDate: issued,
                ExpirationDate: expires,
                Status: (WmiLicenseStatus)status,
                Version: null,
                Line: table.Line);
        }
    }
}
