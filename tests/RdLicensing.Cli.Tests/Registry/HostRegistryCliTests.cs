using System.Text;
using System.Text.Json;
using RdLicensing.Cli.Tests.Support;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;

namespace RdLicensing.Cli.Tests.Registry;

/// <summary><c>rdlic host config|grace</c> and <c>rdlic registry export|import</c> on a host data directory.</summary>
public sealed class HostRegistryCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rdlic-host-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string RegistryFile => Path.Combine(_data, "host-registry.reg");

    private string[] BackupFiles => Directory.Exists(Path.Combine(_data, "backups"))
        ? Directory.GetFiles(Path.Combine(_data, "backups")).Order(StringComparer.Ordinal).ToArray()
        : [];

    internal static byte[] Utf16(string text) =>
        [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))];

    [Fact]
    public async Task Config_set_leaves_the_new_value_and_a_backup_of_the_old_one()
    {
        RdlicResult first = await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-device", "--license-servers", "ls1.contoso.com,ls2.contoso.com");
        Assert.True(first.ExitCode == 0, first.ToString());

        RdlicResult second = await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-user");
        Assert.True(second.ExitCode == 0, second.ToString());

        HostConfiguration config = HostConfiguration.Read(RegistryModel.FromRegFile(RegFile.Parse(File.ReadAllBytes(RegistryFile))));
        Assert.Equal(Domain.LicensingMode.PerUser, config.Mode);
        Assert.Equal(["ls1.contoso.com", "ls2.contoso.com"], config.LicenseServers);

        string[] backups = BackupFiles;
        Assert.Equal(3, backups.Length);
        Assert.EndsWith("-licensing-core.reg", backups[2], StringComparison.Ordinal);
        Assert.Contains(backups[2], second.StdErr, StringComparison.Ordinal);
        string old = RegFile.Parse(File.ReadAllBytes(backups[2])).ToText();
        Assert.Equal(
            "Windows Registry Editor Version 5.00\r\n\r\n"
            + "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\r\n"
            + "\"LicensingMode\"=dword:00000002\r\n\r\n",
            old);

        // Importing the backup restores the old value.
        RdlicResult restore = await Rdlic.RunAsync("registry", "import", backups[2], "--data", _data);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        JsonElement shown = Json.Parse(await Rdlic.RunAsync("host", "config", "show", "--data", _data, "--json"));
        Assert.Equal("per-device", shown.Str("mode"));
        Assert.Equal("local", shown.Str("modeSource"));
    }

    [Fact]
    public async Task Config_set_refuses_bad_input_and_changes_nothing()
    {
        RdlicResult mode = await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-seat");
        RdlicResult servers = await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--license-servers", "a b");
        RdlicResult nothing = await Rdlic.RunAsync("host", "config", "set", "--data", _data);

        Assert.True(mode.ExitCode == 1, mode.ToString());
        Assert.Contains("--mode", mode.StdErr, StringComparison.Ordinal);
        Assert.True(servers.ExitCode == 1, servers.ToString());
        Assert.Contains("bad license server name 'a b'", servers.StdErr, StringComparison.Ordinal);
        Assert.True(nothing.ExitCode == 1, nothing.ToString());
        Assert.False(File.Exists(RegistryFile));
        Assert.Empty(BackupFiles);
    }

    [Fact]
    public async Task A_policy_wins_and_show_says_so()
    {
        string reg = Path.Combine(_data, "policy.reg");
        await File.WriteAllBytesAsync(reg, Utf16(
            "Windows Registry Editor Version 5.00\n\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]\n"
            + "\"LicensingMode\"=dword:00000004\n\"LicenseServers\"=\"gpo-ls.contoso.com\"\n\n"), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Rdlic.RunAsync("registry", "import", reg, "--data", _data)).ExitCode);

        RdlicResult set = await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-device");
        JsonElement shown = Json.Parse(await Rdlic.RunAsync("host", "config", "show", "--data", _data, "--json"));

        Assert.Contains("group policy sets the licensing mode to per-user", set.StdErr, StringComparison.Ordinal);
        Assert.Equal("per-user", shown.Str("mode"));
        Assert.Equal("policy", shown.Str("modeSource"));
        Assert.Equal("per-device", shown.Str("localMode"));
        Assert.Equal("gpo-ls.contoso.com", shown.GetProperty("licenseServers")[0].GetString());
    }

    [Fact]
    public async Task Grace_reports_days_left_from_the_filetime()
    {
        DateTimeOffset end = DateTimeOffset.UtcNow.AddDays(30.5);
        string hex = string.Join(",", BitConverter.GetBytes(end.UtcDateTime.ToFileTimeUtc()).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        string reg = Path.Combine(_data, "grace.reg");
        await File.WriteAllBytesAsync(reg, Utf16(
            "Windows Registry Editor Version 5.00\n\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\GracePeriod]\n"
            + $"\"L$RTMTIMEBOMB_1320153D-8DA3-4e8e-B27B-0D888223A588\"=hex:{hex}\n\n"), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Rdlic.RunAsync("registry", "import", reg, "--data", _data)).ExitCode);

        JsonElement grace = Json.Parse(await Rdlic.RunAsync("host", "grace", "--data", _data, "--json"));
        RdlicResult plain = await Rdlic.RunAsync("host", "grace", "--data", _data);

        Assert.Equal(31, grace.Int("daysLeft"));
        Assert.True(grace.GetProperty("started").GetBoolean());
        Assert.Equal("31", plain.StdOut.Trim());
    }

    [Fact]
    public async Task A_malformed_import_is_rejected_with_its_line_and_changes_nothing()
    {
        Assert.Equal(0, (await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-device")).ExitCode);
        byte[] before = await File.ReadAllBytesAsync(RegistryFile, TestContext.Current.CancellationToken);
        int backupsBefore = BackupFiles.Length;
        string reg = Path.Combine(_data, "broken.reg");
        await File.WriteAllBytesAsync(reg, Utf16(
            "Windows Registry Editor Version 5.00\n\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\n"
            + "\"LicensingMode\"=dword:00000004\n\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"Bad\"=hex:01,0x\n"), TestContext.Current.CancellationToken);

        RdlicResult result = await Rdlic.RunAsync("registry", "import", reg, "--data", _data);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{reg}: line 7, column 15: broken hex data", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(RegistryFile, TestContext.Current.CancellationToken));
        Assert.Equal(backupsBefore, BackupFiles.Length);
    }

    [Fact]
    public async Task Export_writes_what_import_reads_in_both_formats()
    {
        Assert.Equal(0, (await Rdlic.RunAsync("host", "config", "set", "--data", _data, "--mode", "per-user", "--license-servers", "ls1")).ExitCode);
        string v5 = Path.Combine(_data, "out.reg");
        string v4 = Path.Combine(_data, "out4.reg");

        RdlicResult export = await Rdlic.RunAsync("registry", "export", v5, "--data", _data);
        RdlicResult export4 = await Rdlic.RunAsync("registry", "export", v4, "--data", _data, "--regedit4", "--key", "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM");
        RdlicResult missing = await Rdlic.RunAsync("registry", "export", v4, "--data", _data, "--key", "HKLM\\NOWHERE");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(export4.ExitCode == 0, export4.ToString());
        Assert.True(missing.ExitCode == 1, missing.ToString());
        byte[] bytes = await File.ReadAllBytesAsync(v5, TestContext.Current.CancellationToken);
        Assert.Equal(await File.ReadAllBytesAsync(RegistryFile, TestContext.Current.CancellationToken), bytes);
        Assert.Equal([0xFF, 0xFE], bytes[..2]);
        RegFile old = RegFile.Parse(await File.ReadAllBytesAsync(v4, TestContext.Current.CancellationToken));
        Assert.Equal(RegFileFormat.Regedit4, old.Format);
        Assert.Equal(
            "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM]\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM\\Licensing Core]\r\n\"LicensingMode\"=dword:00000004\r\n\r\n",
            Encoding.Latin1.GetString(await File.ReadAllBytesAsync(v4, TestContext.Current.CancellationToken)));
    }
}
