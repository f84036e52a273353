namespace RdLicensing.Domain;

/// <summary>
/// The spellings the CLI, the REST API and the store use for the domain enums (kebab-case), in one place.
/// </summary>
public static class WireNames
{
    public static string Of(CalType type) => type switch
    {
        CalType.PerDevice => "per-device",
        CalType.PerUser => "per-user",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Of(LicenseStatus status) => status switch
    {
        LicenseStatus.Temporary => "temporary",
        LicenseStatus.Permanent => "permanent",
        LicenseStatus.Revoked => "revoked",
        LicenseStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Of(LicensingMode mode) => mode switch
    {
        LicensingMode.PerDevice => "per-device",
        LicensingMode.PerUser => "per-user",
        LicensingMode.NotConfigured => "not-configured",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string Of(ActivationState state) => state switch
    {
        ActivationState.NotActivated => "not-activated",
        ActivationState.Activated => "activated",
        ActivationState.Deactivated => "deactivated",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string Of(ActivationMethod method) => method switch
    {
        ActivationMethod.Automatic => "automatic",
        ActivationMethod.Web => "web",
        ActivationMethod.Telephone => "telephone",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static string Of(DiscoveryScope scope) => scope switch
    {
        DiscoveryScope.Workgroup => "workgroup",
        DiscoveryScope.Domain => "domain",
        DiscoveryScope.Forest => "forest",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    public static string Of(LicenseProgram program) => program switch
    {
        LicenseProgram.Retail => "retail",
        LicenseProgram.Open => "open",
        LicenseProgram.Select => "select",
        LicenseProgram.Enterprise => "enterprise",
        LicenseProgram.Campus => "campus",
        LicenseProgram.School => "school",
        LicenseProgram.ServicesProvider => "services-provider",
        LicenseProgram.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(program)),
    };

    public static string Of(LicenseOutcome outcome) => outcome switch
    {
        LicenseOutcome.IssuedTemporary => "issued-temporary",
        LicenseOutcome.Upgraded => "upgraded",
        LicenseOutcome.Renewed => "renewed",
        LicenseOutcome.Valid => "valid",
        LicenseOutcome.PerUserRecorded => "per-user-recorded",
        LicenseOutcome.Refused => "refused",
        LicenseOutcome.IssuedPermanent => "issued-permanent",
        LicenseOutcome.PerUserNotTracked => "per-user-not-tracked",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static string Of(EventLevel level) => level switch
    {
        EventLevel.Information => "information",
        EventLevel.Warning => "warning",
        EventLevel.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(OfAny(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string OfAny<T>(T value)
        where T : struct, Enum => value switch
        {
            CalType v => Of(v),
            LicenseStatus v => Of(v),
            LicensingMode v => Of(v),
            ActivationState v => Of(v),
            ActivationMethod v => Of(v),
            DiscoveryScope v => Of(v),
            LicenseProgram v => Of(v),
            LicenseOutcome v => Of(v),
            EventLevel v => Of(v),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
}
