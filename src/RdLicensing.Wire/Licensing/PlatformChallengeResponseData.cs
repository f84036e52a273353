namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.5.1 Platform Challenge Response Data (PLATFORM_CHALLENGE_RESPONSE_DATA), the plaintext of
/// EncryptedPlatformChallengeResponse.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.5.1)
/// </summary>
/// <remarks>
/// FreeRDP sends <c>00 01 00 ff 03 00 0a 00</c> then the challenge (rdpele.md section 3). IronRDP's builder prepends 8
/// spurious zero bytes (rdpele.md section 4); that layout is rejected here (wVersion 0).
/// </remarks>
public sealed class PlatformChallengeResponseData
{
    public const string Name = "PLATFORM_CHALLENGE_RESPONSE_DATA";

    /// <summary>The only wVersion: 0x0100.</summary>
    public const ushort Version = 0x0100;

    /// <summary>wClientType OTHER_PLATFORM_CHALLENGE_TYPE (0xFF00), as FreeRDP sends.</summary>
    public const ushort ClientTypeOther = 0xFF00;

    /// <summary>wClientType WIN32_PLATFORM_CHALLENGE_TYPE.</summary>
    public const ushort ClientTypeWin32 = 0x0100;

    /// <summary>wClientType WIN16_PLATFORM_CHALLENGE_TYPE.</summary>
    public const ushort ClientTypeWin16 = 0x0200;

    /// <summary>wClientType WINCE_PLATFORM_CHALLENGE_TYPE.</summary>
    public const ushort ClientTypeWinCe = 0x0300;

    /// <summary>wLicenseDetailLevel LICENSE_DETAIL_SIMPLE.</summary>
    public const ushort DetailSimple = 0x0001;

    /// <summary>wLicenseDetailLevel LICENSE_DETAIL_MODERATE.</summary>
    public const ushort DetailModerate = 0x0002;

    /// <summary>wLicenseDetailLevel LICENSE_DETAIL_DETAIL.</summary>
    public const ushort DetailDetail = 0x0003;

    private readonly byte[] _pbChallenge;

    public PlatformChallengeResponseData(ushort wVersion, ushort wClientType, ushort wLicenseDetailLevel, ReadOnlySpan<byte> pbChallenge)
    {
        if (pbChallenge.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"a challenge holds at most {ushort.MaxValue} bytes", nameof(pbChallenge));
        }

        WVersion = wVersion;
        WClientType = wClientType;
        WLicenseDetailLevel = wLicenseDetailLevel;
        _pbChallenge = pbChallenge.ToArray();
    }

    public ushort WVersion { get; }

    public ushort WClientType { get; }

    public ushort WLicenseDetailLevel { get; }

    public ushort CbChallenge => (ushort)_pbChallenge.Length;

    /// <summary>The decrypted server challenge, echoed.</summary>
    public ReadOnlySpan<byte> PbChallenge => _pbChallenge;

    public int EncodedSize =>
        2 // wVersion
        + 2 // wClientType
        + 2 // wLicenseDetailLevel
        + 2 // cbChallenge
        + _pbChallenge.Length; // pbChallenge

    /// <summary>Decodes the structure, which must fill <paramref name="bytes"/> (a decrypted blob).</summary>
    public static PlatformChallengeResponseData Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        PlatformChallengeResponseData data = Decode(ref reader);
        reader.EnsureEnd(Name);
        return data;
    }

    public static PlatformChallengeResponseData Decode(ref WireReader reader)
    {
        reader.Ensure(8, Name);
        ushort version = reader.ReadU16LE(Name, "wVersion");

        // [MS-RDPELE] 2.2.2.5.1: wVersion MUST be 0x0100.
        if (version != Version)
        {
            throw new ProtocolException(DecodeErrorKind.UnsupportedVersion, Name, "wVersion", $"version 0x{version:x4} is not 0x0100");
        }

        ushort clientType = reader.ReadU16LE(Name, "wClientType");
        ushort detail = reader.ReadU16LE(Name, "wLicenseDetailLevel");

        // [MS-RDPELE] 2.2.2.5.1: LICENSE_DETAIL_SIMPLE, LICENSE_DETAIL_MODERATE or LICENSE_DETAIL_DETAIL.
        if (detail is < DetailSimple or > DetailDetail)
        {
            throw ProtocolException.InvalidField(Name, "wLicenseDetailLevel", $"detail level {detail} is not 1, 2 or 3");
        }

        ushort length = reader.ReadU16LE(Name, "cbChallenge");
        ReadOnlySpan<byte> challenge = reader.ReadBytes(length, Name, "pbChallenge");
        return new PlatformChallengeResponseData(version, clientType, detail, challenge);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(WVersion);
        writer.WriteU16LE(WClientType);
        writer.WriteU16LE(WLicenseDetailLevel);
        writer.WriteU16LE(CbChallenge);
        writer.WriteBytes(_pbChallenge);
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        var writer = new WireWriter(bytes);
        Encode(ref writer);
        return bytes;
    }
}
