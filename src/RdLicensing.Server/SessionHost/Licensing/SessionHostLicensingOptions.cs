using RdLicensing.Domain;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>How a session host licenses its clients (docs/session-host.md).</summary>
public sealed class SessionHostLicensingOptions
{
    /// <summary>The host's name, recorded with the CALs it obtains and in its events.</summary>
    public string HostName { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>
    /// The host's product version (the CAL version it needs at least). The host registry's CurrentVersion ProductName wins
    /// when present. Default: the newest known version.
    /// </summary>
    public ProductVersion HostVersion { get; set; } = ProductVersions.Latest;

    /// <summary>The licensing mode when the host registry does not configure one (event 1068 is logged once).</summary>
    public LicensingMode DefaultMode { get; set; } = LicensingMode.PerDevice;

    /// <summary>Remote license servers, in order, used when the host registry names none (<c>--license-server</c>).</summary>
    public IReadOnlyList<string> DefaultLicenseServers { get; set; } = [];

    /// <summary>The key this host presents to remote license servers (<c>--host-key</c>).</summary>
    public string? HostKey { get; set; }

    /// <summary>
    /// Mark a new temporary CAL validated as soon as the licensing exchange that issued it completed, instead of after a
    /// reported logon (<c>--validate-on-exchange</c>; off by default).
    /// </summary>
    public bool ValidateOnExchange { get; set; }

    /// <summary>The longest one license server may take to answer.</summary>
    public TimeSpan PerServerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed license server is skipped before it is probed again (doubling up to 5 minutes).</summary>
    public TimeSpan RetryBackOff { get; set; } = TimeSpan.FromSeconds(15);
}
