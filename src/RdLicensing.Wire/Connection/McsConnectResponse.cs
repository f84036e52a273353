namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4 Server MCS Connect Response PDU with GCC Conference Create Response: the BER-encoded
/// [T.125] Connect-Response (application tag 102) after the X.224 Data header. It ends exactly at the end of
/// its userData, which rdesktop checks (s_check_end in mcs.c).
/// </summary>
public sealed class McsConnectResponse
{
    public const string Name = "MCS_CONNECT_RESPONSE";

    /// <summary>[T.125] Connect-Response is [APPLICATION 102].</summary>
    public const byte ApplicationTag = 102;

    /// <summary>[T.125] Result rt-successful.</summary>
    public byte Result { get; init; }

    public uint CalledConnectId { get; init; }

    public required DomainParameters DomainParameters { get; init; }

    public required ConferenceCreateResponse UserData { get; init; }

    private int ContentSize =>
        3 /* result */
        + Ber.IntegerSize(CalledConnectId) /* calledConnectId */
        + DomainParameters.EncodedSize /* domainParameters */
        + 1 + Ber.LengthSize(UserData.EncodedSize) + UserData.EncodedSize; /* userData */

    public int EncodedSize =>
        2 /* application tag */
        + Ber.LengthSize(ContentSize) /* length */
        + ContentSize;

    public static McsConnectResponse Decode(ref WireReader reader)
    {
        int length = Ber.ReadApplicationTag(ref reader, ApplicationTag, Name);
        var inner = new WireReader(reader.ReadBytes(length, Name, "content"));
        byte result = Ber.ReadEnumerated(ref inner, Name, "result");
        uint connectId = Ber.ReadInteger(ref inner, Name, "calledConnectId");
        DomainParameters parameters = DomainParameters.Decode(ref inner);
        var userData = new WireReader(Ber.ReadOctetString(ref inner, Name, "userData"));
        ConferenceCreateResponse response = ConferenceCreateResponse.Decode(ref userData);
        inner.EnsureEnd(Name);
        return new McsConnectResponse { Result = result, CalledConnectId = connectId, DomainParameters = parameters, UserData = response };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8(0x7F);
        writer.WriteU8(ApplicationTag);
        Ber.WriteLength(ref writer, ContentSize);
        writer.WriteU8(Ber.TagEnumerated);
        writer.WriteU8(1);
        writer.WriteU8(Result);
        Ber.WriteInteger(ref writer, CalledConnectId);
        DomainParameters.Encode(ref writer);
        writer.WriteU8(Ber.TagOctetString);
        Ber.WriteLength(ref writer, UserData.EncodedSize);
        UserData.Encode(ref writer);
    }
}
