namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.5 Client Platform Challenge Response (CLIENT_PLATFORM_CHALLENGE_RESPONSE).
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/f53ab87c-d07d-4bf9-a2ac-79542f7b456c
/// </summary>
/// <remarks>
/// Both blobs are BB_ENCRYPTED_DATA_BLOB in the spec; rdesktop sends BB_DATA_BLOB (licence.c
/// licence_send_platform_challenge_response), so both types are accepted and kept: the state machine uses the type
/// to recognise rdesktop's raw 10-byte challenge echo.
/// </remarks>
public sealed class ClientPlatformChallengeResponse : ILicensingMessage
{
    public const string Name = "CLIENT_PLATFORM_CHALLENGE_RESPONSE";

    /// <summary>The size of MACData.</summary>
    public const int MacSize = 16;

    private readonly byte[] _macData;

    public ClientPlatformChallengeResponse(LicenseBinaryBlob encryptedPlatformChallengeResponse, LicenseBinaryBlob encryptedHwid, ReadOnlySpan<byte> macData)
    {
        if (macData.Length != MacSize)
        {
            throw new ArgumentException($"the mac is {MacSize} bytes, got {macData.Length}", nameof(macData));
        }

        EncryptedPlatformChallengeResponse = encryptedPlatformChallengeResponse;
        EncryptedHwid = encryptedHwid;
        _macData = macData.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.PlatformChallengeResponse;

    /// <summary>The RC4-encrypted PLATFORM_CHALLENGE_RESPONSE_DATA (rdesktop: the encrypted challenge, echoed).</summary>
    public LicenseBinaryBlob EncryptedPlatformChallengeResponse { get; }

    /// <summary>The RC4-encrypted CLIENT_HARDWARE_ID.</summary>
    public LicenseBinaryBlob EncryptedHwid { get; }

    /// <summary>The MAC over the plaintext response data followed by the plaintext hardware id.</summary>
    public ReadOnlySpan<byte> MacData => _macData;

    public int EncodedSize =>
        EncryptedPlatformChallengeResponse.EncodedSize // EncryptedPlatformChallengeResponse
        + EncryptedHwid.EncodedSize // EncryptedHWID
        + MacSize; // MACData

    public static ClientPlatformChallengeResponse Decode(ref WireReader reader)
    {
        LicenseBinaryBlob response = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedPlatformChallengeResponse", BlobType.EncryptedData, BlobType.Data);
        LicenseBinaryBlob hwid = LicenseBinaryBlob.Decode(ref reader, Name, "EncryptedHWID", BlobType.EncryptedData, BlobType.Data);
        ReadOnlySpan<byte> mac = reader.ReadBytes(MacSize, Name, "MACData");
        return new ClientPlatformChallengeResponse(response, hwid, mac);
    }

    public void Encode(ref WireWriter writer)
    {
        EncryptedPlatformChallengeResponse.Encode(ref writer);
        EncryptedHwid.Encode(ref writer);
        writer.WriteBytes(_macData);
    }
}
