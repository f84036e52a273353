using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Server.Api;

/// <summary>Domain → contract shapes (docs/api.md spellings).</summary>
internal static class Dto
{
    public static ServerStatusDto Of(LicenseServer server) => new(
        server.ServerId.Value,
        server.ServerId.Display,
        server.Name,
        server.Version.Key,
        WireNames.Of(server.ActivationState),
        server.ActivationMethod is { } method ? WireNames.Of(method) : null,
        server.ActivatedOn,
        WireNames.Of(server.DiscoveryScope),
        server.PreventLicenseUpgrade,
        server.CertificateThumbprint,
        server.Contact is { } c
            ? new ContactDto(c.FirstName, c.LastName, c.Company, c.Country, c.Email, c.OrganizationalUnit, c.Address, c.City, c.State, c.PostalCode)
            : null);

    public static KeyPackDto Of(KeyPack pack) => new(
        pack.KeyPackId,
        WireNames.Of(pack.Program),
        pack.Code.Masked,
        pack.Version.Key,
        WireNames.Of(pack.Type),
        pack.TypeAndModel,
        pack.Total,
        pack.Issued,
        pack.Available,
        pack.InstalledOn,
        pack.ExpiresOn);

    public static LicenseDto Of(IssuedLicense license) => new(
        license.LicenseId,
        license.KeyPackId ?? (license.Temporary ? KeyPack.TemporaryKeyPackId : "none"),
        WireNames.Of(license.Type),
        WireNames.Of(license.Status),
        license.Version.Key,
        license.Machine,
        license.User,
        license.Hwid?.ToString(),
        license.IssuedOn,
        license.ExpiresOn,
        license.Validated,
        license.RevokedOn,
        license.IssuedToHost);

    public static ApiKeyDto Of(ApiKeyRecord key) => new(key.Name, key.Role, key.CreatedOn, key.LastSeenOn);

    public static EventDto Of(StoredEvent stored) => new(
        stored.Sequence,
        stored.Event.Time,
        stored.Event.EventId,
        stored.Event.Source,
        WireNames.Of(stored.Event.Level),
        stored.Event.Message,
        stored.Event.LicenseId,
        stored.Event.KeyPackId,
        stored.Event.Host);
}

/// <summary>Parsing of request fields; every failure names its field (problem details "errors").</summary>
internal static class Fields
{
    public static T Enum<T>(string? text, string field)
        where T : struct, Enum
    {
        if (WireNames.TryParse(text, out T value))
        {
            return value;
        }

        string expected = string.Join(", ", System.Enum.GetValues<T>().Select(Spell));
        throw LicensingException.Invalid(field, string.IsNullOrWhiteSpace(text) ? $"{field} is required: one of {expected}" : $"unknown {field} '{text}': expected one of {expected}");
    }

    public static T? OptionalEnum<T>(string? text, string field)
        where T : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? null : Enum<T>(text, field);

    public static ProductVersion Version(string? text, string field) =>
        ProductVersions.TryParse(text, out ProductVersion version)
            ? version
            : throw LicensingException.Invalid(field, $"unknown product version '{text}': expected one of {string.Join(", ", ProductVersions.All.Select(v => v.Key))}");

    public static ProductVersion? OptionalVersion(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null : Version(text, field);

    public static int Int(string? text, string field, int min, int max, int defaultValue)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw LicensingException.Invalid(field, $"{field} must be a whole number from {min} to {max}, got '{text}'");
    }

    public static long Long(string? text, string field, long defaultValue)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value) && value >= 0
            ? value
            : throw LicensingException.Invalid(field, $"{field} must be a whole number ≥ 0, got '{text}'");
    }

    public static T Body<T>(T? body)
        where T : class =>
        body ?? throw LicensingException.Invalid("body", "a json body is required");

    private static string Spell<T>(T value)
        where T : struct, Enum => value switch
        {
            CalType v => WireNames.Of(v),
            LicenseStatus v => WireNames.Of(v),
            LicensingMode v => WireNames.Of(v),
            ActivationMethod v => WireNames.Of(v),
            DiscoveryScope v => WireNames.Of(v),
            LicenseProgram v => WireNames.Of(v),
            _ => value.ToString(),
        };
}
