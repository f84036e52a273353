using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Imports;
using RdLicensing.Domain;

namespace RdLicensing.Analysis.Tests;

public sealed class ImportTests
{
    private const string Header = "\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sHardwareId\",\"sIssuedToComputer\",\"sIssuedToUser\"\r\n";
    private const string Row = "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\"100\",\"2\",\"AB12\",\"PC01\",\"CONTOSO\\u1\"\r\n";

    private static List<IssuedLicenseRecord> Read(string text) => [.. IssuedLicenseCsvReader.Read(new StringReader(text))];

    [Fact]
    public void Reads_a_get_wmiobject_export_with_the_type_line_and_system_columns()
    {
        List<IssuedLicenseRecord> rows = TestData.Issued("issued-clean.csv");

        Assert.Equal(10, rows.Count);
        IssuedLicenseRecord first = rows[0];
        Assert.Equal(("3", "100", "PC01", @"CONTOSO\user01"), (first.KeyPackId, first.LicenseId, first.Computer, first.User));
        Assert.Equal("00000000-00000000-00000000-00000000-0000A000", first.HardwareId);
        Assert.Equal(new DateTimeOffset(2025, 1, 5, 9, 30, 12, TimeSpan.Zero), first.IssueDate);
        Assert.Equal(new DateTimeOffset(2025, 4, 4, 9, 30, 12, TimeSpan.Zero), first.ExpirationDate);
        Assert.Equal(WmiLicenseStatus.Active, first.Status);
        Assert.Equal(3, first.Line);
        Assert.Equal(12, rows[^1].Line);
    }

    [Fact]
    public void Reads_a_get_ciminstance_export_with_culture_dates()
    {
        List<IssuedLicenseRecord> rows = TestData.Issued("issued-rebuilt-device.csv");

        Assert.Equal(12, rows.Count);
        IssuedLicenseRecord pc20 = rows.Single(r => r.LicenseId == "402");
        Assert.Equal(new DateTimeOffset(2025, 2, 15, 9, 30, 12, TimeSpan.Zero), pc20.IssueDate);
        Assert.Equal(new DateTimeOffset(2025, 5, 15, 9, 30, 12, TimeSpan.Zero), pc20.ExpirationDate);
    }

    [Fact]
    public void Reads_an_export_without_the_type_line_and_equal_to_the_one_with_it()
    {
        string text = Header + Row;

        Assert.Equal(Read(text).Single() with { Line = 0 }, Read("#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_TSIssuedLicense\r\n" + text).Single() with { Line = 0 });
    }

    [Fact]
    public void Reads_the_key_pack_export()
    {
        IReadOnlyList<KeyPackRecord> packs = TestData.KeyPacks("keypacks.csv");

        Assert.Equal(4, packs.Count);
        KeyPackRecord device = packs.Single(p => p.KeyPackId == "3");
        Assert.Equal((50L, 18L, 32L), (device.TotalLicenses, device.IssuedLicenses, device.AvailableLicenses));
        Assert.Same(ProductVersions.V2022, device.Version);
        Assert.True(device.IsInstalledPerDevice);
        Assert.False(packs.Single(p => p.KeyPackId == "4").IsInstalledPerDevice); // the temporary pack
        Assert.Equal(3, packs.Single(p => p.KeyPackId == "5").OverAllocated);      // 23 per-user CALs issued of 20
        Assert.Equal("Built-in TS Per Device CAL", packs.Single(p => p.KeyPackId == "2").TypeAndModel);
    }

    [Theory]
    [InlineData("#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_TSLicenseKeyPack\r\n" + Header + Row, 1, null, "expected an export of Win32_TSIssuedLicense")]
    [InlineData("\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sIssuedToComputer\",\"sIssuedToUser\"\r\n", 1, null, "missing column sHardwareId")]
    [InlineData("\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sHardwareId\",\"sIssuedToComputer\",\"sIssuedToUser\",\"Colour\"\r\n", 1, "Colour", "unknown column")]
    [InlineData(Header + Row + Row + "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\"", 4, null, "truncated")]
    [InlineData(Header + Row + "\"20250404093012.000000-000\",\"2025-13-45\",\"3\",\"100\",\"2\",\"AB12\",\"PC01\",\"u\"\r\n", 3, "IssueDate", "neither a WMI datetime")]
    [InlineData(Header + "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\" \",\"2\",\"AB12\",\"PC01\",\"u\"\r\n", 2, "LicenseId", "empty value")]
    [InlineData(Header + "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\"1\",\"two\",\"AB12\",\"PC01\",\"u\"\r\n", 2, "LicenseStatus", "not an unsigned 32-bit number")]
    [InlineData(Header + "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\"1\",\"9\",\"AB12\",\"PC01\",\"u\"\r\n", 2, "LicenseStatus", "not a LicenseStatus")]
    [InlineData("", 1, null, "empty")]
    public void Bad_exports_fail_with_line_and_column(string text, int line, string? column, string reason)
    {
        var error = Assert.Throws<CsvImportException>(() => Read(text));

        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_of_another_class_in_the_class_column_is_an_error()
    {
        string text = "\"__CLASS\"," + Header + "\"Win32_Process\"," + Row;

        var error = Assert.Throws<CsvImportException>(() => Read(text));

        Assert.Equal((2, "__CLASS"), (error.Line, error.Column));
    }

    [Fact]
    public void Records_stream_before_a_later_error_surfaces()
    {
        IEnumerator<IssuedLicenseRecord> rows = IssuedLicenseCsvReader.Read(new StringReader(Header + Row + "\"broken")).GetEnumerator();

        Assert.True(rows.MoveNext());
        Assert.Equal("100", rows.Current.LicenseId);
        Assert.Throws<CsvImportException>(() => rows.MoveNext());
    }
}
