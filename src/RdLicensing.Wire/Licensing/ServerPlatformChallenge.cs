namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.4 Server Platform Challenge (SERVER_PLATFORM_CHALLENGE).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/41e129ad-0f35-43ad-a399-1b10e7d007a9
/// </summary>
/// <remarks>
/// Clients ignore the blob type of EncryptedPlatformChallenge (rdesktop skips it; Windows sends 0, older servers
/// junk), so any type decodes and is kept.
/// </remarks>
public sealed class ServerPlatformChallenge : ILicensingMessage
{
    public const string Name = "SERVER_PLATFORM_CHALLENGE";

    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _macData;

    public ServerPlatformChallenge(uint connectFlags, LicenseBinaryBlob encryptedPlatformChallenge, ReadOnlySpan<byte> macData)
    {
        if (macData.Length != MacSize)
        {
            throw new ArgumentException($"the mac is {MacSize} bytes, got {macData.Length}", nameof(macData));
        }

        ConnectFlags = connectFlags;
        EncryptedPlatformChallenge = encryptedPlatformChallenge;
        _macData = macData.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.PlatformChallenge;

    /// <summary>Reserved; 0.</summary>
    public uint ConnectFlags { get; }

    /// <summary>The RC4-encrypted platform challenge.</summary>
    public LicenseBinaryBlob EncryptedPlatformChallenge { get; }

    /// <summary>The MAC over the plaintext challenge.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        4 // ConnectFlags
        + EncryptedPlatformChallenge.EncodedSize // EncryptedPlatformChallenge
        + MacSize; // MACData

    public static ServerPlatformChallenge Decode(ref WireReader reader)
    {
        uint connectFlags = reader.ReadU32LE(Name, "ConnectFlags");
        LicenseBinaryBlob challenge = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedPlatformChallenge");
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, Name, "MACData");
        return new ServerPlatformChallenge(connectFlags, challenge, mac);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(ConnectFlags);
        EncryptedPlatformChallenge.Encode(ref writer);
        writer.WriteBytes(_macData);
    }
}
