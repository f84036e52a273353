using CsCheck;

namespace RdLicensing.Domain.Tests;

public sealed class CounterPropertyTests
{
    /// <summary>One step of a random licensing history.</summary>
    private sealed record Step(int Kind, int Device, int Days);

    private static readonly Gen<Step> s_step = Gen.Select(Gen.Int[0, 6], Gen.Int[1, 12], Gen.Int[0, 40], (kind, device, days) => new Step(kind, device, days));

    [Fact]
    public void Counters_hold_after_every_step_of_any_history()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4], s_step.Array[1, 80], Gen.Int[0, 1000])
            .Sample((perDevice, perUser, steps, seed) =>
            {
                var world = new World(seed).Activated();
                KeyPack devicePack = world.Install(perDevice);
                KeyPack userPack = world.Install(perUser, type: CalType.PerUser);
                foreach (Step step in steps)
                {
                    Apply(world, step);
                    world.AssertCounters();
                    KeyPack d = world.Pack(devicePack.KeyPackId);
                    Assert.InRange(d.Issued, 0, d.Total);
                    Assert.Equal(d.Total, d.Issued + d.Available);
                    KeyPack u = world.Pack(userPack.KeyPackId);
                    Assert.True(u.Available >= 0 && u.Issued >= 0);
                    Assert.Equal(Math.Max(0, u.Total - u.Issued), u.Available);

                    // No device ever holds two active CALs its host version accepts.
                    Assert.All(
                        world.Ledger.AllLicenses.Where(l => l.Type == CalType.PerDevice && l.IsActive(world.Time.GetUtcNow())).GroupBy(l => l.Hwid),
                        g => Assert.Single(g));
                }
            }, iter: 300);
    }

    private static void Apply(World world, Step step)
    {
        switch (step.Kind)
        {
            case 0:
            case 1:
                world.Request(step.Device);
                break;
            case 2:
                foreach (IssuedLicense license in world.Ledger.AllLicenses.Where(l => l.Hwid?.Equals(World.Hwid(step.Device)) == true && l.Status == LicenseStatus.Temporary))
                {
                    world.Engine.Validate(world.Ledger, license.LicenseId);
                }

                break;
            case 3:
                if (world.Ledger.AllLicenses.FirstOrDefault(l => l.Hwid?.Equals(World.Hwid(step.Device)) == true && l.Status == LicenseStatus.Permanent) is { } permanent)
                {
                    world.Engine.Revoke(world.Ledger, permanent.LicenseId);
                }

                break;
            case 4:
                world.RequestUser($"user{step.Device}");
                break;
            default:
                world.AdvanceDays(step.Days);
                world.Engine.SweepExpired(world.Ledger);
                break;
        }
    }
}
