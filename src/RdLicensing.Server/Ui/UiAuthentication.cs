using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using RdLicensing.Server.Auth;
using RdLicensing.Storage;

namespace RdLicensing.Server.Ui;

/// <summary>
/// Authentication of the Licensing Manager: the API key an admin or auditor signed in with, kept (data-protected) in an
/// HttpOnly, SameSite=Strict cookie and checked against the stored keys on every request, so removing a key signs its
/// browser sessions out at once. No cookie → a redirect to the sign-in page; a role that may not → the 403 page.
/// </summary>
public sealed class UiAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    /// <summary>The scheme name the UI endpoints require.</summary>
    public const string SchemeName = "LicensingManager";

    /// <summary>The cookie that carries the protected key.</summary>
    public const string CookieName = "rdlic-ui";

    private const string ProtectorPurpose = "RdLicensing.Server.Ui.ApiKeyCookie.v1";

    private readonly ApiKeys _keys;
    private readonly IDataProtector _protector;

    public UiAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys, IDataProtectionProvider protection)
        : base(options, logger, encoder)
    {
        _keys = keys;
        _protector = protection.CreateProtector(ProtectorPurpose);
    }

    /// <summary>Writes the sign-in cookie for <paramref name="key"/> (a session cookie, limited to the UI's paths).</summary>
    public static void SignIn(HttpContext context, string key)
    {
        IDataProtector protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectorPurpose);
        context.Response.Cookies.Append(CookieName, protector.Protect(key), CookieOptions(context));
    }

    /// <summary>Deletes the sign-in cookie.</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, CookieOptions(context));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out string? protectedKey) || string.IsNullOrEmpty(protectedKey))
        {
            return AuthenticateResult.NoResult();
        }

        string key;
        try
        {
            key = _protector.Unprotect(protectedKey);
        }
        catch (CryptographicException)
        {
            return AuthenticateResult.Fail("the sign-in cookie is not valid any more");
        }

        ApiKeyRecord? record = await _keys.FindAsync(key, Context.RequestAborted).ConfigureAwait(false);
        if (record is null)
        {
            return AuthenticateResult.Fail("the key of this session was removed");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        string returnUrl = Request.PathBase + Request.Path + Request.QueryString;
        Response.Redirect(UiRoutes.SignIn + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        UiResults.Forbidden(Context).ExecuteAsync(Context);

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = UiRoutes.Root,
        IsEssential = true,
    };
}
