using System.Security.Claims;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Licensing;
using RdLicensing.Storage;

namespace RdLicensing.Server.Api;

/// <summary>/api/licenses: issued CALs, and the calls a session host makes (request, validate); revocation.</summary>
internal static class LicenseApi
{
    public const int MaxTake = 1000;

    public static IEndpointRouteBuilder MapLicenses(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/licenses").WithTags("licenses");
        group.MapGet("/", List).RequireAuthorization(Policies.Read)
            .WithName("ListLicenses").WithSummary("Issued CALs, filtered and paged, newest first.");
        group.MapGet("/{licenseId}", Get).RequireAuthorization(Policies.Read)
            .WithName("GetLicense").WithSummary("One issued CAL.");
        group.MapPost("/request", Request).RequireAuthorization(Policies.Host)
            .WithName("RequestLicense").WithSummary("What a session host asks when a client connects; refusals are 200 with outcome 'refused'.");
        group.MapPost("/{licenseId}/validate", Validate).RequireAuthorization(Policies.Host)
            .WithName("ValidateLicense").WithSummary("Mark a temporary CAL validated after a successful logon.");
        group.MapPost("/{licenseId}/revoke", Revoke).RequireAuthorization(Policies.Admin)
            .WithName("RevokeLicense").WithSummary("Revoke a permanent per-device CAL; 409 with the next allowed date under the 20% rule.");
        return routes;
    }

    private static async Task<Ok<LicensePageDto>> List(
        string? status, string? type, string? version, string? machine, string? user, string? hwid, string? keyPackId, string? search,
        string? skip, string? take, LicensingService licensing, CancellationToken cancellationToken)
    {
        HardwareId? hardwareId = null;
        if (!string.IsNullOrWhiteSpace(hwid))
        {
            hardwareId = HardwareId.TryParse(hwid, out HardwareId parsed) ? parsed : throw LicensingException.Invalid("hwid", $"a hardware id is 40 hex digits, got '{hwid}'");
        }

        var query = new LicenseQuery(
            Fields.OptionalEnum<LicenseStatus>(status, "status"),
            Fields.OptionalEnum<CalType>(type, "type"),
            Fields.OptionalVersion(version, "version"),
            Blank(machine),
            Blank(user),
            hardwareId,
            Blank(keyPackId),
            Blank(search),
            Fields.Int(skip, "skip", 0, int.MaxValue, 0),
            Fields.Int(take, "take", 1, MaxTake, 100));
        LicensePage page = await licensing.LicensesAsync(query, cancellationToken);
        return TypedResults.Ok(new LicensePageDto(page.Items.Select(Dto.Of).ToArray(), page.Total, query.Skip, query.Take));
    }

    private static async Task<Results<Ok<LicenseDto>, ProblemHttpResult>> Get(string licenseId, LicensingService licensing, CancellationToken cancellationToken) =>
        await licensing.FindLicenseAsync(licenseId, cancellationToken) is { } license
            ? TypedResults.Ok(Dto.Of(license))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: $"no license '{licenseId}'",
                extensions: new Dictionary<string, object?> { ["field"] = "licenseId" });

    private static async Task<JsonOk<LicenseResponse>> Request(LicenseRequest? body, ClaimsPrincipal user, LicensingService licensing, CancellationToken cancellationToken)
    {
        LicenseRequest request = Fields.Body(body);
        CalRequest calRequest = CalRequest.Parse(request.Machine, request.Hwid, request.User, request.HostVersion, request.Mode, request.PresentedLicenseId, request.HostName);

        // A session host is recorded under its key's name; an admin acting as a host names it in the body.
        string? host = user.IsInRole(Roles.Host) ? user.Identity?.Name : calRequest.HostName;
        LicenseGrant grant = await licensing.RequestAsync(calRequest, host, cancellationToken);
        LicenseDecision decision = grant.Decision;
        return new JsonOk<LicenseResponse>(new LicenseResponse(
            WireNames.Of(decision.Outcome),
            decision.License is { } license ? Dto.Of(license) : null,
            grant.Cal is { } cal ? Convert.ToBase64String(cal) : null,
            decision.EventId,
            decision.Message));
    }

    private static async Task<JsonOk<LicenseDto>> Validate(string licenseId, LicensingService licensing, CancellationToken cancellationToken) =>
        new(Dto.Of(await licensing.ValidateAsync(licenseId, cancellationToken)));

    private static async Task<Results<Ok<LicenseDto>, ProblemHttpResult>> Revoke(string licenseId, LicensingService licensing, CancellationToken cancellationToken)
    {
        RevocationResult result = await licensing.RevokeAsync(licenseId, cancellationToken);
        if (result.Revoked)
        {
            return TypedResults.Ok(Dto.Of(result.License));
        }

        RevocationAllowance allowance = result.Allowance;
        var refusal = new RevocationRefusalDto(allowance.RevokedCount, allowance.InstalledCount, allowance.RevocableCals, allowance.NextRevokeAllowedOn);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "revocation limit reached",
            detail: $"{allowance.RevokedCount} of the installed {allowance.InstalledCount} {allowance.Version} per-device cals are already revoked (at most {allowance.Limit}); the next revocation is allowed on {allowance.NextRevokeAllowedOn:u}",
            extensions: new Dictionary<string, object?>
            {
                ["field"] = "licenseId",
                ["eventId"] = WindowsEventIds.RevocationLimitReached,
                ["revokedCount"] = refusal.RevokedCount,
                ["installedCount"] = refusal.InstalledCount,
                ["revocableCals"] = refusal.RevocableCals,
                ["nextRevokeAllowedOn"] = refusal.NextRevokeAllowedOn,
            });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
