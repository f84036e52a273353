using RdLicensing.Client;
using RdLicensing.Cluster.Tests.Support;
using RdLicensing.Contracts;
using RdLicensing.Storage.Tests.Postgres;

namespace RdLicensing.Cluster.Tests;

/// <summary>
/// Two license-server nodes (two <c>LicenseServerHost</c> instances in this process, on two 127.0.0.1 ports) on one
/// PostgreSQL database: one deployment identity, shared activation and signing certificates, per-node health, and no
/// over-issuance when both issue at once.
/// </summary>
public sealed class TwoNodeTests
{
    private static readonly ActivateRequest s_activation = new("automatic", "Ada", "Lovelace", "Analytical Engines", "GB");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_nodes_starting_at_once_on_an_empty_database_end_with_one_ca_and_one_server()
    {
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using InProcessNode a = InProcessNode.Create(database.ConnectionString);
        await using InProcessNode b = InProcessNode.Create(database.ConnectionString, node: "node-b");

        await Task.WhenAll(Task.Run(a.StartAsync, Ct), Task.Run(b.StartAsync, Ct));

        string admin = InProcessNode.AdminToken(a, b);
        using var clientA = new LicensingClient(a.Url, admin);
        using var clientB = new LicensingClient(b.Url, admin);
        HealthDto healthA = await clientA.GetHealthAsync(Ct);
        HealthDto healthB = await clientB.GetHealthAsync(Ct);
        Assert.Equal(("ok", "postgres"), (healthA.Status, healthA.Store));
        Assert.Equal(healthA.ServerId, healthB.ServerId);
        Assert.Equal($"{Environment.MachineName}:{a.Url.Port}", healthA.Node);
        Assert.Equal("node-b", healthB.Node);

        TrustDto trustA = await clientA.GetTrustAsync(Ct);
        TrustDto trustB = await clientB.GetTrustAsync(Ct);
        Assert.Equal(trustA.DeploymentCaCertificate, trustB.DeploymentCaCertificate);
        Assert.Equal(trustA.LicenseServerCertificates, trustB.LicenseServerCertificates);
        Assert.Equal(1L, await database.ScalarAsync("SELECT COUNT(*) FROM certificates WHERE name = 'deployment-ca';", Ct));
        Assert.Equal(1L, await database.ScalarAsync("SELECT COUNT(*) FROM certificates WHERE name = 'temporary-issuer';", Ct));
        Assert.Equal(1L, await database.ScalarAsync("SELECT COUNT(*) FROM server;", Ct));
        Assert.Equal(1L, await database.ScalarAsync("SELECT COUNT(*) FROM api_keys WHERE role = 'admin';", Ct));
    }

    [Fact]
    public async Task Activation_on_one_node_is_seen_by_the_other_which_then_signs_with_the_shared_certificate()
    {
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using InProcessNode a = InProcessNode.Create(database.ConnectionString);
        await a.StartAsync();
        await using InProcessNode b = InProcessNode.Create(database.ConnectionString);
        await b.StartAsync();
        string admin = InProcessNode.AdminToken(a, b);
        using var clientA = new LicensingClient(a.Url, admin);
        using var clientB = new LicensingClient(b.Url, admin);
        Assert.Equal("not-activated", (await clientB.GetServerAsync(Ct)).ActivationState);

        await clientA.ActivateAsync(s_activation, Ct);

        Assert.Equal("activated", (await clientB.GetServerAsync(Ct)).ActivationState);
        Assert.Equal("activated", (await clientB.GetHealthAsync(Ct)).ActivationState);
        TrustDto trust = await clientB.GetTrustAsync(Ct);
        Assert.Single(trust.LicenseServerCertificates, c => !IsTemporaryIssuer(c));
        TrustDto trustA = await clientA.GetTrustAsync(Ct);
        Assert.Equal(trust.DeploymentCaCertificate, trustA.DeploymentCaCertificate);
        Assert.Equal(trust.LicenseServerCertificates, trustA.LicenseServerCertificates);

        // A key pack installed through B, a CAL issued by A, upgraded by B: one deployment.
        KeyPackDto pack = await clientB.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", 5), Ct);
        CreatedKeyDto host = await clientA.AddHostAsync("rdsh-01", Ct);
        using var hostA = new LicensingClient(a.Url, host.Key);
        using var hostB = new LicensingClient(b.Url, host.Key);
        var request = new LicenseRequest("PC1", Storm.Hwid(1), "user1", "2022");
        LicenseResponse temporary = await hostA.RequestLicenseAsync(request, Ct);
        await hostB.ValidateLicenseAsync(temporary.License!.LicenseId, Ct);
        LicenseResponse upgraded = await hostB.RequestLicenseAsync(request, Ct);

        Assert.Equal(("issued-temporary", "upgraded"), (temporary.Outcome, upgraded.Outcome));
        Assert.Equal(temporary.License.LicenseId, upgraded.License!.LicenseId);
        Assert.Equal(pack.KeyPackId, upgraded.License.KeyPackId);
        Assert.False(string.IsNullOrEmpty(upgraded.Cal));
        Assert.Equal(1, Assert.Single(await clientA.ListKeyPacksAsync(Ct)).Issued);
    }

    [Fact]
    public async Task Two_nodes_32_requesters_5000_devices_1000_cals_give_exactly_1000_permanent_cals()
    {
        const int Devices = 5000;
        const int Cals = 1000;
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using InProcessNode a = InProcessNode.Create(database.ConnectionString);
        await using InProcessNode b = InProcessNode.Create(database.ConnectionString);
        await Task.WhenAll(Task.Run(a.StartAsync, Ct), Task.Run(b.StartAsync, Ct));
        using var admin = new LicensingClient(a.Url, InProcessNode.AdminToken(a, b));
        await admin.ActivateAsync(s_activation, Ct);
        KeyPackDto pack = await admin.InstallKeyPackAsync(new InstallKeyPackRequest("retail", "ABCDE-12345-FGHIJ-67890-KLMNO", "2022", "per-device", Cals), Ct);
        string hostKey = (await admin.AddHostAsync("rdsh-storm", Ct)).Key;
        string auditorKey = (await admin.CreateKeyAsync(new CreateKeyRequest("watcher", "auditor"), Ct)).Key;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(20));

        StormResult result = await Storm.RunAsync([a.Url, b.Url], hostKey, auditorKey, requesters: 32, Devices, killAt: 0, kill: null, timeout.Token);

        await Storm.AssertOutcomeAsync(result, admin, pack, Devices, Cals, timeout.Token);
        Assert.Equal(0, result.Failovers);
        Assert.Equal(Cals, result.Told.Count(t => t.Response.Outcome == "upgraded"));
        Assert.Equal(Devices, result.Told.Count(t => t.Response.Outcome == "issued-temporary"));
    }

    [Fact]
    public async Task A_node_that_loses_its_database_reports_503_on_health()
    {
        await using PostgresTestDatabase database = PostgresTestDatabase.Create();
        await using InProcessNode node = InProcessNode.Create(database.ConnectionString);
        await node.StartAsync();
        using var anonymous = new LicensingClient(node.Url, null);
        Assert.Equal("ok", (await anonymous.GetHealthAsync(Ct)).Status);

        await database.DisposeAsync(); // drops the database under the running node (dropping twice is harmless)

        LicensingApiException down = await Assert.ThrowsAsync<LicensingApiException>(() => anonymous.GetHealthAsync(Ct));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, down.StatusCode);
    }

    private static bool IsTemporaryIssuer(string certificateBase64)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificateBase64));
        return certificate.Subject.Contains("temporary issuance", StringComparison.Ordinal);
    }
}
