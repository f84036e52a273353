using RdLicensing.Client;
using RdLicensing.Cluster.Tests.Support;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.SessionHost;
using RdLicensing.Server.SessionHost.Licensing;
using RdLicensing.Storage.Tests.Postgres;
using RdLicensing.Wire.Connection;
using LicenseDecision = RdLicensing.Protocol.Licensing.LicenseDecision;

namespace RdLicensing.Cluster.Tests;

/// <summary>
/// A session host validates a temporary CAL (after the user's logon, or once the exchange completed) on the license
/// server that issued it. When that node of the deployment went down in between, the CAL is validated on the next
/// node instead (they share one database), so the device is still upgraded on its next connection. Found by the
/// session-host node-kill storm, where a CAL issued just before the kill stayed unvalidated.
/// </summary>
public sealed class SessionHostValidationFailoverTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rdlic-validate-").FullName;

    [Fact]
    public async Task A_temporary_cal_is_validated_on_the_next_node_when_the_node_that_issued_it_is_down()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        InProcessNode first = InProcessNode.Create(database.ConnectionString);
        await using InProcessNode second = InProcessNode.Create(database.ConnectionString);
        bool firstStopped = false;
        try
        {
            await first.StartAsync();
            await second.StartAsync();
            using var admin = new LicensingClient(second.Url, InProcessNode.AdminToken(first, second));
            await admin.ActivateAsync(new ActivateRequest("automatic", "Ada", "Lovelace", "Analytical Engines", "GB"), ct);
            await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 2), ct);
            string key = (await admin.AddHostAsync("rdsh-v", ct)).Key;
            string firstName = first.Url.ToString().TrimEnd('/');
            var registry = new HostRegistryStore(_data, TimeProvider.System);
            registry.Apply(HostChange.SetMode(LicensingMode.PerDevice));
            await using var licensing = new SessionHostLicensing(
                new SessionHostLicensingOptions
                {
                    HostName = "rdsh-v",
                    HostVersion = ProductVersions.V2022,
                    DefaultLicenseServers = [firstName, second.Url.ToString().TrimEnd('/')],
                    HostKey = key,
                },
                registry,
                inProcess: null,
                address => new RemoteLicenseServer(address, key),
                new FileHostEventLog(_data),
                TimeProvider.System);

            // The first node issues the temporary CAL, then goes down before the user's logon is reported.
            HardwareId hwid = HardwareId.Parse($"04010000{new string('A', 32)}");
            LicenseDecision issued = await licensing.DecideAsync(NewClient(hwid), ct);
            Assert.Equal(LicenseDecisionKind.IssueNewLicense, issued.Kind);
            string licenseId = Crypto.Cal.ClientLicenseReader.Read(issued.License).LicenseId;
            await first.DisposeAsync();
            firstStopped = true;

            Assert.Equal(licenseId, await licensing.ReportLogonSucceededAsync(hwid, ct));

            LicenseDto validated = Assert.Single(await admin.ListAllLicensesAsync(cancellationToken: ct));
            Assert.Equal((licenseId, "temporary", true), (validated.LicenseId, validated.Status, validated.Validated));

            // So the device's next connection upgrades it, through the second node.
            Assert.Equal(LicenseDecisionKind.IssueNewLicense, (await licensing.DecideAsync(NewClient(hwid), ct)).Kind);
            LicenseDto upgraded = Assert.Single(await admin.ListAllLicensesAsync(cancellationToken: ct));
            Assert.Equal((licenseId, "permanent"), (upgraded.LicenseId, upgraded.Status));
            Assert.Contains(FileHostEventLog.Read(Path.Combine(_data, FileHostEventLog.FileName)),
                e => e.EventId == WindowsEventIds.LicenseServerUnreachable && e.Message.Contains(firstName, StringComparison.Ordinal));
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static SessionLicenseRequest NewClient(HardwareId hwid) => new(
        LicenseDecisionRequestKind.NewLicense,
        hwid,
        0x04010000,
        "PCV",
        "alice",
        null,
        new ClientConnectionInfo("PCV", "alice", "", ConnectionSecurity.Tls, SecurityProtocols.Ssl, null));
}
