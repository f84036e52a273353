namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4 the server data blocks of the GCC Conference Create Response, always written in the order
/// SC_CORE, SC_NET, SC_SECURITY (other blocks are skipped when decoding): rdesktop (sec_parse_crypt_info) reads certificate tags to the end of the stream, so
/// SC_SECURITY must be the last block.
/// </summary>
public sealed class ServerDataBlocks
{
    public const string Name = "SERVER_DATA_BLOCKS";

    public required ServerCoreData Core { get; init; }

    public required ServerNetworkData Network { get; init; }

    public required ServerSecurityData Security { get; init; }

    public int EncodedSize =>
        UserDataHeader.Size + Core.EncodedSize /* SC_CORE */
        + UserDataHeader.Size + Network.EncodedSize /* SC_NET */
        + UserDataHeader.Size + Security.EncodedSize; /* SC_SECURITY */

    public static ServerDataBlocks Decode(ref WireReader reader)
    {
        ServerCoreData? core = null;
        ServerNetworkData? network = null;
        ServerSecurityData? security = null;
        while (!reader.IsEmpty)
        {
            UserDataHeader header = UserDataHeader.Decode(ref reader);
            var body = new WireReader(reader.ReadBytes(header.Length - UserDataHeader.Size, Name, "block"));
            switch (header.Type)
            {
                case UserDataHeader.ScCore when core is null:
                    core = ServerCoreData.Decode(ref body);
                    break;
                case UserDataHeader.ScNet when network is null:
                    network = ServerNetworkData.Decode(ref body);
                    break;
                case UserDataHeader.ScSecurity when security is null:
                    security = ServerSecurityData.Decode(ref body);
                    break;
                case UserDataHeader.ScCore or UserDataHeader.ScNet or UserDataHeader.ScSecurity:
                    throw ProtocolException.InvalidField(Name, "block", $"block type 0x{header.Type:x4} appears twice");
                default:
                    // SC_MCS_MSGCHANNEL, SC_MULTITRANSPORT and later blocks are skipped by their length.
                    break;
            }
        }

        return new ServerDataBlocks
        {
            Core = core ?? throw ProtocolException.InvalidField(Name, "SC_CORE", "the server core data block is missing"),
            Network = network ?? throw ProtocolException.InvalidField(Name, "SC_NET", "the server network data block is missing"),
            Security = security ?? throw ProtocolException.InvalidField(Name, "SC_SECURITY", "the server security data block is missing"),
        };
    }

    public void Encode(ref WireWriter writer)
    {
        new UserDataHeader(UserDataHeader.ScCore, (ushort)(UserDataHeader.Size + Core.EncodedSize)).Encode(ref writer);
        Core.Encode(ref writer);
        new UserDataHeader(UserDataHeader.ScNet, (ushort)(UserDataHeader.Size + Network.EncodedSize)).Encode(ref writer);
        Network.Encode(ref writer);
        new UserDataHeader(UserDataHeader.ScSecurity, (ushort)(UserDataHeader.Size + Security.EncodedSize)).Encode(ref writer);
        Security.Encode(ref writer);
    }
}
