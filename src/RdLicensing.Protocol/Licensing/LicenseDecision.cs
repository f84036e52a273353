using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Licensing;

/// <summary>The kinds of <see cref="LicenseDecision"/>.</summary>
public enum LicenseDecisionKind
{
    /// <summary>Send the CAL in SERVER_NEW_LICENSE.</summary>
    IssueNewLicense,

    /// <summary>Send the CAL in SERVER_UPGRADE_LICENSE (upgrade of a temporary CAL, or renewal).</summary>
    UpgradeLicense,

    /// <summary>Send STATUS_VALID_CLIENT.</summary>
    ValidClient,

    /// <summary>Send a licensing error.</summary>
    Refuse,
}

/// <summary>The driver's answer to a <see cref="LicenseDecisionRequest"/>.</summary>
public sealed class LicenseDecision
{
    private readonly byte[] _license;

    private LicenseDecision(LicenseDecisionKind kind, ReadOnlySpan<byte> license, LicenseErrorCode errorCode, LicenseStateTransition stateTransition)
    {
        Kind = kind;
        _license = license.ToArray();
        ErrorCode = errorCode;
        StateTransition = stateTransition;
    }

    public LicenseDecisionKind Kind { get; }

    /// <summary>The CAL bytes (pbLicenseInfo) for <see cref="LicenseDecisionKind.IssueNewLicense"/> and <see cref="LicenseDecisionKind.UpgradeLicense"/>.</summary>
    public ReadOnlySpan<byte> License => _license;

    public LicenseErrorCode ErrorCode { get; }

    public LicenseStateTransition StateTransition { get; }

    /// <summary>Issue <paramref name="license"/> (the CAL) in SERVER_NEW_LICENSE.</summary>
    public static LicenseDecision IssueNewLicense(ReadOnlySpan<byte> license) =>
        new(LicenseDecisionKind.IssueNewLicense, RequireLicense(license), LicenseErrorCode.StatusValidClient, LicenseStateTransition.StNoTransition);

    /// <summary>Send <paramref name="license"/> (an upgraded or renewed CAL) in SERVER_UPGRADE_LICENSE.</summary>
    public static LicenseDecision UpgradeLicense(ReadOnlySpan<byte> license) =>
        new(LicenseDecisionKind.UpgradeLicense, RequireLicense(license), LicenseErrorCode.StatusValidClient, LicenseStateTransition.StNoTransition);

    /// <summary>The client is licensed; no new CAL (STATUS_VALID_CLIENT, ST_NO_TRANSITION).</summary>
    public static LicenseDecision ValidClient() =>
        new(LicenseDecisionKind.ValidClient, [], LicenseErrorCode.StatusValidClient, LicenseStateTransition.StNoTransition);

    /// <summary>Refuse with a licensing error, e.g. ERR_NO_LICENSE_SERVER / ST_TOTAL_ABORT.</summary>
    public static LicenseDecision Refuse(LicenseErrorCode errorCode, LicenseStateTransition stateTransition) =>
        errorCode == LicenseErrorCode.StatusValidClient
            ? throw new ArgumentException("STATUS_VALID_CLIENT is not a refusal: use ValidClient()", nameof(errorCode))
            : new(LicenseDecisionKind.Refuse, [], errorCode, stateTransition);

    private static ReadOnlySpan<byte> RequireLicense(ReadOnlySpan<byte> license) =>
        license.IsEmpty ? throw new ArgumentException("a license to issue is not empty", nameof(license)) : license;
}
