using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using RdLicensing.Domain;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Licensing;
using RdLicensing.Server.Ui.Pages;

namespace RdLicensing.Server.Ui;

/// <summary>
/// The Licensing Manager in the browser (docs/ui.md): server-rendered pages under /ui on the API's port. Minimal-API
/// endpoints, each with the same role rule as the REST call it mirrors (reads: admin and auditor; changes: admin), render
/// Razor components to HTML; forms post back with an antiforgery token and redirect after success. No SPA, no build step.
/// </summary>
public static class LicensingManager
{
    /// <summary>Policy of the pages that read (admin, auditor), signed in through the UI cookie.</summary>
    public const string ReadPolicy = "ui-read";

    /// <summary>Policy of the pages and forms that change something (admin), signed in through the UI cookie.</summary>
    public const string AdminPolicy = "ui-admin";

    /// <summary>Largest .reg upload accepted by the diagnose page.</summary>
    internal const long MaxUploadBytes = 2 * 1024 * 1024;

    private const string SecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Registers the UI's services: component rendering, antiforgery, the cookie scheme and its policies.</summary>
    public static IServiceCollection AddLicensingManager(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rdlic-ui-csrf";
            o.Cookie.Path = UiRoutes.Root;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__csrf";
        });
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, UiAuthenticationHandler>(UiAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(UiAuthenticationHandler.SchemeName).RequireRole(Roles.Admin, Roles.Auditor))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(UiAuthenticationHandler.SchemeName).RequireRole(Roles.Admin));
        services.AddSingleton<UiData>();

        // Data protection warns once that its keys are stored unencrypted; the UI cookie is only as good as the key file's
        // permissions in any case, so keep the server's log quiet about it.
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        return services;
    }

    /// <summary>Maps the pages under /ui (and / to the overview).</summary>
    public static IEndpointRouteBuilder MapLicensingManager(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect(UiRoutes.Overview)).AllowAnonymous().ExcludeFromDescription();

        RouteGroupBuilder ui = routes.MapGroup(UiRoutes.Root).ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                IHeaderDictionary headers = context.HttpContext.Response.Headers;
                headers.ContentSecurityPolicy = SecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.CacheControl = "no-store";
                return await next(context);
            });

        ui.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return UiResults.Asset(name);
        }).AllowAnonymous();
        ui.MapGet("/signin", SignInForm).AllowAnonymous();
        ui.MapPost("/signin", SignIn).AllowAnonymous().DisableAntiforgery();
        ui.MapPost("/signout", SignOut).RequireAuthorization(ReadPolicy).DisableAntiforgery();

        ui.MapGet("/", Overview).RequireAuthorization(ReadPolicy);
        ui.MapPost("/activate", Activate).RequireAuthorization(AdminPolicy).DisableAntiforgery();
        ui.MapGet("/keypacks", KeyPacks).RequireAuthorization(ReadPolicy);
        ui.MapGet("/keypacks/install", InstallForm).RequireAuthorization(AdminPolicy);
        ui.MapPost("/keypacks/install", Install).RequireAuthorization(AdminPolicy).DisableAntiforgery();
        ui.MapGet("/keypacks/{keyPackId}/remove", RemoveForm).RequireAuthorization(AdminPolicy);
        ui.MapPost("/keypacks/{keyPackId}/remove", Remove).RequireAuthorization(AdminPolicy).DisableAntiforgery();
        ui.MapGet("/cals", Licenses).RequireAuthorization(ReadPolicy);
        ui.MapGet("/cals/{licenseId}/revoke", RevokeForm).RequireAuthorization(AdminPolicy);
        ui.MapPost("/cals/{licenseId}/revoke", Revoke).RequireAuthorization(AdminPolicy).DisableAntiforgery();
        ui.MapGet("/reports", Reports).RequireAuthorization(ReadPolicy);
        ui.MapGet("/reports/{file}", Report).RequireAuthorization(ReadPolicy);
        ui.MapGet("/diagnose", Diagnose).RequireAuthorization(ReadPolicy);
        ui.MapPost("/diagnose", DiagnoseUpload).RequireAuthorization(ReadPolicy).DisableAntiforgery();
        return routes;
    }

    // ---- sign in / out -------------------------------------------------------------------------------------------

    private static IResult SignInForm(string? returnUrl, HttpContext http, IAntiforgery antiforgery) =>
        SignInPage(http, antiforgery, UiRoutes.SafeReturn(returnUrl), null, StatusCodes.Status200OK);

    private static async Task<IResult> SignIn(HttpContext http, IAntiforgery antiforgery, ApiKeys keys, CancellationToken cancellationToken)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken);
        string returnUrl = UiRoutes.SafeReturn(form["returnUrl"]);
        string key = form["key"].ToString().Trim();
        if (key.Length == 0)
        {
            return SignInPage(http, antiforgery, returnUrl, "enter an api key: the first admin key is in <data>/admin.token on the license server", StatusCodes.Status400BadRequest);
        }

        var record = await keys.FindAsync(key, cancellationToken);
        if (record is null)
        {
            return SignInPage(http, antiforgery, returnUrl, "this key is not known to this license server (was it removed?)", StatusCodes.Status401Unauthorized);
        }

        if (record.Role is not (Roles.Admin or Roles.Auditor))
        {
            return SignInPage(http, antiforgery, returnUrl, $"key '{record.Name}' is a {record.Role} key: sign in with an admin or auditor key", StatusCodes.Status403Forbidden);
        }

        UiAuthenticationHandler.SignIn(http, key);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        UiAuthenticationHandler.SignOut(http);
        return Results.Redirect(UiRoutes.SignIn);
    }

    private static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status)
    {
        // The sign-in form is posted anonymously, so its token is made for an anonymous user.
        http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        return UiResults.Page<SignInPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.SignInPage.Tokens)] = antiforgery.GetAndStoreTokens(http),
            [nameof(Pages.SignInPage.ReturnUrl)] = returnUrl,
            [nameof(Pages.SignInPage.Error)] = error,
        }, status);
    }

    // ---- overview and activation ---------------------------------------------------------------------------------

    private static async Task<IResult> Overview(string? notice, HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken) =>
        OverviewPage(Context(http, antiforgery, "overview", Notice(notice, null)), await data.OverviewAsync(cancellationToken), null, null);

    private static IResult OverviewPage(PageContext context, OverviewModel model, ActivationForm? form, IReadOnlyDictionary<string, string>? errors, int status = StatusCodes.Status200OK) =>
        UiResults.Page<OverviewPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.OverviewPage.Context)] = context,
            [nameof(Pages.OverviewPage.Model)] = model,
            [nameof(Pages.OverviewPage.Form)] = form ?? new ActivationForm("", "", "", "", ""),
            [nameof(Pages.OverviewPage.Errors)] = errors ?? new Dictionary<string, string>(),
        }, status);

    private static async Task<IResult> Activate(HttpContext http, IAntiforgery antiforgery, UiData data, LicensingService licensing, CancellationToken cancellationToken)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        IFormCollection f = await http.Request.ReadFormAsync(cancellationToken);
        var form = new ActivationForm(f["firstName"].ToString(), f["lastName"].ToString(), f["company"].ToString(), f["country"].ToString(), f["email"].ToString());
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            Contact contact = Contact.Create(form.FirstName, form.LastName, form.Company, form.Country, string.IsNullOrWhiteSpace(form.Email) ? null : form.Email);
            await licensing.ActivateAsync(ActivationMethod.Automatic, contact, cancellationToken);
            return Results.Redirect(UiRoutes.Overview + "?notice=activated");
        }
        catch (LicensingException ex)
        {
            errors[ex.Field.Length == 0 ? "" : ex.Field] = ex.Message;
        }

        return OverviewPage(Context(http, antiforgery, "overview"), await data.OverviewAsync(cancellationToken), form, errors, StatusCodes.Status400BadRequest);
    }

    // ---- key packs -----------------------------------------------------------------------------------------------

    private static async Task<IResult> KeyPacks(string? notice, string? id, HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken) =>
        UiResults.Page<KeyPacksPage>(new Dictionary<string, object?>
        {
            [nameof(KeyPacksPage.Context)] = Context(http, antiforgery, "keypacks", Notice(notice, id)),
            [nameof(KeyPacksPage.Packs)] = await data.KeyPacksAsync(cancellationToken),
        });

    private static IResult InstallForm(HttpContext http, IAntiforgery antiforgery) =>
        WizardPage(http, antiforgery, new InstallWizard(1, null, null, null, null, null, null), new Dictionary<string, string>(), StatusCodes.Status200OK);

    private static async Task<IResult> Install(HttpContext http, IAntiforgery antiforgery, LicensingService licensing, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        IFormCollection f = await http.Request.ReadFormAsync(cancellationToken);
        var wizard = new InstallWizard(
            int.TryParse(f["step"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int step) ? Math.Clamp(step, 1, 3) : 1,
            f["program"], f["code"], f["version"], f["type"], f["quantity"], f["expires"]);
        string action = f["action"].ToString();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        IResult Show(InstallWizard w, int status = StatusCodes.Status200OK) => WizardPage(http, antiforgery, w, errors, status);

        if (action == "back")
        {
            return Show(wizard with { Step = Math.Max(1, wizard.Step - 1) });
        }

        // Every step re-checks what the earlier ones collected: the hidden fields come back from the browser.
        CodeFormat? format = CodeFormat.Find(wizard.Program);
        if (format is null)
        {
            errors["program"] = "choose the license program the CALs were bought under";
            return Show(wizard with { Step = 1 }, StatusCodes.Status400BadRequest);
        }

        if (wizard.Step == 1)
        {
            return Show(wizard with { Step = 2 });
        }

        KeyPackCode code;
        try
        {
            code = KeyPackCode.Parse(format.Program, wizard.Code);
        }
        catch (LicensingException ex)
        {
            errors["code"] = ex.Message;
            return Show(wizard with { Step = 2 }, StatusCodes.Status400BadRequest);
        }

        if (wizard.Step == 2)
        {
            return Show(wizard with { Step = 3, Code = code.Value });
        }

        ProductVersion? version = ProductVersions.TryParse(wizard.Version, out ProductVersion v) ? v : null;
        if (version is null)
        {
            errors["version"] = "choose the product version of the CALs";
        }

        CalType? type = WireNames.TryParse(wizard.Type, out CalType t) ? t : null;
        if (type is null)
        {
            errors["type"] = "choose per device or per user";
        }

        int quantity = 0;
        if (!int.TryParse(wizard.Quantity?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out quantity) || quantity is < 1 or > 1_000_000)
        {
            errors["quantity"] = $"the quantity is a whole number from 1 to 1000000, got '{wizard.Quantity?.Trim()}'";
        }

        DateTimeOffset? expires = null;
        if (!string.IsNullOrWhiteSpace(wizard.Expires))
        {
            if (DateOnly.TryParseExact(wizard.Expires.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
            {
                expires = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                if (expires <= time.GetUtcNow())
                {
                    errors["expires"] = "the expiry date must be in the future (or leave it empty: the CALs do not expire)";
                }
            }
            else
            {
                errors["expires"] = $"a date is written yyyy-mm-dd, got '{wizard.Expires.Trim()}'";
            }
        }

        if (errors.Count > 0 || version is null || type is null)
        {
            return Show(wizard with { Step = 3 }, StatusCodes.Status400BadRequest);
        }

        try
        {
            KeyPack pack = await licensing.InstallKeyPackAsync(code, version, type.Value, quantity, expires, cancellationToken);
            return Results.Redirect($"{UiRoutes.KeyPacks}?notice=installed&id={Uri.EscapeDataString(pack.KeyPackId)}");
        }
        catch (LicensingException ex)
        {
            errors[ex.Field is "version" or "type" or "quantity" or "expiresOn" or "code" ? (ex.Field == "expiresOn" ? "expires" : ex.Field) : ""] = ex.Message;
            return Show(wizard with { Step = ex.Field == "code" ? 2 : 3 }, ex.Kind == LicensingErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
    }

    private static IResult WizardPage(HttpContext http, IAntiforgery antiforgery, InstallWizard wizard, IReadOnlyDictionary<string, string> errors, int status) =>
        UiResults.Page<InstallWizardPage>(new Dictionary<string, object?>
        {
            [nameof(InstallWizardPage.Context)] = Context(http, antiforgery, "keypacks"),
            [nameof(InstallWizardPage.Wizard)] = wizard,
            [nameof(InstallWizardPage.Errors)] = errors,
        }, status);

    private static async Task<IResult> RemoveForm(string keyPackId, HttpContext http, IAntiforgery antiforgery, LicensingService licensing, CancellationToken cancellationToken) =>
        await licensing.FindKeyPackAsync(keyPackId, cancellationToken) is { } pack
            ? RemovePage(http, antiforgery, pack, null, StatusCodes.Status200OK)
            : UiResults.Error("Not found", $"no key pack '{keyPackId}'", StatusCodes.Status404NotFound);

    private static async Task<IResult> Remove(string keyPackId, HttpContext http, IAntiforgery antiforgery, LicensingService licensing, CancellationToken cancellationToken)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        try
        {
            await licensing.RemoveKeyPackAsync(keyPackId, cancellationToken);
            return Results.Redirect($"{UiRoutes.KeyPacks}?notice=removed&id={Uri.EscapeDataString(keyPackId)}");
        }
        catch (LicensingException ex) when (ex.Kind != LicensingErrorKind.NotFound)
        {
            return await licensing.FindKeyPackAsync(keyPackId, cancellationToken) is { } pack
                ? RemovePage(http, antiforgery, pack, ex.Message, StatusCodes.Status409Conflict)
                : UiResults.Error("Not found", $"no key pack '{keyPackId}'", StatusCodes.Status404NotFound);
        }
        catch (LicensingException ex)
        {
            return UiResults.Error("Not found", ex.Message, StatusCodes.Status404NotFound);
        }
    }

    private static IResult RemovePage(HttpContext http, IAntiforgery antiforgery, KeyPack pack, string? error, int status) =>
        UiResults.Page<RemoveKeyPackPage>(new Dictionary<string, object?>
        {
            [nameof(RemoveKeyPackPage.Context)] = Context(http, antiforgery, "keypacks"),
            [nameof(RemoveKeyPackPage.Pack)] = pack,
            [nameof(RemoveKeyPackPage.Error)] = error,
        }, status);

    // ---- issued CALs ---------------------------------------------------------------------------------------------

    private static async Task<IResult> Licenses(
        string? computer, string? user, string? hwid, string? status, string? type, string? version, string? search, string? page, string? notice, string? id,
        HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken)
    {
        int pageNumber = int.TryParse(page, NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : 1;
        LicensesModel model = await data.LicensesAsync(new LicenseFilter(computer, user, hwid, status, type, version, search, pageNumber), cancellationToken);
        return UiResults.Page<LicensesPage>(new Dictionary<string, object?>
        {
            [nameof(LicensesPage.Context)] = Context(http, antiforgery, "cals", Notice(notice, id)),
            [nameof(LicensesPage.Model)] = model,
        }, model.Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task<IResult> RevokeForm(string licenseId, HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken) =>
        await data.RevocationAsync(licenseId, cancellationToken) is { } found
            ? RevokePage(http, antiforgery, found.License, found.Allowance, null, StatusCodes.Status200OK)
            : UiResults.Error("Not found", $"no license '{licenseId}'", StatusCodes.Status404NotFound);

    private static async Task<IResult> Revoke(string licenseId, HttpContext http, IAntiforgery antiforgery, UiData data, LicensingService licensing, CancellationToken cancellationToken)
    {
        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        string? error;
        try
        {
            RevocationResult result = await licensing.RevokeAsync(licenseId, cancellationToken);
            if (result.Revoked)
            {
                return Results.Redirect($"{UiRoutes.Licenses}?notice=revoked&id={Uri.EscapeDataString(licenseId)}");
            }

            error = $"the 20% rule refuses: {result.Allowance.RevokedCount} of the installed {result.Allowance.InstalledCount} {result.Allowance.Version.Key} per-device CALs are already revoked (at most {result.Allowance.Limit}); the next revocation is allowed on {result.Allowance.NextRevokeAllowedOn:yyyy-MM-dd HH:mm} UTC";
        }
        catch (LicensingException ex) when (ex.Kind != LicensingErrorKind.NotFound)
        {
            error = ex.Message;
        }
        catch (LicensingException ex)
        {
            return UiResults.Error("Not found", ex.Message, StatusCodes.Status404NotFound);
        }

        return await data.RevocationAsync(licenseId, cancellationToken) is { } found
            ? RevokePage(http, antiforgery, found.License, found.Allowance, error, StatusCodes.Status409Conflict)
            : UiResults.Error("Not found", $"no license '{licenseId}'", StatusCodes.Status404NotFound);
    }

    private static IResult RevokePage(HttpContext http, IAntiforgery antiforgery, IssuedLicense license, RevocationAllowance? allowance, string? error, int status) =>
        UiResults.Page<RevokePage>(new Dictionary<string, object?>
        {
            [nameof(Pages.RevokePage.Context)] = Context(http, antiforgery, "cals"),
            [nameof(Pages.RevokePage.License)] = license,
            [nameof(Pages.RevokePage.Allowance)] = allowance,
            [nameof(Pages.RevokePage.Error)] = error,
        }, status);

    // ---- reports -------------------------------------------------------------------------------------------------

    private static async Task<IResult> Reports(HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken) =>
        UiResults.Page<ReportsPage>(new Dictionary<string, object?>
        {
            [nameof(ReportsPage.Context)] = Context(http, antiforgery, "reports"),
            [nameof(ReportsPage.Model)] = await data.ReportsAsync(cancellationToken),
        });

    private static async Task<IResult> Report(string file, UiData data, CancellationToken cancellationToken) =>
        await data.CsvAsync(file, cancellationToken) is { } stream
            ? Results.File(stream, "text/csv; charset=utf-8", file)
            : UiResults.Error("Not found", $"no report '{file}'", StatusCodes.Status404NotFound);

    // ---- diagnose ------------------------------------------------------------------------------------------------

    private static async Task<IResult> Diagnose(HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken) =>
        DiagnosePage(http, antiforgery, await data.DiagnoseAsync(RequestHosts(http), null, cancellationToken), StatusCodes.Status200OK);

    private static async Task<IResult> DiagnoseUpload(HttpContext http, IAntiforgery antiforgery, UiData data, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxUploadBytes + (64 * 1024))
        {
            DiagnoseModel tooBig = await data.DiagnoseAsync(RequestHosts(http), null, cancellationToken);
            return DiagnosePage(http, antiforgery, tooBig with { UploadError = $"the upload is larger than {MaxUploadBytes / (1024 * 1024)} MiB: export only the licensing keys" }, StatusCodes.Status413PayloadTooLarge);
        }

        if (await UiResults.CheckFormAsync(http, antiforgery) is { } bad)
        {
            return bad;
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken);
        string host = form["host"].ToString().Trim();
        string? hostError = null, uploadError = null;
        if (host.Length is 0 or > 64 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            hostError = "a host name is 1 to 64 letters, digits, '.', '-' or '_'";
        }

        var registry = new RegistryModel();
        if (form.Files.Count == 0 || form.Files.All(f => f.Length == 0))
        {
            uploadError = "choose one or more .reg files: the host's RCM, TermService and policy keys as regedit or 'rdlic registry export' writes them";
        }
        else
        {
            foreach (IFormFile file in form.Files.Where(f => f.Length > 0))
            {
                if (file.Length > MaxUploadBytes)
                {
                    uploadError = $"{file.FileName}: larger than {MaxUploadBytes / (1024 * 1024)} MiB";
                    break;
                }

                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                try
                {
                    registry.Import(RegFile.Parse(buffer.ToArray()));
                }
                catch (RegFileFormatException ex)
                {
                    uploadError = $"{file.FileName}: not a .reg file Windows writes: {ex.Reason} (line {ex.Line}, column {ex.Column})";
                    break;
                }
            }
        }

        HostDiagnosis? diagnosis = null;
        if (hostError is null && uploadError is null)
        {
            diagnosis = await data.DiagnoseAsync(host, "uploaded .reg export", HostConfiguration.Read(registry), RequestHosts(http), cancellationToken);
        }

        DiagnoseModel model = await data.DiagnoseAsync(RequestHosts(http), diagnosis, cancellationToken);
        return DiagnosePage(http, antiforgery, model with { UploadError = uploadError, HostError = hostError, UploadHost = host },
            hostError is null && uploadError is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static IResult DiagnosePage(HttpContext http, IAntiforgery antiforgery, DiagnoseModel model, int status) =>
        UiResults.Page<DiagnosePage>(new Dictionary<string, object?>
        {
            [nameof(Pages.DiagnosePage.Context)] = Context(http, antiforgery, "diagnose"),
            [nameof(Pages.DiagnosePage.Model)] = model,
        }, status);

    /// <summary>The names this server was reached by (a host configuration naming one of them names this server).</summary>
    private static string[] RequestHosts(HttpContext http) => [http.Request.Host.Host, http.Request.Host.Value ?? ""];

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static (string Name, string Role) UiUser(HttpContext http) =>
        (http.User.Identity?.Name ?? "", http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "");

    private static PageContext Context(HttpContext http, IAntiforgery antiforgery, string section, string? notice = null)
    {
        (string name, string role) = UiUser(http);
        return new PageContext(name, role, antiforgery.GetAndStoreTokens(http), section, notice);
    }

    /// <summary>The confirmation line after a redirect: chosen from a fixed set, so a link cannot make the page say anything else.</summary>
    private static string? Notice(string? notice, string? id)
    {
        string subject = string.IsNullOrWhiteSpace(id) ? "" : " " + id.Trim()[..Math.Min(64, id.Trim().Length)];
        return notice switch
        {
            "installed" => $"key pack{subject} installed",
            "removed" => $"key pack{subject} removed",
            "revoked" => $"license{subject} revoked: its CAL is back in the pool",
            "activated" => "the license server is activated",
            _ => null,
        };
    }
}

/// <summary>The activation form's fields, as typed.</summary>
public sealed record ActivationForm(string FirstName, string LastName, string Company, string Country, string Email);

/// <summary>The install wizard's state: the step shown and every field collected so far, as typed.</summary>
public sealed record InstallWizard(int Step, string? Program, string? Code, string? Version, string? Type, string? Quantity, string? Expires);
