namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.4 Server Network Data (TS_UD_SC_NET), without its TS_UD_HEADER: the I/O channel id, the
/// ids of the client's static channels, and two bytes of padding when their count is odd.
/// </summary>
public sealed class ServerNetworkData
{
    public const string Name = "TS_UD_SC_NET";

    public ushort McsChannelId { get; init; }

    public IReadOnlyList<ushort> ChannelIds { get; init; } = [];

    public int EncodedSize =>
        2 /* MCSChannelId */
        + 2 /* channelCount */
        + 2 * ChannelIds.Count /* channelIdArray */
        + (ChannelIds.Count % 2 == 1 ? 2 : 0); /* Pad */

    public static ServerNetworkData Decode(ref WireReader reader)
    {
        ushort io = reader.ReadU16LE(Name, "MCSChannelId");
        ushort count = reader.ReadU16LE(Name, "channelCount");
        reader.Ensure(2 * count, Name, "channelIdArray");
        var ids = new ushort[count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadU16LE(Name, "channelIdArray");
        }

        if (count % 2 == 1 && !reader.IsEmpty)
        {
            reader.Skip(2, Name, "Pad");
        }

        reader.EnsureEnd(Name);
        return new ServerNetworkData { McsChannelId = io, ChannelIds = ids };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(McsChannelId);
        writer.WriteU16LE((ushort)ChannelIds.Count);
        foreach (ushort id in ChannelIds)
        {
            writer.WriteU16LE(id);
        }

        if (ChannelIds.Count % 2 == 1)
        {
            writer.WriteU16LE(0);
        }
    }
}
