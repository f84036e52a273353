namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.7 (SERVER_NEW_LICENSE): the layout of <see cref="ServerLicenseMessage"/>; sent when a CAL is issued for the first time.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.7)
/// </summary>
public sealed class ServerNewLicense : ServerLicenseMessage
{
    public const string Name = "SERVER_NEW_LICENSE";

    public ServerNewLicense(ReadOnlySpan<byte> encryptedLicenseInfo, ReadOnlySpan<byte> macData)
        : base(encryptedLicenseInfo, macData)
    {
    }

    public override LicensingMessageType MessageType => LicensingMessageType.NewLicense;

    public static ServerNewLicense Decode(ref WireReader reader)
    {
        (byte[] info, byte[] mac) = DecodeBody(ref reader, Name);
        return new ServerNewLicense(info, mac);
    }
}
