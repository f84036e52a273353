using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RdLicensing.Storage;

namespace RdLicensing.Server.Auth;

/// <summary>
/// "Authorization: Bearer KEY" authentication against the stored API keys. No key or an unknown key → 401, a key of
/// the wrong role → 403; both answer with problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "ApiKey";

    private readonly ApiKeys _keys;

    public ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
        : base(options, logger, encoder)
    {
        _keys = keys;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
        {
            return AuthenticateResult.NoResult();
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || header.Length <= bearer.Length)
        {
            return AuthenticateResult.Fail("the authorization header must be 'Bearer <key>'");
        }

        ApiKeyRecord? record = await _keys.FindAsync(header[bearer.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (record is null)
        {
            return AuthenticateResult.Fail("unknown api key");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "an api key is required",
            detail: "send 'Authorization: Bearer <key>' with a key an admin created (the first admin key is in <data>/admin.token)").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "this api key's role may not do that",
            detail: $"key '{Context.User.Identity?.Name}' has role '{Context.User.FindFirstValue(ClaimTypes.Role)}'").ExecuteAsync(Context);
}

/// <summary>Authorization policies by role (docs/api.md).</summary>
public static class Policies
{
    /// <summary>Changes: admin only.</summary>
    public const string Admin = "admin";

    /// <summary>Reads: admin and auditor.</summary>
    public const string Read = "read";

    /// <summary>CAL requests, validation: admin and host.</summary>
    public const string Host = "host";

    /// <summary>Trust material: every role.</summary>
    public const string Any = "any";
}
