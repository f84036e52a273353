using RdLicensing.Domain;
using RdLicensing.Registry.Host;

namespace RdLicensing.Registry.Tests.Host;

public sealed class HostConfigurationTests
{
    [Fact]
    public void An_empty_registry_is_not_configured()
    {
        HostConfiguration config = HostConfiguration.Read(new RegistryModel());

        Assert.Equal(LicensingMode.NotConfigured, config.Mode);
        Assert.Equal(SettingSource.NotConfigured, config.ModeSource);
        Assert.Empty(config.LicenseServers);
        Assert.Equal(SettingSource.NotConfigured, config.LicenseServersSource);
        Assert.Null(config.GraceEnd);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void The_policy_wins_over_the_local_settings()
    {
        RegistryModel registry = RegistryModel.FromRegFile(RegFile.Parse(Fixture.Read("all-types-v5.reg")));

        HostConfiguration config = HostConfiguration.Read(registry);

        Assert.Equal(LicensingMode.PerUser, config.Mode);
        Assert.Equal(SettingSource.Policy, config.ModeSource);
        Assert.Equal(LicensingMode.PerDevice, config.LocalMode);
        Assert.Equal(["ls1.contoso.com", "ls2.contoso.com"], config.LicenseServers);
        Assert.Equal(SettingSource.Policy, config.LicenseServersSource);
        Assert.Equal(["ls1.contoso.com", "ls2.contoso.com"], config.LocalLicenseServers);
        // 00 f2 d1 31 e2 11 d3 01, a stamp seen in the wild (rds-facts.md section 3): 2017-08-10 14:08 UTC.
        Assert.Equal(new DateTimeOffset(2017, 8, 10, 14, 8, 0, TimeSpan.Zero), config.GraceEnd!.Value.AddTicks(-(config.GraceEnd.Value.Ticks % TimeSpan.TicksPerMinute)));
    }

    [Fact]
    public void Local_settings_apply_without_a_policy()
    {
        var registry = new RegistryModel();
        HostChange.SetMode(LicensingMode.PerDevice).ApplyTo(registry);
        HostChange.SetLicenseServers(["ls1", " ls2 ", "LS1"]).ApplyTo(registry);

        HostConfiguration config = HostConfiguration.Read(registry);

        Assert.Equal((LicensingMode.PerDevice, SettingSource.Local), (config.Mode, config.ModeSource));
        Assert.Equal(["ls1", "ls2"], config.LicenseServers);
        Assert.Equal(SettingSource.Local, config.LicenseServersSource);
        RegistryValue servers = registry.GetValue(HostRegistryKeys.LicenseServers, "SpecifiedLicenseServers")!;
        Assert.Equal(RegistryValueType.MultiString, servers.Type);
        Assert.True(registry.GetValue(HostRegistryKeys.LicensingCore, "LicensingMode")!.TryGetDWord(out uint mode));
        Assert.Equal(2u, mode);
    }

    [Fact]
    public void An_empty_server_list_removes_the_value()
    {
        var registry = new RegistryModel();
        HostChange.SetLicenseServers(["ls1"]).ApplyTo(registry);

        HostChange.SetLicenseServers([]).ApplyTo(registry);

        Assert.Null(registry.GetValue(HostRegistryKeys.LicenseServers, "SpecifiedLicenseServers"));
        Assert.Equal(SettingSource.NotConfigured, HostConfiguration.Read(registry).LicenseServersSource);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a,b")]
    [InlineData("")]
    public void Bad_server_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => HostChange.SetLicenseServers([name]));

    [Fact]
    public void Odd_values_are_ignored_with_a_warning()
    {
        var registry = new RegistryModel();
        registry.SetValue(HostRegistryKeys.LicensingCore, "LicensingMode", RegistryValue.FromString("2"));
        registry.SetValue(HostRegistryKeys.Policy, "LicensingMode", RegistryValue.FromDWord(6));
        registry.SetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue, RegistryValue.FromBinary([1, 2, 3]));

        HostConfiguration config = HostConfiguration.Read(registry);

        Assert.Equal(LicensingMode.NotConfigured, config.Mode);
        Assert.Equal(3, config.Warnings.Count);
        Assert.Contains(config.Warnings, w => w.Contains("REG_SZ", StringComparison.Ordinal));
        Assert.Contains(config.Warnings, w => w.Contains("AAD per user", StringComparison.Ordinal));
        Assert.Contains(config.Warnings, w => w.Contains("FILETIME", StringComparison.Ordinal));
    }

    [Fact]
    public void License_servers_named_as_subkeys_are_read_as_older_hosts_keep_them()
    {
        var registry = new RegistryModel();
        registry.CreateKey(HostRegistryKeys.LicenseServers + "\\ls9.contoso.com");

        HostConfiguration config = HostConfiguration.Read(registry);

        Assert.Equal(["ls9.contoso.com"], config.LicenseServers);
    }

    [Fact]
    public void The_product_name_gives_the_host_version()
    {
        var registry = new RegistryModel();
        registry.SetValue(HostRegistryKeys.CurrentVersion, "ProductName", RegistryValue.FromString("Windows Server 2019 Datacenter"));

        Assert.Equal(ProductVersions.V2019, HostConfiguration.Read(registry).HostVersion);
    }
}

public sealed class GracePeriodTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Starting_writes_the_end_120_days_later_once()
    {
        var registry = new RegistryModel();

        HostChange.StartGrace(Start).ApplyTo(registry);
        HostChange.StartGrace(Start.AddDays(50)).ApplyTo(registry);

        HostConfiguration config = HostConfiguration.Read(registry);
        Assert.Equal(Start.AddDays(120), config.GraceEnd);
        RegistryValue stored = registry.GetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue)!;
        Assert.Equal(RegistryValueType.Binary, stored.Type);
        Assert.Equal(BitConverter.GetBytes(Start.AddDays(120).UtcDateTime.ToFileTimeUtc()), stored.Data.ToArray());
    }

    [Theory]
    [InlineData(0, 120)]
    [InlineData(0.01, 120)]
    [InlineData(1, 119)]
    [InlineData(119.5, 1)]
    [InlineData(120, 0)]
    [InlineData(400, 0)]
    public void Days_left_count_a_started_day_and_are_0_when_over(double elapsedDays, int left)
    {
        GraceState state = GraceState.At(Start.AddDays(120), Start.AddDays(elapsedDays));

        Assert.Equal(left, state.DaysLeft);
        Assert.Equal(left == 0, state.Expired);
    }

    [Fact]
    public void A_grace_period_not_started_has_all_its_days()
    {
        GraceState state = GraceState.At(null, Start);

        Assert.Equal(120, state.DaysLeft);
        Assert.False(state.Started);
    }

    [Fact]
    public void Ending_early_moves_the_end_to_now_and_never_later()
    {
        var registry = new RegistryModel();
        HostChange.StartGrace(Start).ApplyTo(registry);

        HostChange.EndGrace(Start.AddDays(10)).ApplyTo(registry);
        HostChange.EndGrace(Start.AddDays(20)).ApplyTo(registry);

        HostConfiguration config = HostConfiguration.Read(registry);
        Assert.Equal(Start.AddDays(10), config.GraceEnd);
        Assert.Equal(0, config.Grace(Start.AddDays(10)).DaysLeft);
    }
}
