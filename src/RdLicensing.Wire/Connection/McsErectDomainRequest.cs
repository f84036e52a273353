namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.5 Client MCS Erect Domain Request PDU: the PER-encoded [T.125] 11.12 ErectDomainRequest
/// (subHeight and subInterval as unconstrained integers).
/// </summary>
public sealed record McsErectDomainRequest(uint SubHeight, uint SubInterval)
{
    public const string Name = "MCS_ERECT_DOMAIN_REQUEST";

    public int EncodedSize =>
        1 /* choice */
        + Per.IntegerSize(SubHeight) /* subHeight */
        + Per.IntegerSize(SubInterval); /* subInterval */

    public static McsErectDomainRequest Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.ErectDomainRequest, Name, out _);
        if (reader.Remaining == 4 && reader.RemainingSpan[0] == 0)
        {
            // rdesktop writes both integers as bare 16-bit big-endian values (mcs.c mcs_send_edrq: 04 00 01 00 01);
            // a PER integer never has a zero length byte, so the two forms cannot be confused.
            return new McsErectDomainRequest(reader.ReadU16BE(Name, "subHeight"), reader.ReadU16BE(Name, "subInterval"));
        }

        var pdu = new McsErectDomainRequest(Per.ReadInteger(ref reader, Name, "subHeight"), Per.ReadInteger(ref reader, Name, "subInterval"));
        reader.EnsureEnd(Name);
        return pdu;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)DomainMcsPduType.ErectDomainRequest << 2);
        Per.WriteInteger(ref writer, SubHeight);
        Per.WriteInteger(ref writer, SubInterval);
    }
}
