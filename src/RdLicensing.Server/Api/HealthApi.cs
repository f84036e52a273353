using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.Api;

/// <summary>GET /health: the only endpoint that answers without a key.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealth)
            .AllowAnonymous()
            .WithName("GetHealth")
            .WithSummary("Liveness and identity of this node; no key needed.")
            .WithTags("health");
        return routes;
    }

    private static async Task<Results<Ok<HealthDto>, ProblemHttpResult>> GetHealth(LicensingService licensing, NodeIdentity node, CancellationToken cancellationToken)
    {
        try
        {
            LicenseServer server = await licensing.GetServerAsync(cancellationToken);
            return TypedResults.Ok(new HealthDto("ok", node.Name, server.ServerId.Value, WireNames.Of(server.ActivationState), licensing.Store.Kind));
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or System.Data.Common.DbException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "the store is unavailable", detail: exception.Message);
        }
    }
}
