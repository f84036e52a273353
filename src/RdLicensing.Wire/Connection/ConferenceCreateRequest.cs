namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3 gccCCrq: the PER-encoded [T.124] ConnectData with a ConnectGCCPDU
/// conferenceCreateRequest whose single user data set has the h221NonStandard key "Duca" and carries the client
/// data blocks.
/// </summary>
public sealed class ConferenceCreateRequest
{
    public const string Name = "GCC_CONFERENCE_CREATE_REQUEST";

    /// <summary>ConnectData: choice object, the T.124 object identifier {0 0 20 124 0 1} (length 5).</summary>
    internal static ReadOnlySpan<byte> T124Identifier => [0x00, 0x05, 0x00, 0x14, 0x7C, 0x00, 0x01];

    /// <summary>
    /// ConnectGCCPDU conferenceCreateRequest: choice, selection (userData present), conferenceName "1",
    /// padding/flags, one user data set, h221NonStandard choice, key length, key "Duca".
    /// </summary>
    private static ReadOnlySpan<byte> CreateRequestPrefix => [0x00, 0x08, 0x00, 0x10, 0x00, 0x01, 0xC0, 0x00, 0x44, 0x75, 0x63, 0x61];

    public required ClientDataBlocks UserData { get; init; }

    private int ConnectPduLength => CreateRequestPrefix.Length + UserData.EncodedSize;

    public int EncodedSize =>
        7 /* t124Identifier */
        + Per.LengthSize(ConnectPduLength) /* connectPDU length */
        + 12 /* conferenceCreateRequest up to the h221 key */
        + Per.LengthSize(UserData.EncodedSize) /* userData length */
        + UserData.EncodedSize; /* client data blocks */

    public static ConferenceCreateRequest Decode(ref WireReader reader)
    {
        ReadOnlySpan<byte> identifier = reader.ReadBytes(T124Identifier.Length, Name, "t124Identifier");
        if (!identifier.SequenceEqual(T124Identifier))
        {
            throw ProtocolException.InvalidField(Name, "t124Identifier", "not the t.124 object identifier {0 0 20 124 0 1}");
        }

        // The connectPDU length differs between clients (rdesktop counts 2 bytes more than Windows); it is not used.
        Per.ReadLength(ref reader, Name, "connectPDU");
        ReadOnlySpan<byte> prefix = reader.ReadBytes(CreateRequestPrefix.Length, Name, "conferenceCreateRequest");
        if (!prefix[^4..].SequenceEqual("Duca"u8))
        {
            throw ProtocolException.InvalidField(Name, "h221NonStandard", "the client-to-server key is not \"Duca\"");
        }

        int length = Per.ReadLength(ref reader, Name, "userData");
        var blocks = new WireReader(reader.ReadBytes(length, Name, "userData"));
        ClientDataBlocks userData = ClientDataBlocks.Decode(ref blocks);
        reader.EnsureEnd(Name);
        return new ConferenceCreateRequest { UserData = userData };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteBytes(T124Identifier);
        Per.WriteLength(ref writer, ConnectPduLength);
        writer.WriteBytes(CreateRequestPrefix);
        Per.WriteLength(ref writer, UserData.EncodedSize);
        UserData.Encode(ref writer);
    }
}
