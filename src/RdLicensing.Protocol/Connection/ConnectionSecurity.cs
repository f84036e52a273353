namespace RdLicensing.Protocol.Connection;

/// <summary>The security the acceptor selected for a connection ([MS-RDPBCGR] 5.3 or 5.4).</summary>
public enum ConnectionSecurity
{
    /// <summary>Enhanced RDP Security with TLS as the external security protocol (PROTOCOL_SSL, 5.4.5.1).</summary>
    Tls,

    /// <summary>Standard RDP Security (PROTOCOL_RDP, 5.3): RC4 session keys from a client random sent under RSA.</summary>
    StandardRdpSecurity,
}
