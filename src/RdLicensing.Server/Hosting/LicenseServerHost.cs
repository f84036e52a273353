using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using RdLicensing.Domain;
using RdLicensing.Server.Api;
using RdLicensing.Server.Auth;
using RdLicensing.Server.Certificates;
using RdLicensing.Server.Licensing;
using RdLicensing.Server.SessionHost.Licensing;
using RdLicensing.Server.Ui;
using RdLicensing.Storage;

namespace RdLicensing.Server;

/// <summary>
/// The license server as a host: <see cref="Build"/> composes the application (store, services, endpoints, background
/// work, the optional session-host listener); <see cref="RunAsync"/> runs it until cancelled. An in-process session host
/// resolves <see cref="LicensingService"/> from <c>app.Services</c> and gets the same decisions as the REST API.
/// </summary>
public static class LicenseServerHost
{
    /// <summary>Builds the application. The store is opened and migrated when the application starts.</summary>
    public static WebApplication Build(LicenseServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ArgumentException("the data directory is required", nameof(options));
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Clock, randomness, store.
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton<NodeIdentity>();
        builder.Services.AddSingleton<IRandomness, CryptoRandomness>();
        builder.Services.AddSingleton(_ => LicenseStores.Create(options.Store, options.DataDirectory, options.Connection));

        // Licensing: the domain engine, certificates and CAL signing, the service the API and session hosts call.
        builder.Services.AddSingleton<LicensingEngine>();
        builder.Services.AddSingleton<DeploymentCertificates>();
        builder.Services.AddSingleton<ICalSigner, ClientLicenseCalSigner>();
        builder.Services.AddSingleton<LicensingService>();
        builder.Services.AddHostedService<ServerStartup>();
        builder.Services.AddHostedService<ExpirySweeper>();

        // Authentication by API key; authorization by role; everything but /health needs a key.
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.Admin, Roles.Auditor))
            .AddPolicy(Policies.Host, p => p.RequireRole(Roles.Admin, Roles.Host))
            .AddPolicy(Policies.Any, p => p.RequireRole(Roles.All.ToArray()))
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Errors: RFC 9457 problem details naming the field; unreadable bodies reach the same mapping.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNameCaseInsensitive = true);

        // OpenAPI document at /openapi/v1.json.
        builder.Services.AddOpenApi();

        // Licensing Manager: the web UI under /ui (Ui/, docs/ui.md).
        builder.Services.AddLicensingManager();

        // The session host (--rdp): the RDP listener with the licensing decisions, asking this process's license server
        // first (and any remote servers of the host registry or options.SessionHost), after ServerStartup initialized it.
        if (options.Rdp is not null)
        {
            builder.Services.AddSessionHost(options.Rdp, options.DataDirectory, options.SessionHost, inProcess: true);
        }

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealth();
        app.MapOpenApi();
        app.MapServerApi();
        app.MapKeyPacks();
        app.MapLicenses();
        app.MapKeys();
        app.MapEvents();
        app.MapTrust();
        app.MapLicensingManager();
        return app;
    }

    /// <summary>Runs the server until <paramref name="cancellationToken"/> is cancelled; returns the process exit code.</summary>
    public static async Task<int> RunAsync(LicenseServerOptions options, CancellationToken cancellationToken)
    {
        await using WebApplication app = Build(options);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
