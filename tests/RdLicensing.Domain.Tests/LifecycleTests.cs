namespace RdLicensing.Domain.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void A_device_goes_temporary_validated_permanent_renewed_expired_and_back_over_two_hundred_days()
    {
        var world = new World().Activated();
        KeyPack pack = world.Install(1);

        // Day 0: first connection → temporary CAL for 90 days; nothing taken from the pack.
        LicenseDecision first = world.Request(1);
        Assert.Equal(LicenseOutcome.IssuedTemporary, first.Outcome);
        IssuedLicense temporary = first.License!;
        Assert.Equal(LicenseStatus.Temporary, temporary.Status);
        Assert.Equal(World.Start + TimeSpan.FromDays(90), temporary.ExpiresOn);
        Assert.Equal(0, world.Pack(pack.KeyPackId).Issued);

        // Not validated yet: the next request keeps it temporary.
        world.AdvanceDays(1);
        Assert.Equal(LicenseOutcome.Valid, world.Request(1).Outcome);
        Assert.Equal(0, world.Pack(pack.KeyPackId).Issued);

        // Logon succeeded → validated; the next request upgrades it to a permanent CAL of 52–89 days.
        world.Engine.Validate(world.Ledger, temporary.LicenseId);
        world.AdvanceDays(1);
        LicenseDecision upgraded = world.Request(1);
        Assert.Equal(LicenseOutcome.Upgraded, upgraded.Outcome);
        IssuedLicense permanent = upgraded.License!;
        Assert.Equal(temporary.LicenseId, permanent.LicenseId);
        Assert.Equal(LicenseStatus.Permanent, permanent.Status);
        Assert.Equal(pack.KeyPackId, permanent.KeyPackId);
        Assert.InRange((permanent.ExpiresOn - world.Time.GetUtcNow()).TotalDays, 52, 89);
        Assert.Equal((1, 0), (world.Pack(pack.KeyPackId).Issued, world.Pack(pack.KeyPackId).Available));
        world.AssertCounters();

        // Outside the 7-day window: valid, unchanged. Inside it: renewed for another 52–89 days.
        world.Time.SetUtcNow(permanent.ExpiresOn - TimeSpan.FromDays(8));
        Assert.Equal(LicenseOutcome.Valid, world.Request(1).Outcome);
        world.Time.SetUtcNow(permanent.ExpiresOn - TimeSpan.FromDays(6));
        LicenseDecision renewed = world.Request(1);
        Assert.Equal(LicenseOutcome.Renewed, renewed.Outcome);
        Assert.InRange((renewed.License!.ExpiresOn - world.Time.GetUtcNow()).TotalDays, 52, 89);
        Assert.Equal(1, world.Pack(pack.KeyPackId).Issued);

        // The device stays away past expiry: the sweep returns the CAL to the pool.
        world.Time.SetUtcNow(renewed.License.ExpiresOn + TimeSpan.FromHours(1));
        Assert.Equal(1, world.Engine.SweepExpired(world.Ledger));
        Assert.Equal(LicenseStatus.Expired, world.Ledger.FindLicense(permanent.LicenseId)!.Status);
        Assert.Equal((0, 1), (world.Pack(pack.KeyPackId).Issued, world.Pack(pack.KeyPackId).Available));
        world.AssertCounters();

        // Another device takes the freed CAL; device 1 comes back and gets a temporary CAL while the pool is empty.
        LicenseDecision other = world.Request(2);
        world.Engine.Validate(world.Ledger, other.License!.LicenseId);
        Assert.Equal(LicenseOutcome.Upgraded, world.Request(2).Outcome);
        LicenseDecision back = world.Request(1);
        Assert.Equal(LicenseOutcome.IssuedTemporary, back.Outcome);
        Assert.True((world.Time.GetUtcNow() - World.Start).TotalDays >= 110);

        // Device 2 never returns; after its expiry device 1 (validated before) gets the CAL on its next request.
        IssuedLicense device2 = world.Ledger.FindLicense(other.License.LicenseId)!;
        world.Time.SetUtcNow(device2.ExpiresOn + TimeSpan.FromDays(1));
        LicenseDecision again = world.Request(1);
        Assert.Equal(LicenseOutcome.Valid, again.Outcome);
        world.Engine.Validate(world.Ledger, back.License!.LicenseId);
        IssuedLicense last = world.Request(1).License!;
        Assert.Equal(LicenseStatus.Permanent, last.Status);

        // One more renewal, then expiry exactly at the renewed date returns the CAL to the pool.
        world.Time.SetUtcNow(last.ExpiresOn - TimeSpan.FromDays(3));
        Assert.Equal(LicenseOutcome.Renewed, world.Request(1).Outcome);
        IssuedLicense renewedAgain = world.Ledger.FindLicense(last.LicenseId)!;
        world.Time.SetUtcNow(renewedAgain.ExpiresOn);
        Assert.Equal(1, world.Engine.SweepExpired(world.Ledger));
        Assert.Equal(0, world.Pack(pack.KeyPackId).Issued);
        Assert.True((world.Time.GetUtcNow() - World.Start).TotalDays >= 200, "the walk spans at least 200 simulated days");
        world.AssertCounters();
    }

    [Fact]
    public void Without_a_free_cal_the_device_keeps_its_temporary_cal_until_it_expires_then_is_refused()
    {
        var world = new World().Activated();
        KeyPack pack = world.Install(1);
        LicenseDecision d1 = world.Request(1);
        world.Engine.Validate(world.Ledger, d1.License!.LicenseId);
        Assert.Equal(LicenseOutcome.Upgraded, world.Request(1).Outcome);

        LicenseDecision d2 = world.Request(2);
        world.Engine.Validate(world.Ledger, d2.License!.LicenseId);
        LicenseDecision kept = world.Request(2);
        Assert.Equal(LicenseOutcome.Valid, kept.Outcome);
        Assert.Equal(LicenseStatus.Temporary, kept.License!.Status);
        Assert.Equal(WindowsEventIds.NoPermanentCals, kept.EventId);
        Assert.Contains(world.Ledger.Events, e => e.EventId == WindowsEventIds.NoPermanentCals);

        world.Time.SetUtcNow(d2.License.ExpiresOn + TimeSpan.FromSeconds(1));
        world.Request(1); // device 1 renews or stays valid; its CAL is permanent
        LicenseDecision refused = world.Request(2);
        Assert.Equal(LicenseOutcome.Refused, refused.Outcome);
        Assert.Null(refused.License);
        Assert.Equal(WindowsEventIds.NoPermanentCals, refused.EventId);
        Assert.Equal(1, world.Pack(pack.KeyPackId).Issued);
        world.AssertCounters();
    }

    [Fact]
    public void A_server_that_is_not_activated_issues_temporary_cals_only_and_installs_no_key_packs()
    {
        var world = new World();
        Assert.Equal(LicensingErrorKind.Conflict, Assert.Throws<LicensingException>(() => world.Install(5)).Kind);

        LicenseDecision first = world.Request(1);
        Assert.Equal(LicenseOutcome.IssuedTemporary, first.Outcome);
        Assert.Equal(WindowsEventIds.ServerNotActivated, first.EventId);
        world.Engine.Validate(world.Ledger, first.License!.LicenseId);
        LicenseDecision second = world.Request(1);
        Assert.Equal(LicenseOutcome.Valid, second.Outcome);
        Assert.Equal(LicenseStatus.Temporary, second.License!.Status);
        Assert.Equal(WindowsEventIds.ServerNotActivated, second.EventId);

        world.AdvanceDays(91);
        Assert.Equal(LicenseOutcome.Refused, world.Request(1).Outcome);
        Assert.Equal(LicenseOutcome.PerUserNotTracked, world.RequestUser("alice").Outcome);
    }

    [Fact]
    public void Deactivation_keeps_issued_cals_valid_and_issues_no_new_permanent_cals()
    {
        var world = new World().Activated();
        world.Install(5);
        LicenseDecision d1 = world.Request(1);
        world.Engine.Validate(world.Ledger, d1.License!.LicenseId);
        IssuedLicense permanent = world.Request(1).License!;

        Assert.Throws<LicensingException>(() => world.Engine.Deactivate(world.Ledger, ActivationMethod.Web, null));
        Assert.Equal("confirmationCode", Assert.Throws<LicensingException>(() => world.Engine.Deactivate(world.Ledger, ActivationMethod.Telephone, " ")).Field);
        world.Engine.Deactivate(world.Ledger, ActivationMethod.Telephone, "123456");

        Assert.Equal(LicenseOutcome.Valid, world.Request(1).Outcome);
        LicenseDecision d2 = world.Request(2);
        Assert.Equal(LicenseOutcome.IssuedTemporary, d2.Outcome);
        world.Engine.Validate(world.Ledger, d2.License!.LicenseId);
        Assert.Equal(LicenseStatus.Temporary, world.Request(2).License!.Status);
        Assert.Equal(LicenseStatus.Permanent, world.Ledger.FindLicense(permanent.LicenseId)!.Status);

        // Reactivation: upgrades resume.
        world.Activated();
        Assert.Equal(LicenseOutcome.Upgraded, world.Request(2).Outcome);
    }

    [Fact]
    public void Per_user_cals_over_allocate_extend_at_sign_in_expire_after_sixty_days_and_are_never_revoked()
    {
        var world = new World().Activated();
        KeyPack pack = world.Install(2, type: CalType.PerUser);
        foreach (string user in new[] { "alice", "bob", "carol", "dave", "erin" })
        {
            Assert.Equal(LicenseOutcome.PerUserRecorded, world.RequestUser(user).Outcome);
        }

        KeyPack over = world.Pack(pack.KeyPackId);
        Assert.Equal((2, 5, 0), (over.Total, over.Issued, over.Available));
        world.AssertCounters();

        // Alice signs in again on day 50: extended to day 110. The others drop off at day 60.
        world.AdvanceDays(50);
        LicenseDecision extended = world.RequestUser("ALICE");
        Assert.Equal(LicenseOutcome.PerUserRecorded, extended.Outcome);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromDays(60), extended.License!.ExpiresOn);
        Assert.Single(world.Ledger.AllLicenses, l => l.User == "alice");

        world.AdvanceDays(11);
        world.Engine.SweepExpired(world.Ledger);
        Assert.Equal(1, world.Pack(pack.KeyPackId).Issued);
        Assert.Equal(LicensingErrorKind.Conflict, Assert.Throws<LicensingException>(() => world.Engine.Revoke(world.Ledger, extended.License.LicenseId)).Kind);
        world.AssertCounters();
    }

    [Fact]
    public void Version_rules_same_version_first_then_newer_with_event_82_unless_upgrade_is_prevented()
    {
        var world = new World(serverVersion: ProductVersions.V2022).Activated();
        KeyPack v2022 = world.Install(1, ProductVersions.V2022);
        KeyPack v2019 = world.Install(1, ProductVersions.V2019);

        // A 2019 host takes the 2019 CAL first, then the newer 2022 one (event 82).
        LicenseDecision a = world.Request(1, ProductVersions.V2019);
        world.Engine.Validate(world.Ledger, a.License!.LicenseId);
        LicenseDecision aUp = world.Request(1, ProductVersions.V2019);
        Assert.Equal(v2019.KeyPackId, aUp.License!.KeyPackId);
        Assert.Null(aUp.EventId);
        LicenseDecision b = world.Request(2, ProductVersions.V2019);
        world.Engine.Validate(world.Ledger, b.License!.LicenseId);
        LicenseDecision bUp = world.Request(2, ProductVersions.V2019);
        Assert.Equal(v2022.KeyPackId, bUp.License!.KeyPackId);
        Assert.Equal(WindowsEventIds.CalUpgradedToNewerVersion, bUp.EventId);
        Assert.Equal(ProductVersions.V2022, bUp.License.Version);

        // A 2022 host does not accept device 1's 2019 CAL: the device needs a 2022 CAL (temporary for now).
        LicenseDecision c = world.Request(1, ProductVersions.V2022);
        Assert.Equal(LicenseOutcome.IssuedTemporary, c.Outcome);
        Assert.Equal(ProductVersions.V2022, c.License!.Version);

        // A 2025 host is newer than this 2022 server: refused; a 2025 pack cannot be installed here.
        LicenseDecision newer = world.Request(3, ProductVersions.V2025);
        Assert.Equal(LicenseOutcome.Refused, newer.Outcome);
        Assert.Equal(WindowsEventIds.LicenseServerOlderThanHost, newer.EventId);
        Assert.Equal("version", Assert.Throws<LicensingException>(() => world.Install(5, ProductVersions.V2025)).Field);
        Assert.Equal("version", Assert.Throws<LicensingException>(() => world.Engine.ChangeSettings(world.Ledger, null, null, null, ProductVersions.V2019)).Field);
    }

    [Fact]
    public void Prevent_license_upgrade_keeps_the_device_temporary_and_refuses_it_after_expiry()
    {
        var world = new World().Activated();
        world.Install(5, ProductVersions.V2025);
        world.Engine.ChangeSettings(world.Ledger, null, preventLicenseUpgrade: true, null, null);

        LicenseDecision first = world.Request(1, ProductVersions.V2022);
        world.Engine.Validate(world.Ledger, first.License!.LicenseId);
        LicenseDecision kept = world.Request(1, ProductVersions.V2022);
        Assert.Equal(LicenseStatus.Temporary, kept.License!.Status);
        Assert.Equal(WindowsEventIds.NoCalsForProduct, kept.EventId);

        world.AdvanceDays(90);
        Assert.Equal(LicenseOutcome.Refused, world.Request(1, ProductVersions.V2022).Outcome);

        world.Engine.ChangeSettings(world.Ledger, null, preventLicenseUpgrade: false, null, null);
        LicenseDecision upgraded = world.Request(1, ProductVersions.V2022);
        Assert.Equal(LicenseOutcome.IssuedPermanent, upgraded.Outcome);
        Assert.Equal(ProductVersions.V2025, upgraded.License!.Version);
    }

    [Fact]
    public void One_device_is_one_hardware_id_whatever_machine_name_it_reports()
    {
        var world = new World().Activated();
        LicenseDecision first = world.Request(1);
        LicenseDecision renamed = world.Engine.Request(world.Ledger, CalRequest.Parse("RENAMED-PC", World.Hwid(1).ToString(), "x", "2022", null, null, null));
        Assert.Equal(LicenseOutcome.Valid, renamed.Outcome);
        Assert.Equal(first.License!.LicenseId, renamed.License!.LicenseId);
        Assert.Equal("RENAMED-PC", world.Ledger.FindLicense(first.License.LicenseId)!.Machine);
        Assert.Single(world.Ledger.AllLicenses);
    }
}
