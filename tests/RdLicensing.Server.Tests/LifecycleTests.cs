using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RdLicensing.Contracts;

namespace RdLicensing.Server.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Shell_walk_through_three_permanent_two_temporary_and_the_revocation_limit()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        KeyPackDto pack = await Api.InstallAsync(admin, 3);

        var first = new List<LicenseResponse>();
        for (int device = 1; device <= 5; device++)
        {
            LicenseResponse response = await Api.RequestAsync(admin, device, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("issued-temporary", response.Outcome);
            Assert.Equal("temporary", response.License!.Status);
            Assert.NotNull(response.Cal);
            first.Add(response);
        }

        foreach (LicenseResponse response in first)
        {
            await Api.ValidateAsync(admin, response.License!.LicenseId, TestContext.Current.CancellationToken);
        }

        var second = new List<LicenseResponse>();
        for (int device = 1; device <= 5; device++)
        {
            second.Add(await Api.RequestAsync(admin, device, cancellationToken: TestContext.Current.CancellationToken));
        }

        Assert.Equal(3, second.Count(r => r.Outcome == "upgraded" && r.License!.Status == "permanent" && r.Cal is not null));
        Assert.Equal(2, second.Count(r => r.Outcome == "valid" && r.License!.Status == "temporary" && r.EventId == 21));

        KeyPackDto after = Assert.Single(await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken));
        Assert.Equal((3, 3, 0), (after.Total, after.Issued, after.Available));
        Assert.Equal(pack.KeyPackId, after.KeyPackId);

        string[] permanent = second.Where(r => r.Outcome == "upgraded").Select(r => r.License!.LicenseId).ToArray();
        HttpResponseMessage revoked = await admin.PostAsync($"/api/licenses/{permanent[0]}/revoke", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        LicenseDto revokedLicense = (await revoked.Content.ReadFromJsonAsync<LicenseDto>(TestContext.Current.CancellationToken))!;
        Assert.Equal("revoked", revokedLicense.Status);
        Assert.Equal(2, Assert.Single(await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken)).Issued);

        HttpResponseMessage refused = await admin.PostAsync($"/api/licenses/{permanent[1]}/revoke", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, problem.RootElement.GetProperty("revokedCount").GetInt32());
        Assert.Equal(3, problem.RootElement.GetProperty("installedCount").GetInt32());
        Assert.Equal(0, problem.RootElement.GetProperty("revocableCals").GetInt32());
        Assert.Equal(revokedLicense.ExpiresOn, problem.RootElement.GetProperty("nextRevokeAllowedOn").GetDateTimeOffset());
        Assert.Equal(2, Assert.Single(await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken)).Issued);
        LicenseDto stillPermanent = (await admin.GetFromJsonAsync<LicenseDto>($"/api/licenses/{permanent[1]}", TestContext.Current.CancellationToken))!;
        Assert.Equal("permanent", stillPermanent.Status);

        EventDto[] events = (await admin.GetFromJsonAsync<EventDto[]>("/api/events?take=1000", TestContext.Current.CancellationToken))!;
        Assert.Contains(events, e => e.EventId == 81 && e.LicenseId == permanent[1]);
        Assert.Contains(events, e => e.EventId == 21);
    }

    [Fact]
    public async Task Cals_are_signed_by_a_certificate_the_deployment_ca_issued()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();

        // Before activation: a temporary CAL, signed by the temporary issuer.
        LicenseResponse temporary = await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("issued-temporary", temporary.Outcome);
        Assert.Equal(18, temporary.EventId);
        TrustDto trustBefore = (await admin.GetFromJsonAsync<TrustDto>("/api/trust", TestContext.Current.CancellationToken))!;
        Assert.Single(trustBefore.LicenseServerCertificates);

        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 1);
        await Api.ValidateAsync(admin, temporary.License!.LicenseId, TestContext.Current.CancellationToken);
        LicenseResponse permanent = await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("upgraded", permanent.Outcome);

        TrustDto trust = (await admin.GetFromJsonAsync<TrustDto>("/api/trust", TestContext.Current.CancellationToken))!;
        Assert.Equal(2, trust.LicenseServerCertificates.Count);
        using X509Certificate2 ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(trust.DeploymentCaCertificate));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(ca.SubjectName.RawData, ca.IssuerName.RawData);

        ServerStatusDto status = (await admin.GetFromJsonAsync<ServerStatusDto>("/api/server", TestContext.Current.CancellationToken))!;
        foreach ((LicenseResponse response, bool activated) in new[] { (temporary, false), (permanent, true) })
        {
            var cms = new SignedCms();
            cms.Decode(Convert.FromBase64String(response.Cal!));
            X509Certificate2 signer = cms.Certificates.Cast<X509Certificate2>().Single(c => c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority));
            Assert.Equal(activated, signer.Thumbprint == status.CertificateThumbprint);
            Assert.Contains(Convert.ToBase64String(signer.RawData), trust.LicenseServerCertificates);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = DateTime.UtcNow;
            Assert.True(chain.Build(signer), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        }
    }

    [Fact]
    public async Task State_survives_a_restart_on_the_same_data_directory()
    {
        string data = Path.Combine(Path.GetTempPath(), "rdlic-test-" + Guid.NewGuid().ToString("N"));
        string serverId;
        string adminKey;
        string licenseId;
        TestServer first = await TestServer.StartAsync(data);
        using (HttpClient admin = first.Admin())
        {
            await Api.ActivateAsync(admin);
            await Api.InstallAsync(admin, 2);
            licenseId = (await Api.RequestAsync(admin, 7, cancellationToken: TestContext.Current.CancellationToken)).License!.LicenseId;
            serverId = (await admin.GetFromJsonAsync<ServerStatusDto>("/api/server", TestContext.Current.CancellationToken))!.ServerId;
            adminKey = first.AdminKey;
        }

        await first.StopAsync();
        await using TestServer second = await TestServer.StartAsync(data, first.Time);
        Assert.Equal(adminKey, second.AdminKey);
        using HttpClient again = second.Admin();
        ServerStatusDto status = (await again.GetFromJsonAsync<ServerStatusDto>("/api/server", TestContext.Current.CancellationToken))!;
        Assert.Equal(serverId, status.ServerId);
        Assert.Equal("activated", status.ActivationState);
        Assert.Equal("temporary", (await again.GetFromJsonAsync<LicenseDto>($"/api/licenses/{licenseId}", TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(2, Assert.Single(await Api.KeyPacksAsync(again, TestContext.Current.CancellationToken)).Total);
    }

    [Fact]
    public async Task Expired_cals_return_to_the_pool_when_the_clock_passes_their_expiry()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpClient admin = server.Admin();
        await Api.ActivateAsync(admin);
        await Api.InstallAsync(admin, 1);
        LicenseResponse temporary = await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken);
        await Api.ValidateAsync(admin, temporary.License!.LicenseId, TestContext.Current.CancellationToken);
        LicenseResponse permanent = await Api.RequestAsync(admin, 1, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, Assert.Single(await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken)).Issued);

        server.Time.SetUtcNow(permanent.License!.ExpiresOn.AddSeconds(1));
        KeyPackDto pack = Assert.Single(await Api.KeyPacksAsync(admin, TestContext.Current.CancellationToken));
        Assert.Equal((0, 1), (pack.Issued, pack.Available));
        Assert.Equal("expired", (await admin.GetFromJsonAsync<LicenseDto>($"/api/licenses/{permanent.License.LicenseId}", TestContext.Current.CancellationToken))!.Status);
    }
}
