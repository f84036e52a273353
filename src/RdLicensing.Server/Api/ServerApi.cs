using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.Api;

/// <summary>/api/server: the license server (Win32_TSLicenseServer), activation and settings.</summary>
internal static class ServerApi
{
    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/server").WithTags("server");
        group.MapGet("/", GetStatus).RequireAuthorization(Policies.Read)
            .WithName("GetServer").WithSummary("The license server: id, version, activation state, scope, policy.");
        group.MapPost("/activate", Activate).RequireAuthorization(Policies.Admin)
            .WithName("ActivateServer").WithSummary("Activate (automatic, web or telephone) with the required contact data; issues the server's certificate.");
        group.MapPost("/deactivate", Deactivate).RequireAuthorization(Policies.Admin)
            .WithName("DeactivateServer").WithSummary("Deactivate: issued CALs stay valid, only temporary CALs are issued.");
        group.MapPatch("/settings", ChangeSettings).RequireAuthorization(Policies.Admin)
            .WithName("ChangeServerSettings").WithSummary("Discovery scope, prevent license upgrade, name, reported version.");
        return routes;
    }

    private static async Task<Ok<ServerStatusDto>> GetStatus(LicensingService licensing, CancellationToken cancellationToken) =>
        TypedResults.Ok(Dto.Of(await licensing.GetServerAsync(cancellationToken)));

    private static async Task<Ok<ServerStatusDto>> Activate(ActivateRequest? body, LicensingService licensing, CancellationToken cancellationToken)
    {
        ActivateRequest request = Fields.Body(body);
        ActivationMethod method = Fields.Enum<ActivationMethod>(request.Method, "method");
        Contact contact = Contact.Create(request.FirstName, request.LastName, request.Company, request.Country, request.Email,
            request.OrganizationalUnit, request.Address, request.City, request.State, request.PostalCode);
        return TypedResults.Ok(Dto.Of(await licensing.ActivateAsync(method, contact, cancellationToken)));
    }

    private static async Task<Ok<ServerStatusDto>> Deactivate(DeactivateRequest? body, LicensingService licensing, CancellationToken cancellationToken)
    {
        DeactivateRequest request = body ?? new DeactivateRequest();
        ActivationMethod method = string.IsNullOrWhiteSpace(request.Method) ? ActivationMethod.Automatic : Fields.Enum<ActivationMethod>(request.Method, "method");
        return TypedResults.Ok(Dto.Of(await licensing.DeactivateAsync(method, request.ConfirmationCode, cancellationToken)));
    }

    private static async Task<Ok<ServerStatusDto>> ChangeSettings(ServerSettingsRequest? body, LicensingService licensing, CancellationToken cancellationToken)
    {
        ServerSettingsRequest request = Fields.Body(body);
        DiscoveryScope? scope = Fields.OptionalEnum<DiscoveryScope>(request.DiscoveryScope, "discoveryScope");
        ProductVersion? version = Fields.OptionalVersion(request.Version, "version");
        return TypedResults.Ok(Dto.Of(await licensing.ChangeSettingsAsync(scope, request.PreventLicenseUpgrade, request.Name, version, cancellationToken)));
    }
}
