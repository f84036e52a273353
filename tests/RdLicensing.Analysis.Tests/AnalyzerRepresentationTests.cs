using System.Globalization;
using RdLicensing.Analysis.Findings;

namespace RdLicensing.Analysis.Tests;

/// <summary>
/// Pins what the analyzer's compact representation (names in a character arena, hardware ids packed into words, license
/// ids as numbers, records in chunked arrays under hash indexes) must not change: name and id equality, the text given
/// back, and the order of findings, also past the sizes at which the arrays and indexes grow.
/// </summary>
public sealed class AnalyzerRepresentationTests
{
    private static readonly DateTimeOffset T = TestData.AsOf;

    [Fact]
    public void Computer_names_that_differ_only_in_case_are_one_name_reported_as_first_written()
    {
        IssuedLicenseRecord[] rows =
        [
            new("3", "1", "pc-Lab1", "", "0000000000000000000000000000000000000A01", T.AddDays(-60), T.AddDays(20), WmiLicenseStatus.Active),
            new("3", "2", "PC-LAB1", "", "0000000000000000000000000000000000000B02", T.AddDays(-10), T.AddDays(79), WmiLicenseStatus.Active),
        ];

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, null, TimeProvider.System, new AnalysisOptions(T));

        Assert.Equal(2, result.Devices);
        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.RebuiltDevice, finding.Kind);
        Assert.StartsWith("computer pc-Lab1 got a new hardware id", finding.Summary, StringComparison.Ordinal);
        Assert.All(finding.Devices, d => Assert.Equal("pc-Lab1", d.Computer));
        Assert.Equal(["0000000000000000000000000000000000000A01", "0000000000000000000000000000000000000B02"], finding.Devices.Select(d => d.HardwareId).Order());
        WastedCal wasted = Assert.Single(finding.WastedCals);
        Assert.Equal(("1", "pc-Lab1", "0000000000000000000000000000000000000A01"), (wasted.LicenseId, wasted.Computer, wasted.HardwareId));
    }

    [Fact]
    public void License_ids_are_given_back_as_written_leading_zeros_and_text_included()
    {
        const string Image = "00000000-00000000-00000000-00000000-0000BEEF";
        IssuedLicenseRecord[] rows =
        [
            new("3", "007", "IMG1", "", Image, T.AddDays(-40), T.AddDays(30), WmiLicenseStatus.Active),
            new("3", "7", "IMG1", "", Image, T.AddDays(-5), T.AddDays(80), WmiLicenseStatus.Active),
            new("3", "JAAD6FVF76KF", "IMG2", "", Image, T.AddDays(-30), T.AddDays(30), WmiLicenseStatus.Active),
            new("3", "0", "IMG2", "", Image, T.AddDays(-3), T.AddDays(82), WmiLicenseStatus.Active),
        ];

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, null, TimeProvider.System, new AnalysisOptions(T));

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.SharedHardwareId, finding.Kind);
        Assert.Equal(["0", "007", "7", "JAAD6FVF76KF"], finding.LicenseIds.Order(StringComparer.Ordinal));
        // Same expiry: ids that are not a number's own text ("007" is not) sort before numbers, later-seen first, as they always have.
        Assert.Equal(["JAAD6FVF76KF", "007"], finding.WastedCals.Select(w => w.LicenseId));
        Assert.All(finding.Devices, d => Assert.Equal(Image, d.HardwareId));
    }

    [Fact]
    public void A_name_longer_than_an_arena_chunk_is_kept_whole()
    {
        string longName = new('N', 70_000);
        IssuedLicenseRecord[] rows =
        [
            new("3", "1", "A", "", "01", T.AddDays(-60), T.AddDays(20), WmiLicenseStatus.Active),
            new("3", "2", longName, "", "0A", T.AddDays(-60), T.AddDays(20), WmiLicenseStatus.Active),
            new("3", "3", longName.ToLowerInvariant(), "", "0B", T.AddDays(-10), T.AddDays(79), WmiLicenseStatus.Active),
            new("3", "4", "B", "", "02", T.AddDays(-60), T.AddDays(20), WmiLicenseStatus.Active),
        ];

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, null, TimeProvider.System, new AnalysisOptions(T));

        Assert.Equal(4, result.Devices);
        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.RebuiltDevice, finding.Kind);
        Assert.All(finding.Devices, d => Assert.Equal(longName, d.Computer));
    }

    [Fact]
    public void Many_devices_keep_their_identity_and_the_findings_their_order()
    {
        // 100,000 devices (past several chunk sizes and index growths), hardware ids in three spellings and as plain text,
        // with a planted shared image (2 CALs wasted), a rebuilt machine whose names differ in case (1 wasted) and a
        // duplicate name (none wasted).
        var rows = new List<IssuedLicenseRecord>();
        for (int i = 0; i < 100_000; i++)
        {
            string hwid = (i % 4) switch
            {
                0 => i.ToString("X40", CultureInfo.InvariantCulture),
                1 => i.ToString("x40", CultureInfo.InvariantCulture),
                2 => string.Join('-', i.ToString("X40", CultureInfo.InvariantCulture).Chunk(8).Select(c => new string(c))),
                _ => "serial #" + i.ToString(CultureInfo.InvariantCulture),
            };
            rows.Add(new IssuedLicenseRecord("3", (i + 1).ToString(CultureInfo.InvariantCulture), "PC" + i.ToString(CultureInfo.InvariantCulture),
                "", hwid, T.AddDays(-(i % 50) - 1), T.AddDays(40), WmiLicenseStatus.Active));
        }

        // The same devices again under other spellings: nothing new.
        rows.Add(rows[4] with { LicenseId = "900001", Computer = "pc4" });
        rows.Add(rows[10] with { LicenseId = "900002", HardwareId = "000000000000000000000000000000000000000a" });
        rows.Add(rows[7] with { LicenseId = "900003", HardwareId = "  SERIAL #7 " });

        const string Image = "DEADBEEFDEADBEEFDEADBEEFDEADBEEFDEADBEEF";
        rows.Add(new IssuedLicenseRecord("3", "800001", "IMG-A", "", Image, T.AddDays(-40), T.AddDays(30), WmiLicenseStatus.Active));
        rows.Add(new IssuedLicenseRecord("3", "800002", "IMG-A", "", Image, T.AddDays(-4), T.AddDays(80), WmiLicenseStatus.Active));
        rows.Add(new IssuedLicenseRecord("3", "800003", "IMG-B", "", Image, T.AddDays(-41), T.AddDays(31), WmiLicenseStatus.Active));
        rows.Add(new IssuedLicenseRecord("3", "800004", "IMG-B", "", Image.ToLowerInvariant(), T.AddDays(-3), T.AddDays(81), WmiLicenseStatus.Active));
        rows.Add(new IssuedLicenseRecord("3", "800005", "pc99999", "", "ABCDEF", T.AddDays(-1), T.AddDays(88), WmiLicenseStatus.Active));
        rows.Add(new IssuedLicenseRecord("3", "800006", "PC5049", "", "FEDCBA", T.AddDays(-49.5), T.AddDays(80), WmiLicenseStatus.Active));

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, null, TimeProvider.System, new AnalysisOptions(T));

        Assert.Equal(rows.Count, result.Rows);
        Assert.Equal(100_000 + 2 + 2, result.Devices);
        Assert.Equal(
            [FindingKinds.SharedHardwareId, FindingKinds.RebuiltDevice, FindingKinds.DuplicateComputerName],
            result.Findings.Select(f => f.Kind));
        Assert.Equal(["800001", "800003"], result.Findings[0].WastedCals.Select(w => w.LicenseId));
        Assert.All(result.Findings[0].Devices, d => Assert.Equal(Image, d.HardwareId));
        Assert.Equal("100000", Assert.Single(result.Findings[1].WastedCals).LicenseId);
        Assert.Equal(["PC99999", "PC99999"], result.Findings[1].Devices.Select(d => d.Computer));
        Assert.Equal(["00000000000000000000000000000000000013b9", "FEDCBA"], result.Findings[2].Devices.Select(d => d.HardwareId).Order(StringComparer.Ordinal));
        Assert.Empty(result.Findings[2].WastedCals);
        Assert.Equal(3, result.CalsWasted);
    }
}
