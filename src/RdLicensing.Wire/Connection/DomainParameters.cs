namespace RdLicensing.Wire.Connection;

/// <summary>
/// [T.125] section 7 part 2 DomainParameters, BER-encoded in the MCS Connect Initial and Connect Response
/// ([MS-RDPBCGR] 2.2.1.3, 2.2.1.4).
/// </summary>
public sealed record DomainParameters(
    uint MaxChannelIds,
    uint MaxUserIds,
    uint MaxTokenIds,
    uint NumPriorities,
    uint MinThroughput,
    uint MaxHeight,
    uint MaxMcsPduSize,
    uint ProtocolVersion)
{
    public const string Name = "DomainParameters";

    public int ContentSize =>
        Ber.IntegerSize(MaxChannelIds) /* maxChannelIds */
        + Ber.IntegerSize(MaxUserIds) /* maxUserIds */
        + Ber.IntegerSize(MaxTokenIds) /* maxTokenIds */
        + Ber.IntegerSize(NumPriorities) /* numPriorities */
        + Ber.IntegerSize(MinThroughput) /* minThroughput */
        + Ber.IntegerSize(MaxHeight) /* maxHeight */
        + Ber.IntegerSize(MaxMcsPduSize) /* maxMCSPDUsize */
        + Ber.IntegerSize(ProtocolVersion); /* protocolVersion */

    public int EncodedSize =>
        1 /* SEQUENCE tag */
        + Ber.LengthSize(ContentSize) /* length */
        + ContentSize;

    public static DomainParameters Decode(ref WireReader reader)
    {
        int length = Ber.ReadTag(ref reader, Ber.TagSequence, Name, "sequence");
        var inner = new WireReader(reader.ReadBytes(length, Name, "sequence"));
        var parameters = new DomainParameters(
            Ber.ReadInteger(ref inner, Name, "maxChannelIds"),
            Ber.ReadInteger(ref inner, Name, "maxUserIds"),
            Ber.ReadInteger(ref inner, Name, "maxTokenIds"),
            Ber.ReadInteger(ref inner, Name, "numPriorities"),
            Ber.ReadInteger(ref inner, Name, "minThroughput"),
            Ber.ReadInteger(ref inner, Name, "maxHeight"),
            Ber.ReadInteger(ref inner, Name, "maxMCSPDUsize"),
            Ber.ReadInteger(ref inner, Name, "protocolVersion"));
        inner.EnsureEnd(Name);
        return parameters;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(Ber.TagSequence);
        Ber.WriteLength(ref writer, ContentSize);
        Ber.WriteInteger(ref writer, MaxChannelIds);
        Ber.WriteInteger(ref writer, MaxUserIds);
        Ber.WriteInteger(ref writer, MaxTokenIds);
        Ber.WriteInteger(ref writer, NumPriorities);
        Ber.WriteInteger(ref writer, MinThroughput);
        Ber.WriteInteger(ref writer, MaxHeight);
        Ber.WriteInteger(ref writer, MaxMcsPduSize);
        Ber.WriteInteger(ref writer, ProtocolVersion);
    }
}
