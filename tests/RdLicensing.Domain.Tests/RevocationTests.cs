namespace RdLicensing.Domain.Tests;

public sealed class RevocationTests
{
    private static (World World, List<IssuedLicense> Permanent) Permanents(int installed, int devices)
    {
        var world = new World(seed: 7).Activated();
        world.Install(installed);
        var permanent = new List<IssuedLicense>();
        for (int device = 1; device <= devices; device++)
        {
            LicenseDecision temporary = world.Request(device);
            world.Engine.Validate(world.Ledger, temporary.License!.LicenseId);
            permanent.Add(world.Request(device).License!);
            world.AdvanceDays(1);
        }

        return (world, permanent);
    }

    [Fact]
    public void At_most_twenty_percent_are_revoked_at_once_and_the_next_revocation_is_allowed_exactly_at_the_earliest_original_expiry()
    {
        (World world, List<IssuedLicense> permanent) = Permanents(installed: 10, devices: 4);

        RevocationResult r1 = world.Engine.Revoke(world.Ledger, permanent[0].LicenseId);
        RevocationResult r2 = world.Engine.Revoke(world.Ledger, permanent[1].LicenseId);
        Assert.True(r1.Revoked && r2.Revoked);
        Assert.Equal(LicenseStatus.Revoked, world.Ledger.FindLicense(permanent[0].LicenseId)!.Status);
        Assert.Equal(2, world.Ledger.KeyPacks()[0].Issued);
        world.AssertCounters();

        RevocationResult refused = world.Engine.Revoke(world.Ledger, permanent[2].LicenseId);
        Assert.False(refused.Revoked);
        Assert.Equal((2, 10, 2, 0), (refused.Allowance.RevokedCount, refused.Allowance.InstalledCount, refused.Allowance.Limit, refused.Allowance.RevocableCals));
        DateTimeOffset earliest = new[] { permanent[0].ExpiresOn, permanent[1].ExpiresOn }.Min();
        Assert.Equal(earliest, refused.Allowance.NextRevokeAllowedOn);
        Assert.Contains(world.Ledger.Events, e => e.EventId == WindowsEventIds.RevocationLimitReached && e.LicenseId == permanent[2].LicenseId);
        Assert.Equal(LicenseStatus.Permanent, world.Ledger.FindLicense(permanent[2].LicenseId)!.Status);

        // One tick before: still refused. At the moment the earlier revoked CAL reaches its original expiry: allowed.
        // (Device 3's own CAL must still be unexpired then; renew it if needed.)
        world.Time.SetUtcNow(earliest - TimeSpan.FromTicks(1));
        Assert.False(world.Engine.Revoke(world.Ledger, permanent[2].LicenseId).Revoked);
        world.Time.SetUtcNow(earliest);
        IssuedLicense target = world.Ledger.AllLicenses.First(l => l.Status == LicenseStatus.Permanent);
        Assert.True(world.Engine.Revoke(world.Ledger, target.LicenseId).Revoked);
        world.AssertCounters();
    }

    [Fact]
    public void One_revocation_is_allowed_even_when_twenty_percent_is_less_than_one_and_installing_more_raises_the_limit()
    {
        (World world, List<IssuedLicense> permanent) = Permanents(installed: 3, devices: 3);
        Assert.True(world.Engine.Revoke(world.Ledger, permanent[0].LicenseId).Revoked);
        RevocationResult refused = world.Engine.Revoke(world.Ledger, permanent[1].LicenseId);
        Assert.False(refused.Revoked);
        Assert.Equal(1, refused.Allowance.Limit);

        world.Install(7); // 10 installed → limit 2
        Assert.True(world.Engine.Revoke(world.Ledger, permanent[1].LicenseId).Revoked);
    }

    [Fact]
    public void Only_permanent_per_device_cals_can_be_revoked()
    {
        var world = new World().Activated();
        world.Install(5);
        LicenseDecision temporary = world.Request(1);
        LicensingException error = Assert.Throws<LicensingException>(() => world.Engine.Revoke(world.Ledger, temporary.License!.LicenseId));
        Assert.Equal(LicensingErrorKind.Conflict, error.Kind);
        Assert.Equal(LicensingErrorKind.NotFound, Assert.Throws<LicensingException>(() => world.Engine.Revoke(world.Ledger, "NOPE")).Kind);
    }
}
