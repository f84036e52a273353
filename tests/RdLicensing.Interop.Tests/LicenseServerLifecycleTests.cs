using System.Text.Json;
using RdLicensing.Contracts;
using RdLicensing.Crypto.Cal;
using RdLicensing.Domain;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// Issue 3 "Done when" with the real license server: unmodified rdesktop (TLS) and xfreerdp (/sec:tls, /sec:rdp)
/// against <c>rdlic serve --rdp</c> composed in this process (an activated server with a per-device 2022 key pack).
/// First connection: the client stores the temporary CAL the server issued, byte for byte; after
/// <c>rdlic license validate</c> the second connection presents it and gets the permanent CAL (UPGRADE_LICENSE),
/// which the client stores; the third presents that and gets STATUS_VALID_CLIENT with nothing new issued;
/// <c>rdlic license list</c> shows the one device with its machine name and HWID.
/// </summary>
public sealed class LicenseServerLifecycleTests
{
    public static TheoryData<string, bool> Combinations => new()
    {
        { "rdesktop", false },
        { "xfreerdp", false },
        { "xfreerdp", true },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Temporary_then_permanent_then_valid_with_the_real_license_server(string client, bool standardRdpSecurity)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using LicensedHost host = await LicensedHost.StartAsync(activated: true, cancellationToken: ct);
        string home = host.NewHome(client);
        string machine = CalClients.MachineName(client);
        string hwid = Convert.ToHexString(CalClients.HardwareId(client));

        // 1. A temporary CAL, stored byte for byte as the license server signed it.
        ClientProcess.Result first = await CalClients.RunAsync(client, standardRdpSecurity, host.Port, home, display, ct);
        string context = Context(host, first);
        Assert.True(Outcome(host, 1) == nameof(LicensingExchangeOutcome.NewLicenseIssued), context);
        LicenseDto temporary = Assert.Single(await ListAsync(host, ct));
        Assert.Equal("temporary", temporary.Status);
        Assert.Equal(machine, temporary.Machine);
        Assert.Equal(hwid, temporary.Hwid);
        Assert.Equal("alice", temporary.User);
        Assert.Equal("rdsh-test", temporary.IssuedToHost);
        Assert.False(temporary.Validated);
        string calFile = Assert.Single(CalClients.CalFiles(client, home));
        if (client == "rdesktop")
        {
            Assert.Equal(CalClients.RdesktopCalName, Path.GetFileName(calFile));
        }
        else
        {
            Assert.Equal(CalClients.FreerdpCalPath(home, "fclient"), calFile);
        }

        byte[] stored = await File.ReadAllBytesAsync(calFile, ct);
        Assert.Equal(await host.ReDeriveCalAsync(temporary.LicenseId, ct), stored);
        ClientLicenseInfo temporaryCal = ClientLicenseReader.Read(stored);
        Assert.Equal(temporary.LicenseId, temporaryCal.LicenseId);
        Assert.True(temporaryCal.Temporary);
        Assert.Equal(hwid, Convert.ToHexString(temporaryCal.HardwareId!));

        // 2. Before validation the CAL is only presented (still valid, not upgraded)...
        ClientProcess.Result notYet = await CalClients.RunAsync(client, standardRdpSecurity, host.Port, home, display, ct);
        context = Context(host, notYet);
        long notYetConnection = LastDecisionConnection(host);
        Assert.True(Outcome(host, notYetConnection) == nameof(LicensingExchangeOutcome.ValidClient), context);
        Assert.Equal(stored, await File.ReadAllBytesAsync(calFile, ct));

        // ... then `rdlic license validate` (the user logged on), and the next connection gets the permanent CAL.
        (int exit, string output) = await host.RdlicAsync(["license", "validate", temporary.LicenseId, "--json"], ct);
        Assert.True(exit == 0, output);
        ClientProcess.Result second = await CalClients.RunAsync(client, standardRdpSecurity, host.Port, home, display, ct);
        context = Context(host, second);
        long secondConnection = LastDecisionConnection(host);
        Assert.True(Outcome(host, secondConnection) == nameof(LicensingExchangeOutcome.LicenseUpgraded), context);
        Assert.Equal(["LicenseInfo"], Received(host, secondConnection));
        LicenseDto permanent = Assert.Single(await ListAsync(host, ct));
        Assert.Equal(temporary.LicenseId, permanent.LicenseId);
        Assert.Equal("permanent", permanent.Status);
        Assert.Equal(calFile, Assert.Single(CalClients.CalFiles(client, home)));
        byte[] upgraded = await File.ReadAllBytesAsync(calFile, ct);
        Assert.NotEqual(stored, upgraded);
        Assert.Equal(await host.ReDeriveCalAsync(permanent.LicenseId, ct), upgraded);
        Assert.False(ClientLicenseReader.Read(upgraded).Temporary);

        // 3. The permanent CAL is presented: STATUS_VALID_CLIENT, nothing issued, nothing changed.
        IReadOnlyList<LicenseDto> before = await ListAsync(host, ct);
        ClientProcess.Result third = await CalClients.RunAsync(client, standardRdpSecurity, host.Port, home, display, ct);
        context = Context(host, third);
        long thirdConnection = LastDecisionConnection(host);
        Assert.True(Outcome(host, thirdConnection) == nameof(LicensingExchangeOutcome.ValidClient), context);
        Assert.Equal(["LicenseInfo"], Received(host, thirdConnection));
        Assert.Equal(upgraded, await File.ReadAllBytesAsync(calFile, ct));
        IReadOnlyList<LicenseDto> after = await ListAsync(host, ct);
        LicenseDto device = Assert.Single(after);
        Assert.Equal(before.Single(), device);
        Assert.Equal(machine, device.Machine);
        Assert.Equal(hwid, device.Hwid);
        KeyPackDto pack = Assert.Single(await host.Admin().ListKeyPacksAsync(ct));
        Assert.Equal(1, pack.Issued);
        Assert.Empty(await host.HostEventsAsync(ct));
    }

    [Fact]
    public async Task Validate_on_exchange_and_reported_logons_validate_the_temporary_cal()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using XvfbDisplay display = await XvfbDisplay.StartAsync(ct);
        await using LicensedHost host = await LicensedHost.StartAsync(activated: true, validateOnExchange: true, cancellationToken: ct);
        string home = host.NewHome("fclient");
        ClientProcess.Result first = await CalClients.RunAsync("xfreerdp", false, host.Port, home, display, ct);
        await host.Licensing.WhenValidationsDoneAsync();
        LicenseDto license = Assert.Single(await ListAsync(host, ct));
        Assert.True(license.Validated, Context(host, first));

        // A host without the option: an embedding RDP server reports the logon by hardware id.
        await using LicensedHost plain = await LicensedHost.StartAsync(activated: true, cancellationToken: ct);
        string home2 = plain.NewHome("fclient");
        ClientProcess.Result run = await CalClients.RunAsync("xfreerdp", false, plain.Port, home2, display, ct);
        LicenseDto notValidated = Assert.Single(await ListAsync(plain, ct));
        Assert.False(notValidated.Validated, Context(plain, run));
        string? validated = await plain.Licensing.ReportLogonSucceededAsync(HardwareId.FromBytes(CalClients.HardwareId("xfreerdp")), ct);
        Assert.Equal(notValidated.LicenseId, validated);
        Assert.True(Assert.Single(await ListAsync(plain, ct)).Validated);
        Assert.Null(await plain.Licensing.ReportLogonSucceededAsync(HardwareId.FromBytes(CalClients.HardwareId("xfreerdp", "nobody")), ct));
    }

    internal static async Task<IReadOnlyList<LicenseDto>> ListAsync(LicensedHost host, CancellationToken ct)
    {
        (int exit, string output) = await host.RdlicAsync(["license", "list", "--json"], ct);
        Assert.True(exit == 0, output);
        return JsonSerializer.Deserialize<LicenseDto[]>(output[output.IndexOf('[', StringComparison.Ordinal)..], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    internal static long LastDecisionConnection(LicensedHost host) =>
        host.Events.LastOrDefault(e => e.Kind == SessionHostEventKind.Decision)?.ConnectionId ?? -1;

    internal static string? Outcome(LicensedHost host, long connection) =>
        host.Events.LastOrDefault(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingFinished)?.Detail;

    internal static string[] Received(LicensedHost host, long connection) =>
        [.. host.Events.Where(e => e.ConnectionId == connection && e.Kind == SessionHostEventKind.LicensingPduReceived).Select(e => e.Detail)];

    internal static string Context(LicensedHost host, ClientProcess.Result run) =>
        $"events:{Environment.NewLine}{host.Describe()}{Environment.NewLine}client exit {run.ExitCode}:{Environment.NewLine}{run.Output}";
}
