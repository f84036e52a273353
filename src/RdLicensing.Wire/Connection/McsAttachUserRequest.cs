namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.6 Client MCS Attach User Request PDU: the PER-encoded [T.125] 11.17 AttachUserRequest (no fields).</summary>
public sealed record McsAttachUserRequest
{
    public const string Name = "MCS_ATTACH_USER_REQUEST";

    public int EncodedSize => 1; /* choice */

    public static McsAttachUserRequest Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.AttachUserRequest, Name, out _);
        reader.EnsureEnd(Name);
        return new McsAttachUserRequest();
    }

    public void Encode(ref WireWriter writer) => writer.WriteU8((byte)DomainMcsPduType.AttachUserRequest << 2);
}
