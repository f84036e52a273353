using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RdLicensing.Server;

/// <summary>
/// The name this node reports in /health: <see cref="LicenseServerOptions.Node"/>, else "&lt;machine&gt;:&lt;port&gt;"
/// of the first address Kestrel bound (so two nodes on one machine, or one database, tell themselves apart). The
/// deployment's identity (server id, activation) is shared through the store; this name is the node's own.
/// </summary>
public sealed class NodeIdentity
{
    private readonly LicenseServerOptions _options;
    private readonly IServer _server;
    private string? _name;

    public NodeIdentity(LicenseServerOptions options, IServer server)
    {
        _options = options;
        _server = server;
    }

    public string Name => _name ??= Resolve();

    private string Resolve()
    {
        if (!string.IsNullOrWhiteSpace(_options.Node))
        {
            return _options.Node.Trim();
        }

        string? address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? _options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return address is not null && Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri)
            ? $"{Environment.MachineName}:{uri.Port}"
            : Environment.MachineName;
    }
}
