namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.3.4 Client Network Data (TS_UD_CS_NET), without its TS_UD_HEADER.</summary>
public sealed class ClientNetworkData
{
    public const string Name = "TS_UD_CS_NET";

    /// <summary>2.2.1.3.4: channelCount MUST be at most 31.</summary>
    public const int MaxChannels = 31;

    public IReadOnlyList<ChannelDefinition> Channels { get; init; } = [];

    public int EncodedSize =>
        4 /* channelCount */
        + Channels.Count * ChannelDefinition.Size; /* channelDefArray */

    public static ClientNetworkData Decode(ref WireReader reader)
    {
        uint count = reader.ReadU32LE(Name, "channelCount");
        if (count > MaxChannels)
        {
            throw ProtocolException.InvalidField(Name, "channelCount", $"{count} channels exceed the limit of {MaxChannels}");
        }

        reader.Ensure((int)count * ChannelDefinition.Size, Name, "channelDefArray");
        var channels = new ChannelDefinition[count];
        for (int i = 0; i < channels.Length; i++)
        {
            channels[i] = ChannelDefinition.Decode(ref reader);
        }

        reader.EnsureEnd(Name);
        return new ClientNetworkData { Channels = channels };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE((uint)Channels.Count);
        foreach (ChannelDefinition channel in Channels)
        {
            channel.Encode(ref writer);
        }
    }
}
