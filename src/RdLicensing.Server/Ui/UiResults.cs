using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using RdLicensing.Server.Ui.Pages;

namespace RdLicensing.Server.Ui;

/// <summary>The Licensing Manager's paths.</summary>
public static class UiRoutes
{
    public const string Root = "/ui";
    public const string Overview = "/ui/";
    public const string SignIn = "/ui/signin";
    public const string SignOut = "/ui/signout";
    public const string Activate = "/ui/activate";
    public const string KeyPacks = "/ui/keypacks";
    public const string KeyPackInstall = "/ui/keypacks/install";
    public const string Licenses = "/ui/cals";
    public const string Reports = "/ui/reports";
    public const string Diagnose = "/ui/diagnose";
    public const string Assets = "/ui/assets";

    /// <summary>The remove confirmation of a key pack.</summary>
    public static string RemoveKeyPack(string keyPackId) => $"{KeyPacks}/{Uri.EscapeDataString(keyPackId)}/remove";

    /// <summary>The revoke confirmation of a CAL.</summary>
    public static string Revoke(string licenseId) => $"{Licenses}/{Uri.EscapeDataString(licenseId)}/revoke";

    /// <summary>A CSV report.</summary>
    public static string Report(string file) => $"{Reports}/{file}";

    /// <summary>A local UI path to return to after signing in, or the overview when <paramref name="returnUrl"/> is anything else.</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith(Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.StartsWith(SignIn, StringComparison.Ordinal)
            ? url
            : Overview;
}

/// <summary>Page results: Razor components rendered to HTML on the server (static SSR), and the embedded assets.</summary>
internal static class UiResults
{
    /// <summary>Renders <typeparamref name="TPage"/> with <paramref name="parameters"/> (names of its [Parameter] properties).</summary>
    public static RazorComponentResult<TPage> Page<TPage>(IReadOnlyDictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = statusCode };

    /// <summary>The 403 page: the signed-in key's role may not do this.</summary>
    public static IResult Forbidden(HttpContext context) =>
        Page<ErrorPage>(new Dictionary<string, object?>
        {
            [nameof(ErrorPage.Title)] = "Not allowed",
            [nameof(ErrorPage.Message)] = $"the key '{context.User.Identity?.Name}' has role '{context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value}', which may not do this: only admin keys change the license server",
        }, StatusCodes.Status403Forbidden);

    /// <summary>An error page with <paramref name="statusCode"/>.</summary>
    public static IResult Error(string title, string message, int statusCode) =>
        Page<ErrorPage>(new Dictionary<string, object?> { [nameof(ErrorPage.Title)] = title, [nameof(ErrorPage.Message)] = message }, statusCode);

    /// <summary>Checks the form's antiforgery token; null when valid, else the 400 page.</summary>
    public static async Task<IResult?> CheckFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return Error("Bad request", "this page expects a form", StatusCodes.Status400BadRequest);
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Error("Form expired", "the form's security token is missing or out of date: go back, reload the page and try again", StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>Serves an asset embedded from Ui/Assets.</summary>
    public static IResult Asset(string name)
    {
        string? contentType = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        Stream? stream = contentType is null ? null : typeof(UiResults).Assembly.GetManifestResourceStream("RdLicensing.Server.Ui.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }

    /// <summary>The names of the embedded assets (for tests and diagnostics).</summary>
    public static IEnumerable<string> AssetNames() =>
        typeof(UiResults).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("RdLicensing.Server.Ui.Assets.", StringComparison.Ordinal));

    /// <summary>The version stamp added to asset URLs so a new build is never served from a stale cache.</summary>
    public static string AssetVersion { get; } =
        typeof(UiResults).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[^1] is { Length: > 0 } v
            ? Uri.EscapeDataString(v[..Math.Min(12, v.Length)])
            : "1";
}
