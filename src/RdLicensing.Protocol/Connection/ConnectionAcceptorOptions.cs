using System.Security.Cryptography;

namespace RdLicensing.Protocol.Connection;

/// <summary>How a <see cref="ConnectionAcceptor"/> chooses and sets up security.</summary>
public sealed class ConnectionAcceptorOptions
{
    /// <summary>The driver can run TLS (it holds a server certificate). Without it, only Standard RDP Security is offered.</summary>
    public bool TlsAvailable { get; init; }

    /// <summary>Select Standard RDP Security even when the client requests TLS (rdesktop always requests TLS).</summary>
    public bool PreferStandardRdpSecurity { get; init; }

    /// <summary>
    /// The server's RSA key for Standard RDP Security ([MS-RDPBCGR] 5.3.3) and its proprietary certificate
    /// (2.2.1.4.3.1.1) as sent in SC_SECURITY. Required whenever Standard RDP Security can be selected.
    /// </summary>
    public StandardSecurityServerKey? ServerKey { get; init; }
}

/// <summary>The server key pair for Standard RDP Security and the certificate bytes that carry its public half.</summary>
/// <param name="PrivateKey">The RSA private key (512 to 2048 bits) the client random is encrypted to (5.3.4.1).</param>
/// <param name="ServerCertificate">The SERVER_CERTIFICATE (proprietary, 2.2.1.4.3.1.1) holding the public key.</param>
public sealed record StandardSecurityServerKey(RSAParameters PrivateKey, byte[] ServerCertificate);
