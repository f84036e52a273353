namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.9 Server MCS Channel Join Confirm PDU: the PER-encoded [T.125] 11.22 ChannelJoinConfirm with
/// the result, initiator, requested channel id and the optional joined channel id (its presence bit is set).
/// </summary>
public sealed record McsChannelJoinConfirm(byte Result, ushort Initiator, ushort Requested, ushort? ChannelId)
{
    public const string Name = "MCS_CHANNEL_JOIN_CONFIRM";

    public int EncodedSize =>
        1 /* choice and channelId-present bit */
        + 1 /* result */
        + 2 /* initiator */
        + 2 /* requested */
        + (ChannelId is null ? 0 : 2); /* channelId */

    public static McsChannelJoinConfirm Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.ChannelJoinConfirm, Name, out byte low);
        byte result = McsAttachUserConfirm.ReadResult(ref reader, Name);
        ushort initiator = Per.ReadUserId(ref reader, Name, "initiator");
        ushort requested = reader.ReadU16BE(Name, "requested");
        ushort? channelId = (low & 0x02) != 0 ? reader.ReadU16BE(Name, "channelId") : null;
        reader.EnsureEnd(Name);
        return new McsChannelJoinConfirm(result, initiator, requested, channelId);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)(((byte)DomainMcsPduType.ChannelJoinConfirm << 2) | (ChannelId is null ? 0 : 0x02)));
        writer.WriteU8((byte)(Result << 4));
        Per.WriteUserId(ref writer, Initiator);
        writer.WriteU16BE(Requested);
        if (ChannelId is { } channelId)
        {
            writer.WriteU16BE(channelId);
        }
    }
}
