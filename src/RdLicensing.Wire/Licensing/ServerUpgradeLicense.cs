namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.6 (SERVER_UPGRADE_LICENSE): the layout of <see cref="ServerLicenseMessage"/>; sent when a presented CAL is upgraded or renewed.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.6)
/// </summary>
public sealed class ServerUpgradeLicense : ServerLicenseMessage
{
    public const string Name = "SERVER_UPGRADE_LICENSE";

    public ServerUpgradeLicense(ReadOnlySpan<byte> encryptedLicenseInfo, ReadOnlySpan<byte> macData)
        : base(encryptedLicenseInfo, macData)
    {
    }

    public override LicensingMessageType MessageType => LicensingMessageType.UpgradeLicense;

    public static ServerUpgradeLicense Decode(ref WireReader reader)
    {
        (byte[] info, byte[] mac) = DecodeBody(ref reader, Name);
        return new ServerUpgradeLicense(info, mac);
    }
}
