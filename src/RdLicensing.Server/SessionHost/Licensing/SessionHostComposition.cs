using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RdLicensing.Server.Certificates;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.Licensing;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>
/// Registers the session-host role in a .NET host: the RDP listener (<see cref="SessionHostService"/>) with the
/// licensing decisions of <see cref="SessionHostLicensing"/>. In-process (<c>rdlic serve --rdp</c>) the host asks the
/// license server of the same process first and records its events in that server's store; host-only
/// (<c>--no-license-server</c>) it asks remote license servers over REST and records its events in
/// <c>DATA/session-host-events.jsonl</c>.
/// </summary>
public static class SessionHostComposition
{
    /// <summary>Parses "HOST:PORT" (an IP address; "localhost" means 127.0.0.1).</summary>
    public static IPEndPoint ParseEndPoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            value = "127.0.0.1" + value["localhost".Length..];
        }

        return IPEndPoint.TryParse(value, out IPEndPoint? endPoint) && value.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new FormatException($"the rdp end point '{text}' is not IP:PORT (e.g. 127.0.0.1:3389)");
    }

    /// <summary>Adds the listener and the licensing decisions; <paramref name="inProcess"/> needs the license server's services.</summary>
    public static IServiceCollection AddSessionHost(
        this IServiceCollection services, string rdpEndPoint, string dataDirectory, SessionHostLicensingOptions licensingOptions, bool inProcess)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(licensingOptions);
        var listenerOptions = new SessionHostOptions { EndPoint = ParseEndPoint(rdpEndPoint), DataDirectory = dataDirectory };
        services.AddSingleton(listenerOptions);
        services.AddSingleton(licensingOptions);
        services.AddSingleton(sp => new HostRegistryStore(dataDirectory, sp.GetRequiredService<TimeProvider>()));
        if (inProcess)
        {
            services.AddSingleton<IHostEventLog>(sp => new StoreHostEventLog(sp.GetRequiredService<LicensingService>().Store));
        }
        else
        {
            services.AddSingleton<IHostEventLog>(_ => new FileHostEventLog(dataDirectory));
        }

        services.AddSingleton(sp => new SessionHostLicensing(
            licensingOptions,
            sp.GetRequiredService<HostRegistryStore>(),
            inProcess
                ? new InProcessLicenseServer(sp.GetRequiredService<LicensingService>(), sp.GetRequiredService<DeploymentCertificates>(), licensingOptions.HostName)
                : null,
            address => new RemoteLicenseServer(address, licensingOptions.HostKey),
            sp.GetRequiredService<IHostEventLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SessionHostLicensing>>()));
        services.AddSingleton<ISessionHostLicensing>(sp => sp.GetRequiredService<SessionHostLicensing>());
        services.AddSingleton(sp =>
        {
            SessionHostLicensing licensing = sp.GetRequiredService<SessionHostLicensing>();
            var service = new SessionHostService(listenerOptions, licensing, sp.GetRequiredService<ILogger<SessionHostListener>>(), sp.GetRequiredService<TimeProvider>());
            service.Listener.Events += licensing.OnListenerEvent;
            return service;
        });
        services.AddHostedService(sp => sp.GetRequiredService<SessionHostService>());
        return services;
    }

    /// <summary>
    /// A host-only session host (no license server, no REST API): the listener on <paramref name="rdpEndPoint"/> asking
    /// the remote license servers of the host registry or of <see cref="SessionHostLicensingOptions.DefaultLicenseServers"/>.
    /// </summary>
    public static IHost BuildHostOnly(string rdpEndPoint, string dataDirectory, SessionHostLicensingOptions licensingOptions, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton(time);
        builder.Services.AddSessionHost(rdpEndPoint, dataDirectory, licensingOptions, inProcess: false);
        return builder.Build();
    }
}
