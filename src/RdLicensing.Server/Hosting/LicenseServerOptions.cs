namespace RdLicensing.Server;

/// <summary>
/// What `rdlic serve` (and tests) pass to <see cref="LicenseServerHost"/>: where the data lives, where to listen,
/// which store to use, and the clock.
/// </summary>
public sealed class LicenseServerOptions
{
    /// <summary>Directory for the SQLite database and admin.token. Created when missing.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Kestrel URLs, separated by ';'. Use port 0 for a free port (tests).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>"sqlite" (default) or "postgres" (several nodes may share one database; docs/postgres.md).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Store connection string; for SQLite defaults to &lt;data&gt;/rdlicensing.db.</summary>
    public string? Connection { get; set; }

    /// <summary>This node's name in /health; null means "&lt;machine name&gt;:&lt;port&gt;" (see <see cref="NodeIdentity"/>).</summary>
    public string? Node { get; set; }

    /// <summary>Endpoint (host:port) of the session-host RDP listener, or null to run without one.</summary>
    public string? Rdp { get; set; }

    /// <summary>How the session host of <see cref="Rdp"/> licenses its clients (mode, version, remote servers, validation).</summary>
    public SessionHost.Licensing.SessionHostLicensingOptions SessionHost { get; set; } = new();

    /// <summary>A PFX file holding the deployment CA (certificate + private key) to use instead of generating one.</summary>
    public string? CaPfx { get; set; }

    /// <summary>Password of <see cref="CaPfx"/>, if any.</summary>
    public string? CaPfxPassword { get; set; }

    /// <summary>How often expired CALs are swept back to the pool in the background (they are also swept on access).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock of the whole server (tests pass a FakeTimeProvider).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
