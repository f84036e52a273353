namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.2.2 RDP Negotiation Failure (RDP_NEG_FAILURE) failureCode values.</summary>
public enum RdpNegotiationFailureCode : uint
{
    SslRequiredByServer = 0x0000_0001,
    SslNotAllowedByServer = 0x0000_0002,
    SslCertNotOnServer = 0x0000_0003,
    InconsistentFlags = 0x0000_0004,
    HybridRequiredByServer = 0x0000_0005,
    SslWithUserAuthRequiredByServer = 0x0000_0006,
}
