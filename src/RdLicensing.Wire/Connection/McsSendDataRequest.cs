namespace RdLicensing.Wire.Connection;

/// <summary>
/// [T.125] 11.32 SendDataRequest (DomainMCSPDU choice 25), the client-to-server carrier of every slow-path PDU
/// after the channel joins ([MS-RDPBCGR] 2.2.1.10 mcsSDrq, 2.2.1.11 and the licensing PDUs).
/// </summary>
public sealed record McsSendDataRequest(ushort Initiator, ushort ChannelId, byte[] UserData)
{
    public const string Name = "MCS_SEND_DATA_REQUEST";

    /// <summary>dataPriority high and segmentation begin|end, as Windows, rdesktop and FreeRDP write it.</summary>
    public byte PriorityAndSegmentation { get; init; } = 0x70;

    public int EncodedSize => McsSendData.EncodedSize(UserData.Length);

    public static McsSendDataRequest Decode(ref WireReader reader)
    {
        var (initiator, channelId, priority, userData) = McsSendData.Decode(ref reader, DomainMcsPduType.SendDataRequest, Name);
        return new McsSendDataRequest(initiator, channelId, userData) { PriorityAndSegmentation = priority };
    }

    public void Encode(ref WireWriter writer) =>
        McsSendData.Encode(ref writer, DomainMcsPduType.SendDataRequest, Initiator, ChannelId, PriorityAndSegmentation, UserData);
}
