using System.Net;

namespace RdLicensing.Server.SessionHost;

/// <summary>Options of the session-host TCP listener (one per host).</summary>
public sealed class SessionHostOptions
{
    /// <summary>Where to listen; 127.0.0.1:3389 by default.</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 3389);

    /// <summary>Where the TLS certificate (PFX) and the Standard RDP Security key are made on first start and kept.</summary>
    public required string DataDirectory { get; set; }

    /// <summary>Offer TLS (PROTOCOL_SSL) to clients that request it.</summary>
    public bool EnableTls { get; set; } = true;

    /// <summary>Offer Standard RDP Security ([MS-RDPBCGR] 5.3).</summary>
    public bool EnableStandardRdpSecurity { get; set; } = true;

    /// <summary>Choose Standard RDP Security even when the client requests TLS.</summary>
    public bool PreferStandardRdpSecurity { get; set; }

    /// <summary>The total time one connection may take, from accept to close.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most bytes one connection may send.</summary>
    public long MaxBytesPerConnection { get; set; } = 1024 * 1024;

    /// <summary>The largest TPKT packet accepted.</summary>
    public int MaxPduSize { get; set; } = 16 * 1024;

    /// <summary>Connections served at once; more are closed on accept.</summary>
    public int MaxConnections { get; set; } = 64;
}
