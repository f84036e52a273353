using RdLicensing.Contracts;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Certificates;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.Api;

/// <summary>/api/events: the decisions an admin must see, with Windows event ids.</summary>
internal static class EventApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/events", List).RequireAuthorization(Policies.Read).WithTags("events")
            .WithName("ListEvents").WithSummary("Events after a sequence number, oldest first.");
        return routes;
    }

    private static async Task<Ok<EventDto[]>> List(string? after, string? take, LicensingService licensing, CancellationToken cancellationToken)
    {
        long afterSequence = Fields.Long(after, "after", 0);
        int count = Fields.Int(take, "take", 1, LicenseApi.MaxTake, 100);
        return TypedResults.Ok((await licensing.EventsAsync(afterSequence, count, cancellationToken)).Select(Dto.Of).ToArray());
    }
}

/// <summary>/api/trust: the certificates a session host needs to verify CALs of this deployment.</summary>
internal static class TrustApi
{
    public static IEndpointRouteBuilder MapTrust(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/trust", Get).RequireAuthorization(Policies.Any).WithTags("trust")
            .WithName("GetTrust").WithSummary("The deployment CA and the license-server certificates it issued (base64 DER).");
        return routes;
    }

    private static async Task<Ok<TrustDto>> Get(DeploymentCertificates certificates, CancellationToken cancellationToken)
    {
        (byte[] ca, IReadOnlyList<byte[]> issued) = await certificates.TrustAsync(cancellationToken);
        return TypedResults.Ok(new TrustDto(Convert.ToBase64String(ca), issued.Select(Convert.ToBase64String).ToArray()));
    }
}
