using System.Text;
using System.Text.Json;
using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Imports;
using RdLicensing.Analysis.Reports;
using RdLicensing.Domain;
using Microsoft.Extensions.Time.Testing;

namespace RdLicensing.Analysis.Tests;

public sealed class ReportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_per_device_csv_reads_back_as_a_win32_tsissuedlicense_export(bool typeLine)
    {
        List<IssuedLicenseRecord> rows = TestData.Issued("issued-shared-hardware-id.csv");
        var text = new StringWriter();

        long written = PerDeviceReport.WriteCsv(text, rows, typeLine);

        Assert.Equal(rows.Count, written);
        Assert.Equal(typeLine, text.ToString().StartsWith("#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_TSIssuedLicense\r\n", StringComparison.Ordinal));
        List<IssuedLicenseRecord> back = [.. IssuedLicenseCsvReader.Read(new StringReader(text.ToString()))];
        Assert.Equal(rows.Select(r => r with { Line = 0 }), back.Select(r => r with { Line = 0 }));
    }

    [Fact]
    public void Our_own_text_ids_round_trip_and_analyse()
    {
        DateTimeOffset t = TestData.AsOf;
        IssuedLicenseRecord[] rows =
        [
            new("temporary", "0S9PVQHVY5HN", "PC02", "", "0200000022222222222222222222222222222222", t.AddDays(-40), t.AddDays(50), WmiLicenseStatus.Temporary),
            new("2", "JAAD6FVF76KF", "PC02", "CONTOSO\\ann", "0200000033333333333333333333333333333333", t.AddDays(-10), t.AddDays(70), WmiLicenseStatus.Active),
        ];
        var text = new StringWriter();
        PerDeviceReport.WriteCsv(text, rows, typeLine: true);

        List<IssuedLicenseRecord> back = [.. IssuedLicenseCsvReader.Read(new StringReader(text.ToString()))];
        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(back, [], TimeProvider.System, new AnalysisOptions(t));

        Assert.Equal(rows, back.Select(r => r with { Line = 0 }));
        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.RebuiltDevice, finding.Kind);
        WastedCal wasted = Assert.Single(finding.WastedCals);
        Assert.Equal(("0S9PVQHVY5HN", "temporary", false), (wasted.LicenseId, wasted.KeyPackId, wasted.RevocableNow));
        Assert.Contains("only permanent CALs", wasted.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_per_device_json_is_one_array_with_the_wmi_names()
    {
        List<IssuedLicenseRecord> rows = TestData.Issued("issued-clean.csv");
        using var stream = new MemoryStream();

        PerDeviceReport.WriteJson(stream, rows);

        using JsonDocument json = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(10, json.RootElement.GetArrayLength());
        JsonElement first = json.RootElement[0];
        Assert.Equal("PC01", first.GetProperty("sIssuedToComputer").GetString());
        Assert.Equal(2, first.GetProperty("licenseStatus").GetInt32());
        Assert.Equal("active", first.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2025, 1, 5, 9, 30, 12, TimeSpan.Zero), first.GetProperty("issueDate").GetDateTimeOffset());
    }

    [Fact]
    public void The_key_pack_report_shows_per_user_over_allocation_and_reads_back()
    {
        KeyPackReport report = KeyPackReport.Build(TestData.KeyPacks("keypacks.csv"));

        KeyPackSummaryRow perUser = report.KeyPacks.Single(p => p.CalType == "per-user");
        Assert.Equal((20L, 23L, 0L, 3L), (perUser.TotalLicenses, perUser.IssuedLicenses, perUser.AvailableLicenses, perUser.OverAllocatedLicenses));
        Assert.True(report.KeyPacks.Single(p => p.KeyPackId == "4").Temporary);
        Assert.DoesNotContain(report.Totals, t => t.TotalLicenses == 0 && t.CalType == "per-device" && t.ProductVersionId == 7 && t.IssuedLicenses == 0);
        var text = new StringWriter();
        report.WriteCsv(text);
        IReadOnlyList<KeyPackRecord> back = KeyPackCsvReader.Read(new StringReader(text.ToString()));
        Assert.Equal(4, back.Count);
        Assert.Equal(3, back.Single(p => p.KeyPackId == "5").OverAllocated);
        Assert.Equal(4, back.Single(p => p.KeyPackId == "4").KeyPackType);
    }

    [Fact]
    public void The_per_user_report_summarises_installed_and_issued_per_version()
    {
        var time = new FakeTimeProvider(TestData.AsOf);
        DateTimeOffset expires = TestData.AsOf.AddDays(60);
        PerUserCal[] cals = [.. Enumerable.Range(1, 23).Select(i => new PerUserCal($"CONTOSO\\u{i:00}", expires, ProductVersions.V2022)),
            new PerUserCal("CONTOSO\\old", expires, ProductVersions.V2019)];

        PerUserReport report = PerUserReport.Build(cals, TestData.KeyPacks("keypacks.csv"), time);

        Assert.Equal(TestData.AsOf, report.GenerationDateTime);
        Assert.Equal(24, report.Entries.Count);
        Assert.Equal("RDS Per User CAL", report.Entries[0].CalType);
        PerUserReportSummary v2022 = report.Summary.Single(s => s.ProductVersionId == 7);
        Assert.Equal((20L, 23L, 3L, "Limited"), (v2022.InstalledLicenses, v2022.IssuedLicenses, v2022.OverAllocated, v2022.TsCalAvailability));
        PerUserReportSummary v2019 = report.Summary.Single(s => s.ProductVersionId == 6);
        Assert.Equal((0L, 1L, "None"), (v2019.InstalledLicenses, v2019.IssuedLicenses, v2019.TsCalAvailability));
        var entries = new StringWriter();
        report.WriteEntriesCsv(entries);
        Assert.StartsWith("\"User\",\"ExpirationDate\",\"CALType\",\"ProductVersion\",\"ProductVersionID\"\r\n", entries.ToString(), StringComparison.Ordinal);
        var summary = new StringWriter();
        report.WriteSummaryCsv(summary);
        Assert.Contains("\"Windows Server 2022\",\"7\",\"Per User\",\"20\",\"23\",\"3\",\"Limited\"", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_analysis_json_has_the_documented_shape()
    {
        AnalysisResult result = TestData.Analyze("issued-rebuilt-device.csv", "keypacks.csv");
        using var stream = new MemoryStream();

        ReportJson.Write(stream, result);

        using JsonDocument json = JsonDocument.Parse(stream.ToArray());
        JsonElement root = json.RootElement;
        Assert.Equal(12, root.GetProperty("rows").GetInt64());
        Assert.Equal(1, root.GetProperty("calsWasted").GetInt32());
        JsonElement finding = root.GetProperty("findings")[0];
        Assert.Equal("rebuilt-device", finding.GetProperty("kind").GetString());
        Assert.Equal("stale", finding.GetProperty("devices")[0].GetProperty("role").GetString());
        JsonElement wasted = finding.GetProperty("wastedCals")[0];
        Assert.Equal("401", wasted.GetProperty("licenseId").GetString());
        Assert.True(wasted.GetProperty("revocableNow").GetBoolean());
        Assert.False(wasted.TryGetProperty("note", out _)); // nulls are left out
        Assert.False(finding.TryGetProperty("exhaustion", out _));
        Assert.Equal("2022", root.GetProperty("revocationBudgets")[0].GetProperty("version").GetString());
    }
}
