namespace RdLicensing.Contracts;

// The JSON shapes of the REST API (camelCase, System.Text.Json web defaults). Enum-like fields are kebab-case strings
// (see RdLicensing.Domain.WireNames): type "per-device" | "per-user"; status "temporary" | "permanent" | "revoked" | "expired";
// activationState "not-activated" | "activated" | "deactivated"; method "automatic" | "web" | "telephone";
// scope "workgroup" | "domain" | "forest"; program "retail" | "open" | "select" | "enterprise" | "campus" | "school" |
// "services-provider" | "other"; version "2008R2" | "2012" | "2016" | "2019" | "2022" | "2025"; role "admin" | "auditor" | "host".
// Errors are RFC 9457 problem details; validation problems carry "errors": { field: [messages] }.
// Documented in docs/api.md. Keep the spellings: the CLI, the web UI, session hosts and scripts depend on them.

/// <summary>GET /health (no key needed).</summary>
public sealed record HealthDto(string Status, string Node, string? ServerId, string ActivationState, string Store);

/// <summary>GET /api/server — the license server (Win32_TSLicenseServer).</summary>
public sealed record ServerStatusDto(
    string ServerId,            // 35 alphanumerics
    string ServerIdDisplay,     // 7 groups of 5, hyphenated
    string Name,
    string Version,             // product version the license server reports itself as
    string ActivationState,
    string? ActivationMethod,
    DateTimeOffset? ActivatedOn,
    string DiscoveryScope,
    bool PreventLicenseUpgrade,
    string? CertificateThumbprint,
    ContactDto? Contact);

public sealed record ContactDto(
    string FirstName, string LastName, string Company, string Country,
    string? Email = null, string? OrganizationalUnit = null, string? Address = null, string? City = null,
    string? State = null, string? PostalCode = null);

/// <summary>POST /api/server/activate.</summary>
public sealed record ActivateRequest(
    string Method, string FirstName, string LastName, string Company, string Country,
    string? Email = null, string? OrganizationalUnit = null, string? Address = null, string? City = null,
    string? State = null, string? PostalCode = null);

/// <summary>POST /api/server/deactivate (telephone deactivation carries the confirmation code).</summary>
public sealed record DeactivateRequest(string? Method = null, string? ConfirmationCode = null);

/// <summary>PATCH /api/server/settings.</summary>
/// Version: the product version the server reports (it must stay ≥ every installed key pack's version).
public sealed record ServerSettingsRequest(string? DiscoveryScope = null, bool? PreventLicenseUpgrade = null, string? Name = null, string? Version = null);

/// <summary>GET /api/keypacks, POST /api/keypacks (Win32_TSLicenseKeyPack).</summary>
public sealed record KeyPackDto(
    string KeyPackId,
    string Program,
    string Code,               // the retail code / agreement number / key pack id as entered, masked except the last group
    string Version,
    string Type,
    string TypeAndModel,       // e.g. "RDS Per Device CAL"
    int Total,
    int Issued,
    int Available,
    DateTimeOffset InstalledOn,
    DateTimeOffset? ExpiresOn);

public sealed record InstallKeyPackRequest(string Program, string Code, string Version, string Type, int Quantity, DateTimeOffset? ExpiresOn = null);

/// <summary>An issued CAL (Win32_TSIssuedLicense), per device or per user.</summary>
public sealed record LicenseDto(
    string LicenseId,
    string KeyPackId,          // the temporary key pack id for temporary CALs
    string Type,
    string Status,
    string Version,
    string? Machine,
    string? User,
    string? Hwid,              // 40 hex digits; null for per-user CALs
    DateTimeOffset IssuedOn,
    DateTimeOffset ExpiresOn,
    bool Validated,
    DateTimeOffset? RevokedOn,
    string? IssuedToHost);

public sealed record LicensePageDto(IReadOnlyList<LicenseDto> Items, int Total, int Skip, int Take);

/// <summary>
/// POST /api/licenses/request — what a session host sends when a client connects. A host that holds a CAL presented by
/// the client passes its license id (and the HWID it was presented with); otherwise the server finds the device by HWID.
/// </summary>
public sealed record LicenseRequest(
    string? Machine,
    string? Hwid,
    string? User,
    string HostVersion,
    string Mode = "per-device",
    string? PresentedLicenseId = null,
    string? HostName = null);

/// <summary>
/// The answer to a license request. Outcome: "issued-temporary" | "upgraded" | "renewed" | "valid" | "per-user-recorded"
/// | "refused". Cal is the signed CAL (base64 PKCS#7) when one was issued, upgraded or renewed — what the host sends the client.
/// </summary>
public sealed record LicenseResponse(
    string Outcome,
    LicenseDto? License,
    string? Cal,
    int? EventId,
    string? Message);

/// <summary>POST /api/licenses/{id}/revoke refused by the 20% rule (HTTP 409 problem details extensions).</summary>
public sealed record RevocationRefusalDto(int RevokedCount, int InstalledCount, int RevocableCals, DateTimeOffset? NextRevokeAllowedOn);

/// <summary>API keys: hosts (session hosts that may obtain CALs), auditors (read only), admins.</summary>
public sealed record ApiKeyDto(string Name, string Role, DateTimeOffset CreatedOn, DateTimeOffset? LastSeenOn);

/// <summary>POST /api/hosts {name} or POST /api/keys {name, role}: the key is shown once.</summary>
public sealed record CreateKeyRequest(string Name, string Role = "host");

public sealed record CreatedKeyDto(string Name, string Role, string Key);

/// <summary>GET /api/events — each decision an admin must see, with its Windows event id.</summary>
public sealed record EventDto(long Sequence, DateTimeOffset Time, int EventId, string Source, string Level, string Message, string? LicenseId, string? KeyPackId, string? Host);

/// <summary>GET /api/trust — the certificates a session host needs to verify CALs signed by this deployment.</summary>
public sealed record TrustDto(string DeploymentCaCertificate, IReadOnlyList<string> LicenseServerCertificates);
