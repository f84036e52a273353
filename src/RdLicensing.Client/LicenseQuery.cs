namespace RdLicensing.Client;

/// <summary>Filters of <c>GET /api/licenses</c>; null members are not sent. Values use the API's spellings.</summary>
public sealed record LicenseQuery(
    string? Status = null,
    string? Type = null,
    string? Version = null,
    string? Machine = null,
    string? User = null,
    string? Hwid = null,
    string? KeyPackId = null,
    string? Search = null);
