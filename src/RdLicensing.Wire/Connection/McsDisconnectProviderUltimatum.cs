namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.2.3 MCS Disconnect Provider Ultimatum PDU: the PER-encoded [T.125] 11.15
/// DisconnectProviderUltimatum, whose 3-bit reason straddles the first two bytes.
/// </summary>
public sealed record McsDisconnectProviderUltimatum(byte Reason)
{
    public const string Name = "MCS_DISCONNECT_PROVIDER_ULTIMATUM";

    /// <summary>[T.125] Reason rn-user-requested.</summary>
    public const byte UserRequested = 3;

    /// <summary>[T.125] Reason rn-provider-initiated.</summary>
    public const byte ProviderInitiated = 1;

    public int EncodedSize => 2; /* choice and reason */

    public static McsDisconnectProviderUltimatum Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.DisconnectProviderUltimatum, Name, out byte low);
        byte second = reader.ReadU8(Name, "reason");
        int reason = ((low & 0x03) << 1) | (second >> 7);
        if (reason > 4 || (second & 0x7F) != 0)
        {
            throw ProtocolException.InvalidField(Name, "reason", "reason is out of range or padding is not zero");
        }

        reader.EnsureEnd(Name);
        return new McsDisconnectProviderUltimatum((byte)reason);
    }

    public void Encode(ref WireWriter writer)
    {
        if (Reason > 4)
        {
            throw new InvalidOperationException($"disconnect reason {Reason} is not a t.125 reason");
        }

        writer.WriteU8((byte)(((byte)DomainMcsPduType.DisconnectProviderUltimatum << 2) | (Reason >> 1)));
        writer.WriteU8((byte)((Reason & 0x01) << 7));
    }
}
