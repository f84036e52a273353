namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.7 Server MCS Attach User Confirm PDU: the PER-encoded [T.125] 11.18 AttachUserConfirm with
/// the result and the optional initiator (the new user id; its presence bit is set).
/// </summary>
public sealed record McsAttachUserConfirm(byte Result, ushort? Initiator)
{
    public const string Name = "MCS_ATTACH_USER_CONFIRM";

    public int EncodedSize =>
        1 /* choice and initiator-present bit */
        + 1 /* result */
        + (Initiator is null ? 0 : 2); /* initiator */

    public static McsAttachUserConfirm Decode(ref WireReader reader)
    {
        DomainMcsPdu.ReadChoice(ref reader, DomainMcsPduType.AttachUserConfirm, Name, out byte low);
        byte result = ReadResult(ref reader, Name);
        ushort? initiator = (low & 0x02) != 0 ? Per.ReadUserId(ref reader, Name, "initiator") : null;
        reader.EnsureEnd(Name);
        return new McsAttachUserConfirm(result, initiator);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)(((byte)DomainMcsPduType.AttachUserConfirm << 2) | (Initiator is null ? 0 : 0x02)));
        writer.WriteU8((byte)(Result << 4));
        if (Initiator is { } initiator)
        {
            Per.WriteUserId(ref writer, initiator);
        }
    }

    /// <summary>[T.125] Result is an enumeration of 16 values, PER-encoded in the top four bits of one byte.</summary>
    internal static byte ReadResult(ref WireReader reader, string structure)
    {
        byte value = reader.ReadU8(structure, "result");
        if ((value & 0x0F) != 0)
        {
            throw ProtocolException.InvalidField(structure, "result", $"0x{value:x2} is not a per-encoded result");
        }

        return (byte)(value >> 4);
    }
}
