namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.1.1 RDP Negotiation Request (RDP_NEG_REQ) requestedProtocols and 2.2.1.2.1 selectedProtocol
/// values. PROTOCOL_RDP (0) means Standard RDP Security (5.3).
/// </summary>
[Flags]
public enum SecurityProtocols : uint
{
    /// <summary>PROTOCOL_RDP: Standard RDP Security.</summary>
    Rdp = 0x0000_0000,

    /// <summary>PROTOCOL_SSL: TLS 1.0, 1.1 or 1.2.</summary>
    Ssl = 0x0000_0001,

    /// <summary>PROTOCOL_HYBRID: CredSSP (implies TLS).</summary>
    Hybrid = 0x0000_0002,

    /// <summary>PROTOCOL_RDSTLS.</summary>
    RdsTls = 0x0000_0004,

    /// <summary>PROTOCOL_HYBRID_EX: CredSSP with the Early User Authorization Result PDU.</summary>
    HybridEx = 0x0000_0008,

    /// <summary>PROTOCOL_RDSAAD.</summary>
    RdsAad = 0x0000_0010,
}
