namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4 gccCCrsp: the PER-encoded [T.124] ConnectData with a ConnectGCCPDU
/// conferenceCreateResponse whose user data set has the h221NonStandard key "McDn" and carries the server data
/// blocks. It is always written with the 21-byte header rdesktop skips blindly (sec_process_mcs_data) and the
/// fixed connectPDU length 0x2A that FreeRDP (gcc_write_conference_create_response) writes too.
/// </summary>
public sealed class ConferenceCreateResponse
{
    public const string Name = "GCC_CONFERENCE_CREATE_RESPONSE";

    /// <summary>The node id Windows and FreeRDP send (PER 0x760A + 1001).</summary>
    public const ushort DefaultNodeId = 0x79F3;

    /// <summary>The connectPDU length byte every server writes regardless of the real length.</summary>
    private const byte FixedConnectPduLength = 0x2A;

    public ushort NodeId { get; init; } = DefaultNodeId;

    public required ServerDataBlocks UserData { get; init; }

    public int EncodedSize =>
        7 /* t124Identifier */
        + 1 /* connectPDU length (fixed 0x2A) */
        + 1 /* conferenceCreateResponse choice */
        + 2 /* nodeID */
        + 2 /* tag */
        + 1 /* result */
        + 1 /* number of user data sets */
        + 1 /* h221NonStandard choice */
        + 1 /* key length */
        + 4 /* key "McDn" */
        + Per.LengthSize(UserData.EncodedSize) /* userData length */
        + UserData.EncodedSize; /* server data blocks */

    public static ConferenceCreateResponse Decode(ref WireReader reader)
    {
        ReadOnlySpan<byte> identifier = reader.ReadBytes(ConferenceCreateRequest.T124Identifier.Length, Name, "t124Identifier");
        if (!identifier.SequenceEqual(ConferenceCreateRequest.T124Identifier))
        {
            throw ProtocolException.InvalidField(Name, "t124Identifier", "not the t.124 object identifier {0 0 20 124 0 1}");
        }

        Per.ReadLength(ref reader, Name, "connectPDU");
        byte choice = reader.ReadU8(Name, "choice");
        if (choice != 0x14)
        {
            throw ProtocolException.InvalidField(Name, "choice", $"expected conferenceCreateResponse (0x14), got 0x{choice:x2}");
        }

        ushort nodeId = Per.ReadUserId(ref reader, Name, "nodeID");
        reader.Skip(2, Name, "tag");
        byte result = reader.ReadU8(Name, "result");
        if (result != 0)
        {
            throw ProtocolException.InvalidField(Name, "result", $"conference create failed with result {result}");
        }

        reader.Skip(3, Name, "userData set");
        if (!reader.ReadBytes(4, Name, "h221NonStandard").SequenceEqual("McDn"u8))
        {
            throw ProtocolException.InvalidField(Name, "h221NonStandard", "the server-to-client key is not \"McDn\"");
        }

        int length = Per.ReadLength(ref reader, Name, "userData");
        var blocks = new WireReader(reader.ReadBytes(length, Name, "userData"));
        ServerDataBlocks userData = ServerDataBlocks.Decode(ref blocks);
        reader.EnsureEnd(Name);
        return new ConferenceCreateResponse { NodeId = nodeId, UserData = userData };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteBytes(ConferenceCreateRequest.T124Identifier);
        writer.WriteU8(FixedConnectPduLength);
        writer.WriteU8(0x14);
        Per.WriteUserId(ref writer, NodeId);
        writer.WriteBytes([0x01, 0x01, 0x00, 0x01, 0xC0, 0x00]);
        writer.WriteBytes("McDn"u8);
        Per.WriteLength(ref writer, UserData.EncodedSize);
        UserData.Encode(ref writer);
    }
}
