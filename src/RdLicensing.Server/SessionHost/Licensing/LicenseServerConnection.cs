using System.Security.Cryptography.X509Certificates;
using RdLicensing.Domain;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>What a license server answered a session host's CAL request.</summary>
/// <param name="Outcome">The decision (issued, upgraded, renewed, valid, refused…).</param>
/// <param name="LicenseId">The CAL the device or user now holds, if any.</param>
/// <param name="Cal">The signed CAL bytes when the decision hands out a CAL; otherwise null.</param>
/// <param name="ExpiresOn">When that CAL expires, if any.</param>
/// <param name="EventId">The Windows event id the license server recorded with its decision, if any.</param>
/// <param name="Message">The license server's lower-case explanation, if any.</param>
public sealed record LicenseServerAnswer(
    LicenseOutcome Outcome,
    string? LicenseId,
    byte[]? Cal,
    DateTimeOffset? ExpiresOn,
    int? EventId,
    string? Message);

/// <summary>
/// One license server as a session host sees it: the in-process <see cref="Server.Licensing.LicensingService"/>
/// (<see cref="InProcessLicenseServer"/>) or a remote one over REST (<see cref="RemoteLicenseServer"/>). A server that
/// cannot be reached (down, no answer, not authorized) throws <see cref="LicenseServerUnavailableException"/>.
/// </summary>
public interface ILicenseServerConnection
{
    /// <summary>The server's name in events and logs (its URL, or "in-process").</summary>
    string Name { get; }

    /// <summary>Asks for a CAL decision (POST /api/licenses/request or the in-process service).</summary>
    Task<LicenseServerAnswer> RequestAsync(CalRequest request, CancellationToken cancellationToken);

    /// <summary>Marks a temporary CAL validated after a successful logon.</summary>
    Task ValidateAsync(string licenseId, CancellationToken cancellationToken);

    /// <summary>The certificates that sign this deployment's CALs (GET /api/trust): the deployment CA and license-server certificates.</summary>
    Task<IReadOnlyList<X509Certificate2>> TrustAsync(CancellationToken cancellationToken);
}

/// <summary>A license server could not be used: not reachable, no answer in time, or it refused this host's key.</summary>
public sealed class LicenseServerUnavailableException : Exception
{
    public LicenseServerUnavailableException(string server, string reason, int eventId, Exception? innerException = null)
        : base($"license server {server} is unavailable: {reason}", innerException)
    {
        Server = server;
        Reason = reason;
        EventId = eventId;
    }

    public LicenseServerUnavailableException()
        : this("?", "unknown", WindowsEventIds.LicenseServerUnreachable)
    {
    }

    public LicenseServerUnavailableException(string message)
        : this("?", message, WindowsEventIds.LicenseServerUnreachable)
    {
    }

    public LicenseServerUnavailableException(string message, Exception innerException)
        : this("?", message, WindowsEventIds.LicenseServerUnreachable, innerException)
    {
    }

    /// <summary>The server's name.</summary>
    public string Server { get; }

    /// <summary>Why, lower case.</summary>
    public string Reason { get; } = "";

    /// <summary>The session-host event id that describes the failure: 1131 (cannot contact) or 1043 (host not allowed).</summary>
    public int EventId { get; }
}
