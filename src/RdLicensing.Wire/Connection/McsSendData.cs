namespace RdLicensing.Wire.Connection;

/// <summary>
/// The shared body of the PER-encoded [T.125] 11.32 SendDataRequest and 11.33 SendDataIndication: initiator,
/// channelId, dataPriority with segmentation, and the length-prefixed userData.
/// </summary>
internal static class McsSendData
{
    public static int EncodedSize(int userDataLength) =>
        1 /* choice */
        + 2 /* initiator */
        + 2 /* channelId */
        + 1 /* dataPriority and segmentation */
        + Per.LengthSize(userDataLength) /* userData length */
        + userDataLength; /* userData */

    public static (ushort Initiator, ushort ChannelId, byte PriorityAndSegmentation, byte[] UserData) Decode(
        ref WireReader reader, DomainMcsPduType type, string structure)
    {
        DomainMcsPdu.ReadChoice(ref reader, type, structure, out _);
        ushort initiator = Per.ReadUserId(ref reader, structure, "initiator");
        ushort channelId = reader.ReadU16BE(structure, "channelId");
        byte priority = reader.ReadU8(structure, "dataPriority");
        int length = Per.ReadLength(ref reader, structure, "userData");
        byte[] userData = reader.ReadBytes(length, structure, "userData").ToArray();
        reader.EnsureEnd(structure);
        return (initiator, channelId, priority, userData);
    }

    public static void Encode(ref WireWriter writer, DomainMcsPduType type, ushort initiator, ushort channelId, byte priority, byte[] userData)
    {
        writer.WriteU8((byte)((byte)type << 2));
        Per.WriteUserId(ref writer, initiator);
        writer.WriteU16BE(channelId);
        writer.WriteU8(priority);
        Per.WriteLength(ref writer, userData.Length);
        writer.WriteBytes(userData);
    }
}
