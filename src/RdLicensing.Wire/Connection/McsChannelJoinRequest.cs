namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.8 Client MCS Channel Join Request PDU: the PER-encoded [T.125] 11.21 ChannelJoinRequest.</summary>
public sealed record McsChannelJoinRequest(ushort Initiator, ushort ChannelId)
{
    public const string Name = "MCS_CHANNEL_JOIN_REQUEST";

    public int EncodedSize =>
        1 /* choice */
        + 2 /* initiator */
        + 2; /* channelId */

    public static McsChannelJoinRequest Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.ChannelJoinRequest, Name, out _);
        var pdu = new McsChannelJoinRequest(Per.ReadUserId(ref reader, Name, "initiator"), reader.ReadU16BE(Name, "channelId"));
        reader.EnsureEnd(Name);
        return pdu;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)DomainMcsPduType.ChannelJoinRequest << 2);
        Per.WriteUserId(ref writer, Initiator);
        writer.WriteU16BE(ChannelId);
    }
}
