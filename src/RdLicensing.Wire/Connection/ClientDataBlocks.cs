namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3 the client data blocks of the GCC Conference Create Request: each a TS_UD_HEADER and a
/// body. CS_CORE is required; CS_SECURITY, CS_NET and CS_CLUSTER are decoded; any other block (monitor, message
/// channel, multitransport…) is kept verbatim, skipped by its length.
/// </summary>
public sealed class ClientDataBlocks
{
    public const string Name = "CLIENT_DATA_BLOCKS";

    public required ClientCoreData Core { get; init; }

    public ClientSecurityData? Security { get; init; }

    public ClientNetworkData? Network { get; init; }

    public ClientClusterData? Cluster { get; init; }

    /// <summary>Blocks this server does not interpret, as (type, body) in arrival order.</summary>
    public IReadOnlyList<KeyValuePair<ushort, byte[]>> OtherBlocks { get; init; } = [];

    public int EncodedSize =>
        UserDataHeader.Size + Core.EncodedSize /* CS_CORE */
        + (Security is null ? 0 : UserDataHeader.Size + Security.EncodedSize) /* CS_SECURITY */
        + (Network is null ? 0 : UserDataHeader.Size + Network.EncodedSize) /* CS_NET */
        + (Cluster is null ? 0 : UserDataHeader.Size + Cluster.EncodedSize) /* CS_CLUSTER */
        + OtherBlocks.Sum(b => UserDataHeader.Size + b.Value.Length); /* other blocks */

    public static ClientDataBlocks Decode(ref WireReader reader)
    {
        ClientCoreData? core = null;
        ClientSecurityData? security = null;
        ClientNetworkData? network = null;
        ClientClusterData? cluster = null;
        var others = new List<KeyValuePair<ushort, byte[]>>();
        while (!reader.IsEmpty)
        {
            UserDataHeader header = UserDataHeader.Decode(ref reader);
            var body = new WireReader(reader.ReadBytes(header.Length - UserDataHeader.Size, Name, "block"));
            switch (header.Type)
            {
                case UserDataHeader.CsCore:
                    core = core is null ? ClientCoreData.Decode(ref body) : throw Duplicate("CS_CORE");
                    break;
                case UserDataHeader.CsSecurity:
                    security = security is null ? ClientSecurityData.Decode(ref body) : throw Duplicate("CS_SECURITY");
                    break;
                case UserDataHeader.CsNet:
                    network = network is null ? ClientNetworkData.Decode(ref body) : throw Duplicate("CS_NET");
                    break;
                case UserDataHeader.CsCluster:
                    cluster = cluster is null ? ClientClusterData.Decode(ref body) : throw Duplicate("CS_CLUSTER");
                    break;
                default:
                    if (others.Count >= 32)
                    {
                        throw ProtocolException.InvalidField(Name, "block", "more than 32 unknown data blocks");
                    }

                    others.Add(new(header.Type, body.RemainingSpan.ToArray()));
                    break;
            }
        }

        if (core is null)
        {
            throw ProtocolException.InvalidField(Name, "CS_CORE", "the required client core data block is missing");
        }

        return new ClientDataBlocks { Core = core, Security = security, Network = network, Cluster = cluster, OtherBlocks = others };
    }

    public void Encode(ref WireWriter writer)
    {
        new UserDataHeader(UserDataHeader.CsCore, (ushort)(UserDataHeader.Size + Core.EncodedSize)).Encode(ref writer);
        Core.Encode(ref writer);
        if (Security is not null)
        {
            new UserDataHeader(UserDataHeader.CsSecurity, (ushort)(UserDataHeader.Size + Security.EncodedSize)).Encode(ref writer);
            Security.Encode(ref writer);
        }

        if (Network is not null)
        {
            new UserDataHeader(UserDataHeader.CsNet, (ushort)(UserDataHeader.Size + Network.EncodedSize)).Encode(ref writer);
            Network.Encode(ref writer);
        }

        if (Cluster is not null)
        {
            new UserDataHeader(UserDataHeader.CsCluster, (ushort)(UserDataHeader.Size + Cluster.EncodedSize)).Encode(ref writer);
            Cluster.Encode(ref writer);
        }

        foreach (KeyValuePair<ushort, byte[]> block in OtherBlocks)
        {
            new UserDataHeader(block.Key, (ushort)(UserDataHeader.Size + block.Value.Length)).Encode(ref writer);
            writer.WriteBytes(block.Value);
        }
    }

    private static ProtocolException Duplicate(string block) =>
        ProtocolException.InvalidField(Name, block, "the block appears twice");
}
