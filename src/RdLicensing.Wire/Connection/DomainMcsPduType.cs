namespace RdLicensing.Wire.Connection;

/// <summary>
/// [T.125] section 7 part 10 DomainMCSPDU choice indices that the RDP connection sequence uses; the PER encoding
/// puts the index in the top six bits of the first byte ([MS-RDPBCGR] 2.2.1.5 to 2.2.1.9, 2.2.2.3).
/// </summary>
public enum DomainMcsPduType : byte
{
    ErectDomainRequest = 1,
    DisconnectProviderUltimatum = 8,
    AttachUserRequest = 10,
    AttachUserConfirm = 11,

    /// <summary>
    /// DetachUserRequest. rdesktop 1.9 sends its Disconnect Provider Ultimatum BER-encoded (mcs.c mcs_send_dpu:
    /// 30 …), which lands on this choice; either way the client is leaving.
    /// </summary>
    DetachUserRequest = 12,
    ChannelJoinRequest = 14,
    ChannelJoinConfirm = 15,
    SendDataRequest = 25,
    SendDataIndication = 26,
}

/// <summary>Reads the DomainMCSPDU choice of a PER-encoded domain PDU without consuming it.</summary>
public static class DomainMcsPdu
{
    public const string Name = "DomainMCSPDU";

    public static DomainMcsPduType PeekType(ReadOnlySpan<byte> pdu)
    {
        if (pdu.IsEmpty)
        {
            throw ProtocolException.NotEnoughBytes(Name, "choice", 1, 0);
        }

        return (DomainMcsPduType)(pdu[0] >> 2);
    }

    internal static void ReadChoice(ref WireReader reader, DomainMcsPduType expected, string structure, out byte low)
    {
        byte first = reader.ReadU8(structure, "choice");
        if ((DomainMcsPduType)(first >> 2) != expected)
        {
            throw new ProtocolException(
                DecodeErrorKind.UnexpectedMessageType, structure, "choice", $"expected domain pdu {(int)expected}, got {first >> 2}");
        }

        low = (byte)(first & 0x03);
    }
}
