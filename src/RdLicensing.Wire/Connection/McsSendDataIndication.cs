namespace RdLicensing.Wire.Connection;

/// <summary>
/// [T.125] 11.33 SendDataIndication (DomainMCSPDU choice 26), the server-to-client carrier of every slow-path PDU
/// ([MS-RDPBCGR] 2.2.1.12 mcsSDin, the licensing PDUs).
/// </summary>
public sealed record McsSendDataIndication(ushort Initiator, ushort ChannelId, byte[] UserData)
{
    public const string Name = "MCS_SEND_DATA_INDICATION";

    /// <summary>dataPriority high and segmentation begin|end, as Windows, rdesktop and FreeRDP write it.</summary>
    public byte PriorityAndSegmentation { get; init; } = 0x70;

    public int EncodedSize => McsSendData.EncodedSize(UserData.Length);

    public static McsSendDataIndication Decode(ref WireReader reader)
    {
        var (initiator, channelId, priority, userData) = McsSendData.Decode(ref reader, DomainMcsPduType.SendDataIndication, Name);
        return new McsSendDataIndication(initiator, channelId, userData) { PriorityAndSegmentation = priority };
    }

    public void Encode(ref WireWriter writer) =>
        McsSendData.Encode(ref writer, DomainMcsPduType.SendDataIndication, Initiator, ChannelId, PriorityAndSegmentation, UserData);
}
