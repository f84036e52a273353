namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.12.1.3 Licensing Error Message (LICENSE_ERROR_MESSAGE), also [MS-RDPELE] 2.2.2.8.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/f18b6c9f-f3d8-4a0e-8398-f9b153233dca
/// </summary>
public sealed class LicenseErrorMessage : ILicensingMessage
{
    public const string Name = "LICENSE_ERROR_MESSAGE";

    private readonly byte[] _errorInfo;

    public LicenseErrorMessage(LicenseErrorCode dwErrorCode, LicenseStateTransition dwStateTransition, ReadOnlySpan<byte> errorInfo = default)
    {
        if (errorInfo.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a blob holds at most 65535 bytes", nameof(errorInfo));
        }

        DwErrorCode = dwErrorCode;
        DwStateTransition = dwStateTransition;
        _errorInfo = errorInfo.ToArray();
    }

    public LicensingMessageType MessageType => LicensingMessageType.ErrorAlert;

    public LicenseErrorCode DwErrorCode { get; }

    public LicenseStateTransition DwStateTransition { get; }

    /// <summary>The bytes of the bbErrorInfo BB_ERROR_BLOB (usually empty).</summary>
    public ReadOnlySpan<byte> ErrorInfo => _errorInfo;

    public bool IsValidClient => DwErrorCode == LicenseErrorCode.StatusValidClient;

    public int EncodedSize =>
        4 // dwErrorCode
        + 4 // dwStateTransition
        + LicenseBinaryBlob.HeaderSize + _errorInfo.Length; // bbErrorInfo

    /// <summary>
    /// STATUS_VALID_CLIENT with ST_NO_TRANSITION and an empty error blob: [MS-RDPBCGR] 2.2.1.12 Server License Error
    /// PDU - Valid Client. With its headers it is <c>80 00 00 00 FF 03 10 00 07 00 00 00 02 00 00 00 04 00 00 00</c>.
    /// </summary>
    public static LicenseErrorMessage ValidClient() => new(LicenseErrorCode.StatusValidClient, LicenseStateTransition.StNoTransition);

    public static LicenseErrorMessage Decode(ref WireReader reader)
    {
        reader.Ensure(8 + LicenseBinaryBlob.HeaderSize, Name);
        var code = (LicenseErrorCode)reader.ReadU32LE(Name, "dwErrorCode");
        var transition = (LicenseStateTransition)reader.ReadU32LE(Name, "dwStateTransition");

        // [MS-RDPBCGR] 2.2.1.12.1.3: bbErrorInfo is a BB_ERROR_BLOB (the type is ignored when it is empty).
        LicenseBinaryBlob info = LicenseBinaryBlob.Decode(ref reader, Name, "bbErrorInfo", BlobType.Error);
        return new LicenseErrorMessage(code, transition, info.BlobData);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE((uint)DwErrorCode);
        writer.WriteU32LE((uint)DwStateTransition);
        new LicenseBinaryBlob(BlobType.Error, _errorInfo).Encode(ref writer);
    }
}
