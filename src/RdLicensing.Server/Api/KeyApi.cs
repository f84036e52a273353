using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Server.Auth;

namespace RdLicensing.Server.Api;

/// <summary>/api/hosts (session-host keys) and /api/keys (all API keys). A created key is shown once.</summary>
internal static class KeyApi
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder hosts = routes.MapGroup("/api/hosts").WithTags("hosts");
        hosts.MapGet("/", ListHosts).RequireAuthorization(Policies.Read)
            .WithName("ListHosts").WithSummary("Session hosts that may obtain CALs.");
        hosts.MapPost("/", AddHost).RequireAuthorization(Policies.Admin)
            .WithName("AddHost").WithSummary("Create a session-host key (shown once).");
        hosts.MapDelete("/{name}", RemoveHost).RequireAuthorization(Policies.Admin)
            .WithName("RemoveHost").WithSummary("Remove a session-host key.");

        RouteGroupBuilder keys = routes.MapGroup("/api/keys").WithTags("keys").RequireAuthorization(Policies.Admin);
        keys.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("All API keys (never the keys themselves).");
        keys.MapPost("/", AddKey).WithName("AddKey").WithSummary("Create an admin, auditor or host key (shown once).");
        keys.MapDelete("/{name}", RemoveKey).WithName("RemoveKey").WithSummary("Remove a key; the last admin key stays.");
        return routes;
    }

    private static async Task<Ok<ApiKeyDto[]>> ListHosts(ApiKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Where(k => k.Role == Roles.Host).Select(Dto.Of).ToArray());

    private static async Task<Created<CreatedKeyDto>> AddHost(CreateKeyRequest? body, ApiKeys keys, CancellationToken cancellationToken)
    {
        CreateKeyRequest request = Fields.Body(body);
        if (!string.IsNullOrWhiteSpace(request.Role) && !string.Equals(request.Role.Trim(), Roles.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw LicensingException.Invalid("role", $"/api/hosts creates host keys; use /api/keys for role '{request.Role}'");
        }

        (var record, string key) = await keys.CreateAsync(request.Name, Roles.Host, cancellationToken);
        return TypedResults.Created($"/api/hosts/{record.Name}", new CreatedKeyDto(record.Name, record.Role, key));
    }

    private static async Task<NoContent> RemoveHost(string name, ApiKeys keys, CancellationToken cancellationToken)
    {
        await keys.RemoveAsync(name, Roles.Host, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ApiKeyDto[]>> ListKeys(ApiKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(Dto.Of).ToArray());

    private static async Task<Created<CreatedKeyDto>> AddKey(CreateKeyRequest? body, ApiKeys keys, CancellationToken cancellationToken)
    {
        CreateKeyRequest request = Fields.Body(body);
        (var record, string key) = await keys.CreateAsync(request.Name, request.Role, cancellationToken);
        return TypedResults.Created($"/api/keys/{record.Name}", new CreatedKeyDto(record.Name, record.Role, key));
    }

    private static async Task<NoContent> RemoveKey(string name, ApiKeys keys, CancellationToken cancellationToken)
    {
        await keys.RemoveAsync(name, null, cancellationToken);
        return TypedResults.NoContent();
    }
}
