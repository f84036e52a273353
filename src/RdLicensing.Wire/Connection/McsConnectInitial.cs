namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3 Client MCS Connect Initial PDU with GCC Conference Create Request: the BER-encoded
/// [T.125] Connect-Initial (application tag 101) after the X.224 Data header; its userData carries the GCC
/// Conference Create Request.
/// </summary>
public sealed class McsConnectInitial
{
    public const string Name = "MCS_CONNECT_INITIAL";

    /// <summary>[T.125] Connect-Initial is [APPLICATION 101].</summary>
    public const byte ApplicationTag = 101;

    public required byte[] CallingDomainSelector { get; init; }

    public required byte[] CalledDomainSelector { get; init; }

    public bool UpwardFlag { get; init; } = true;

    public required DomainParameters TargetParameters { get; init; }

    public required DomainParameters MinimumParameters { get; init; }

    public required DomainParameters MaximumParameters { get; init; }

    public required ConferenceCreateRequest UserData { get; init; }

    private int ContentSize =>
        OctetStringSize(CallingDomainSelector.Length) /* callingDomainSelector */
        + OctetStringSize(CalledDomainSelector.Length) /* calledDomainSelector */
        + 3 /* upwardFlag */
        + TargetParameters.EncodedSize /* targetParameters */
        + MinimumParameters.EncodedSize /* minimumParameters */
        + MaximumParameters.EncodedSize /* maximumParameters */
        + OctetStringSize(UserData.EncodedSize); /* userData */

    public int EncodedSize =>
        2 /* application tag */
        + Ber.LengthSize(ContentSize) /* length */
        + ContentSize;

    public static McsConnectInitial Decode(ref WireReader reader)
    {
        int length = Ber.ReadApplicationTag(ref reader, ApplicationTag, Name);
        var inner = new WireReader(reader.ReadBytes(length, Name, "content"));
        byte[] calling = Ber.ReadOctetString(ref inner, Name, "callingDomainSelector").ToArray();
        byte[] called = Ber.ReadOctetString(ref inner, Name, "calledDomainSelector").ToArray();
        bool upward = Ber.ReadBoolean(ref inner, Name, "upwardFlag");
        DomainParameters target = DomainParameters.Decode(ref inner);
        DomainParameters minimum = DomainParameters.Decode(ref inner);
        DomainParameters maximum = DomainParameters.Decode(ref inner);
        var userData = new WireReader(Ber.ReadOctetString(ref inner, Name, "userData"));
        ConferenceCreateRequest request = ConferenceCreateRequest.Decode(ref userData);
        inner.EnsureEnd(Name);
        return new McsConnectInitial
        {
            CallingDomainSelector = calling,
            CalledDomainSelector = called,
            UpwardFlag = upward,
            TargetParameters = target,
            MinimumParameters = minimum,
            MaximumParameters = maximum,
            UserData = request,
        };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(0x7F);
        writer.WriteU8(ApplicationTag);
        Ber.WriteLength(ref writer, ContentSize);
        Ber.WriteTagged(ref writer, Ber.TagOctetString, CallingDomainSelector);
        Ber.WriteTagged(ref writer, Ber.TagOctetString, CalledDomainSelector);
        writer.WriteU8(Ber.TagBoolean);
        writer.WriteU8(1);
        writer.WriteU8(UpwardFlag ? (byte)0xFF : (byte)0);
        TargetParameters.Encode(ref writer);
        MinimumParameters.Encode(ref writer);
        MaximumParameters.Encode(ref writer);
        writer.WriteU8(Ber.TagOctetString);
        Ber.WriteLength(ref writer, UserData.EncodedSize);
        UserData.Encode(ref writer);
    }

    private static int OctetStringSize(int length) => 1 /* tag */ + Ber.LengthSize(length) + length;
}
