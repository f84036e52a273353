using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;

namespace RdLicensing.Browser.Tests.Support;

/// <summary>A license server with something on every page, made through the REST API (the CLI path is tested elsewhere).</summary>
public static class Seed
{
    /// <summary>
    /// Activates; installs three packs; two host keys; 12 permanent and 3 temporary per-device CALs, one device rebuilt
    /// (a second hardware id under PC-005); 6 per-user CALs; one revocation; this server's own session host configured
    /// with a grace period ending in 9 days.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RealisticAsync(ServerProcess server)
    {
        using LicensingClient client = server.AdminClient();
        await client.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Contoso", "US", "ada@contoso.example"));
        await client.InstallKeyPackAsync(new InstallKeyPackRequest("select", "4965437", "2022", "per-device", 50));
        await client.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "BCDFG-HJKMP-QRTVW-XY234-67892", "2019", "per-device", 20));
        await client.InstallKeyPackAsync(new InstallKeyPackRequest("open", "12345678/ABCDE12345FGHIJ", "2022", "per-user", 25));
        await client.AddHostAsync("RDSH-01");
        await client.AddHostAsync("RDSH-02");

        var permanent = new List<string>();
        for (int device = 1; device <= 12; device++)
        {
            permanent.Add(await PermanentAsync(client, $"PC-{device:000}", Ui.Hwid(device), device % 2 == 0 ? "RDSH-02" : "RDSH-01"));
        }

        permanent.Add(await PermanentAsync(client, "PC-005", Ui.Hwid(105), "RDSH-01"));
        for (int device = 13; device <= 15; device++)
        {
            await client.RequestLicenseAsync(new LicenseRequest($"PC-{device:000}", Ui.Hwid(device), $@"CONTOSO\user{device}", "2022", HostName: "RDSH-02"));
        }

        for (int user = 1; user <= 6; user++)
        {
            await client.RequestLicenseAsync(new LicenseRequest($"LAPTOP-{user:00}", null, $@"CONTOSO\user{user}", "2022", "per-user", HostName: "RDSH-01"));
        }

        await client.RevokeLicenseAsync(permanent[2]);
        WriteLocalHost(server.DataDirectory, ["127.0.0.1", "LS-OLD"], DateTimeOffset.UtcNow.AddDays(9).AddHours(1));
        return permanent;
    }

    /// <summary>Writes this server's session-host registry (the file `rdlic host config` keeps) with mode, servers and grace end.</summary>
    public static void WriteLocalHost(string dataDirectory, IReadOnlyList<string> servers, DateTimeOffset graceEnd) =>
        File.WriteAllBytes(Path.Combine(dataDirectory, "host-registry.reg"), HostReg(servers, graceEnd, perDevice: true));

    /// <summary>A .reg export of a host's licensing keys, as regedit writes it (version 5.00, UTF-16).</summary>
    public static byte[] HostReg(IReadOnlyList<string> servers, DateTimeOffset? graceEnd, bool perDevice)
    {
        var registry = new RegistryModel();
        registry.SetValue(HostRegistryKeys.LicensingCore, HostRegistryKeys.LicensingModeValue, RegistryValue.FromDWord(perDevice ? 2u : 4u));
        if (servers.Count > 0)
        {
            registry.SetValue(HostRegistryKeys.LicenseServers, HostRegistryKeys.SpecifiedLicenseServersValue, RegistryValue.FromMultiString(servers));
        }

        if (graceEnd is { } end)
        {
            registry.SetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue, GracePeriod.ToValue(end));
        }

        return registry.Export()!.ToBytes();
    }

    private static async Task<string> PermanentAsync(LicensingClient client, string machine, string hwid, string host)
    {
        var request = new LicenseRequest(machine, hwid, @"CONTOSO\" + machine.ToLowerInvariant(), "2022", HostName: host);
        LicenseResponse first = await client.RequestLicenseAsync(request);
        await client.ValidateLicenseAsync(first.License!.LicenseId);
        LicenseResponse second = await client.RequestLicenseAsync(request);
        Assert.Equal("permanent", second.License!.Status);
        return second.License.LicenseId;
    }
}
