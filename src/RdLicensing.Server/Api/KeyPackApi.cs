using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.Api;

/// <summary>/api/keypacks: installed CAL key packs and their counters (Win32_TSLicenseKeyPack).</summary>
internal static class KeyPackApi
{
    public static IEndpointRouteBuilder MapKeyPacks(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/keypacks").WithTags("keypacks");
        group.MapGet("/", List).RequireAuthorization(Policies.Read)
            .WithName("ListKeyPacks").WithSummary("Installed key packs with Total / Issued / Available.");
        group.MapGet("/{keyPackId}", Get).RequireAuthorization(Policies.Read)
            .WithName("GetKeyPack").WithSummary("One key pack.");
        group.MapPost("/", Install).RequireAuthorization(Policies.Admin)
            .WithName("InstallKeyPack").WithSummary("Install a key pack: program and its code, version, CAL type, quantity.");
        group.MapDelete("/{keyPackId}", Remove).RequireAuthorization(Policies.Admin)
            .WithName("RemoveKeyPack").WithSummary("Remove a key pack with no issued CALs.");
        return routes;
    }

    private static async Task<Ok<KeyPackDto[]>> List(LicensingService licensing, CancellationToken cancellationToken) =>
        TypedResults.Ok((await licensing.KeyPacksAsync(cancellationToken)).Select(Dto.Of).ToArray());

    private static async Task<Results<Ok<KeyPackDto>, ProblemHttpResult>> Get(string keyPackId, LicensingService licensing, CancellationToken cancellationToken) =>
        await licensing.FindKeyPackAsync(keyPackId, cancellationToken) is { } pack
            ? TypedResults.Ok(Dto.Of(pack))
            : NotFound(keyPackId);

    private static async Task<Created<KeyPackDto>> Install(InstallKeyPackRequest? body, LicensingService licensing, CancellationToken cancellationToken)
    {
        InstallKeyPackRequest request = Fields.Body(body);
        LicenseProgram program = Fields.Enum<LicenseProgram>(request.Program, "program");
        KeyPackCode code = KeyPackCode.Parse(program, request.Code);
        ProductVersion version = Fields.Version(request.Version, "version");
        CalType type = Fields.Enum<CalType>(request.Type, "type");
        KeyPack pack = await licensing.InstallKeyPackAsync(code, version, type, request.Quantity, request.ExpiresOn, cancellationToken);
        return TypedResults.Created($"/api/keypacks/{pack.KeyPackId}", Dto.Of(pack));
    }

    private static async Task<NoContent> Remove(string keyPackId, LicensingService licensing, CancellationToken cancellationToken)
    {
        await licensing.RemoveKeyPackAsync(keyPackId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string keyPackId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: $"no key pack '{keyPackId}'",
            extensions: new Dictionary<string, object?> { ["field"] = "keyPackId" });
}
