using RdLicensing.Analysis.ClientStore;
using RdLicensing.Registry;

namespace RdLicensing.Analysis.Tests;

public sealed class ClientStoreTests
{
    private static MsLicensingStore Load(string name) =>
        MsLicensingStore.FromRegistry(RegistryModel.FromRegFile(RegFile.Parse(File.ReadAllBytes(TestData.PathOf(name)))));

    [Fact]
    public void Reads_the_hardware_id_and_the_stored_cal_with_its_strings()
    {
        MsLicensingStore store = Load("mslicensing-one-hwid.reg");

        StoredHardwareId hwid = Assert.Single(store.HardwareIds);
        Assert.Equal("0200000011223344556677889900AABBCCDDEEFF", hwid.Hex);
        StoredLicense license = Assert.Single(store.Licenses);
        Assert.EndsWith(@"Store\LICENSE000", license.KeyPath, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }, license.ClientLicense);
        Assert.Equal(("Microsoft Corporation", "microsoft.com", "A02"), (license.CompanyName, license.LicenseScope, license.ProductId));
        Assert.False(store.HasSeveralHardwareIds);
        Assert.Empty(store.Warnings);
    }

    [Fact]
    public void Several_hardware_ids_are_flagged_as_seed_002_cause_5()
    {
        MsLicensingStore store = Load("mslicensing-two-hwids.reg");

        Assert.Equal(2, store.HardwareIds.Count);
        Assert.True(store.HasSeveralHardwareIds);
        Assert.Equal(2, store.Licenses.Count);
        string warning = Assert.Single(store.Warnings);
        Assert.Contains("several hardware ids (2)", warning, StringComparison.Ordinal);
        Assert.Contains("cause 5", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_without_mslicensing_is_refused()
    {
        RegistryModel registry = RegistryModel.FromRegFile(RegFile.Parse(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\r\n\"A\"=dword:00000001\r\n"u8));

        var error = Assert.Throws<FormatException>(() => MsLicensingStore.FromRegistry(registry));

        Assert.Contains("MSLicensing", error.Message, StringComparison.Ordinal);
    }
}
