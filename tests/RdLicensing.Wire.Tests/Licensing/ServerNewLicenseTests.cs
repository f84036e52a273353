using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ServerNewLicenseTests
{
    private static byte[] Pdu => Vectors.Load("new-license-windows.hex");

    [Fact]
    public void Windows_new_license_decodes()
    {
        byte[] pdu = Pdu;
        Assert.Equal(2059, pdu.Length);
        ServerNewLicense license = Vectors.DecodePdu<ServerNewLicense>(pdu);
        Assert.Equal(0x07ef, license.EncryptedLicenseInfo.Length);
        Assert.Equal(pdu[12..^16], license.EncryptedLicenseInfo.ToArray());
        Assert.Equal(pdu[^16..], license.MacData.ToArray());
    }

    [Fact]
    public void Windows_new_license_encodes()
    {
        byte[] pdu = Pdu;
        Assert.Equal(pdu, Vectors.WithSecurityHeader(new ServerNewLicense(pdu.AsSpan(12, 0x07ef), pdu.AsSpan(pdu.Length - 16))));
    }

    [Fact]
    public void Windows_new_license_size()
    {
        byte[] pdu = Pdu;
        Assert.Equal(pdu.Length - 8, new ServerNewLicense(pdu.AsSpan(12, 0x07ef), pdu.AsSpan(pdu.Length - 16)).EncodedSize);
    }

    [Fact]
    public void Upgrade_license_has_the_same_layout()
    {
        byte[] pdu = Pdu;
        pdu[4] = (byte)LicensingMessageType.UpgradeLicense;
        ServerUpgradeLicense upgrade = Vectors.DecodePdu<ServerUpgradeLicense>(pdu);
        Assert.Equal(pdu[12..^16], upgrade.EncryptedLicenseInfo.ToArray());
        Assert.Equal(pdu, Vectors.WithSecurityHeader(upgrade));
        Assert.Equal(pdu.Length - 8, upgrade.EncodedSize);
    }

    [Theory]
    [InlineData("blob of the data type", "01000100aa" + "00000000000000000000000000000000", "EncryptedLicenseInfo")]
    [InlineData("blob longer than the input", "0900ff00aa", "EncryptedLicenseInfo")]
    [InlineData("missing blob", "0900", "EncryptedLicenseInfo")]
    [InlineData("mac truncated", "09000100aa000000", "MACData")]
    public void Failures(string name, string hex, string field)
    {
        Assert.NotEmpty(name);
        Vectors.AssertFails(Vectors.Hex(hex), ServerNewLicense.Decode, ServerNewLicense.Name, field);
        Vectors.AssertFails(Vectors.Hex(hex), ServerUpgradeLicense.Decode, ServerUpgradeLicense.Name, field);
    }
}
