using RdLicensing.Analysis.Findings;

namespace RdLicensing.Analysis.Tests;

public sealed class AnalyzerTests
{
    [Fact]
    public void A_clean_export_reports_nothing()
    {
        AnalysisResult result = TestData.Analyze("issued-clean.csv", "keypacks.csv");

        Assert.Empty(result.Findings);
        Assert.Equal(0, result.CalsWasted);
        Assert.Empty(result.Limitations);
        Assert.Equal((10L, 10L, 10L), (result.Rows, result.LiveCals, result.Devices));
        RevocationBudget budget = Assert.Single(result.RevocationBudgets);
        Assert.Equal(("2022", 50L, 10L, 0L), (budget.Version, budget.InstalledPerDeviceCals, budget.Limit, budget.AlreadyRevoked));
    }

    [Fact]
    public void Without_key_packs_the_result_says_what_was_not_evaluated()
    {
        AnalysisResult result = TestData.Analyze("issued-rebuilt-device.csv", null);

        Assert.False(result.ExhaustionEvaluated);
        Assert.False(result.RevocationEvaluated);
        Assert.Equal(2, result.Limitations.Count);
        WastedCal wasted = Assert.Single(Assert.Single(result.Findings).WastedCals);
        Assert.False(wasted.RevocableNow);
        Assert.Contains("--keypacks", wasted.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_hardware_id_lists_the_image_machines_and_the_cals_no_machine_holds()
    {
        AnalysisResult result = TestData.Analyze("issued-shared-hardware-id.csv", "keypacks.csv");

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.SharedHardwareId, finding.Kind);
        Assert.Equal(new[] { "IMG01", "IMG02", "IMG03" }, finding.Devices.Select(d => d.Computer).Order());
        Assert.All(finding.Devices, d => Assert.Equal("00000000-00000000-00000000-00000000-0000BEEF", d.HardwareId));
        Assert.Equal(new[] { "201", "202", "203", "204", "205" }, finding.LicenseIds.Order());
        Assert.Equal(2, finding.CalsWasted);
        Assert.Equal(new[] { "201", "202" }, finding.WastedCals.Select(w => w.LicenseId));
        Assert.All(finding.WastedCals, w => Assert.True(w.RevocableNow));
        Assert.Contains("sysprep", finding.Resolution, StringComparison.Ordinal);
        Assert.Equal(2, result.RevocableNow);
        RevocationBudget budget = Assert.Single(result.RevocationBudgets);
        Assert.Equal((10L, 1L, 9L, 2L), (budget.Limit, budget.AlreadyRevoked, budget.Room, budget.PlannedNow));
    }

    [Fact]
    public void The_20_percent_rule_counts_revoked_unexpired_cals_and_frees_the_rest_on_their_expiry()
    {
        // keypacks-small: 10 installed (limit 2), none available; the export holds one revoked CAL until 2025-03-29.
        AnalysisResult result = TestData.Analyze("issued-shared-hardware-id.csv", "keypacks-small.csv");

        Finding shared = result.Findings.Single(f => f.Kind == FindingKinds.SharedHardwareId);
        WastedCal later = shared.WastedCals.Single(w => w.LicenseId == "202");
        WastedCal earlier = shared.WastedCals.Single(w => w.LicenseId == "201");
        Assert.True(later.RevocableNow);   // the one that would hold its CAL longest goes first
        Assert.False(earlier.RevocableNow);
        Assert.Contains("20% limit", earlier.Note, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 4, 9, 9, 30, 12, TimeSpan.Zero), earlier.ExpiresOn);
        RevocationBudget budget = Assert.Single(result.RevocationBudgets);
        Assert.Equal((2L, 1L, 1L, 1L), (budget.Limit, budget.AlreadyRevoked, budget.Room, budget.PlannedNow));
        Assert.Equal(new DateTimeOffset(2024, 12, 30 + 0, 9, 30, 12, TimeSpan.Zero).AddDays(89), budget.NextRevokeAllowedOn);
        Assert.Equal(1, result.RevocableNow);

        Finding exhaustion = result.Findings[0];
        Assert.Equal(FindingKinds.Exhaustion, exhaustion.Kind);
        Assert.Equal((0L, 10L), (exhaustion.Exhaustion!.Available, exhaustion.Exhaustion.Installed));
        Assert.Equal(TestData.AsOf, exhaustion.Exhaustion.ExhaustedOn);
    }

    [Fact]
    public void Hardware_id_churn_names_the_computer_and_the_lost_ids()
    {
        AnalysisResult result = TestData.Analyze("issued-hardware-id-churn.csv", "keypacks.csv");

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.HardwareIdChurn, finding.Kind);
        Assert.Equal(4, finding.Devices.Count);
        Assert.All(finding.Devices, d => Assert.Equal("KIOSK01", d.Computer));
        Assert.Equal("current", finding.Devices.Single(d => d.HardwareId.EndsWith("D004", StringComparison.Ordinal)).Role);
        Assert.Equal(3, finding.Devices.Count(d => d.Role == "stale"));
        Assert.Equal(new[] { "301", "302", "303" }, finding.WastedCals.Select(w => w.LicenseId));
        Assert.Equal(3, finding.CalsWasted);
        Assert.Contains("per-user licensing", finding.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public void Rebuilt_device_frees_the_old_cal_on_its_expiry_or_now()
    {
        AnalysisResult result = TestData.Analyze("issued-rebuilt-device.csv", "keypacks.csv");

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.RebuiltDevice, finding.Kind);
        Assert.Equal(new[] { ("PC20", "stale"), ("PC20", "current") }, finding.Devices.Select(d => (d.Computer, d.Role)));
        WastedCal old = Assert.Single(finding.WastedCals);
        Assert.Equal(("401", "2022", true), (old.LicenseId, old.Version, old.RevocableNow));
        Assert.Equal(new DateTimeOffset(2025, 4, 4, 9, 30, 12, TimeSpan.Zero), finding.FreeOn);
    }

    [Fact]
    public void Duplicate_computer_name_wastes_nothing()
    {
        AnalysisResult result = TestData.Analyze("issued-duplicate-computer-name.csv", "keypacks.csv");

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.DuplicateComputerName, finding.Kind);
        Assert.Equal(new[] { "501", "502" }, finding.LicenseIds.Order());
        Assert.Equal(0, finding.CalsWasted);
        Assert.Empty(finding.WastedCals);
        Assert.Equal(0, result.CalsWasted);
    }

    [Fact]
    public void Exhaustion_is_forecast_from_the_recent_issuance_rate()
    {
        // keypacks-low: 2 available; one permanent CAL issued in the 30 days before 2025-03-15 → 2 / (1/30) = 60 days.
        AnalysisResult result = TestData.Analyze("issued-rebuilt-device.csv", "keypacks-low.csv");

        Finding finding = result.Findings.Single(f => f.Kind == FindingKinds.Exhaustion);
        ExhaustionForecast forecast = finding.Exhaustion!;
        Assert.Equal(("2022", 2L, 1), (forecast.Version, forecast.Available, forecast.IssuedInWindow));
        Assert.Equal(TestData.AsOf.AddDays(60), forecast.ExhaustedOn);
        Assert.Contains("2025-05-14", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rename_style_single_name_change_with_expired_history_is_not_churn()
    {
        var t = TestData.AsOf;
        var rows = new[]
        {
            new IssuedLicenseRecord("3", "1", "PC", "", "AA", t.AddDays(-200), t.AddDays(-120), WmiLicenseStatus.Active),
            new IssuedLicenseRecord("3", "2", "PC", "", "BB", t.AddDays(-20), t.AddDays(60), WmiLicenseStatus.Active),
        };

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, [], TimeProvider.System, new AnalysisOptions(t));

        Assert.Empty(result.Findings); // the old CAL already went back to the pool: nothing is wasted
    }

    [Fact]
    public void Hardware_ids_long_expired_are_history_not_churn()
    {
        var t = TestData.AsOf;
        var rows = new[]
        {
            new IssuedLicenseRecord("3", "1", "PC", "", "AA", t.AddDays(-700), t.AddDays(-620), WmiLicenseStatus.Active),
            new IssuedLicenseRecord("3", "2", "PC", "", "BB", t.AddDays(-400), t.AddDays(-320), WmiLicenseStatus.Active),
            new IssuedLicenseRecord("3", "3", "PC", "", "CC", t.AddDays(-20), t.AddDays(60), WmiLicenseStatus.Active),
        };

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, [], TimeProvider.System, new AnalysisOptions(t));

        Assert.Empty(result.Findings);
        Assert.Equal(3, result.Devices);
    }

    [Fact]
    public void Hardware_ids_that_differ_only_in_case_and_separators_are_one_device()
    {
        var t = TestData.AsOf;
        var rows = new[]
        {
            new IssuedLicenseRecord("3", "1", "PC1", "", "00aa11bb-22cc33dd", t.AddDays(-30), t.AddDays(40), WmiLicenseStatus.Active),
            new IssuedLicenseRecord("3", "2", "PC2", "", "00AA11BB22CC33DD", t.AddDays(-20), t.AddDays(60), WmiLicenseStatus.Active),
        };

        AnalysisResult result = IssuedLicenseAnalyzer.Analyze(rows, [], TimeProvider.System, new AnalysisOptions(t));

        Finding finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKinds.SharedHardwareId, finding.Kind);
        Assert.Equal("00aa11bb-22cc33dd", finding.Devices[0].HardwareId);
    }
}
