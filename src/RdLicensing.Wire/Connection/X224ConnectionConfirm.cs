namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.2 Server X.224 Connection Confirm PDU, after its TPKT header: the [X.224] 13.4 Class 0
/// Connection Confirm TPDU (destination reference 0, source reference 0x1234 as 3.3.5.3.2 says) and the optional
/// RDP_NEG_RSP or RDP_NEG_FAILURE.
/// </summary>
public sealed class X224ConnectionConfirm
{
    public const string Name = "X224_CONNECTION_CONFIRM";

    /// <summary>CC CDT: the Connection Confirm TPDU code.</summary>
    public const byte Code = 0xD0;

    /// <summary>The source reference [MS-RDPBCGR] 3.3.5.3.2 tells the server to send.</summary>
    public const ushort ServerSourceReference = 0x1234;

    public const int FixedSize =
        1 /* lengthIndicator */
        + 1 /* code */
        + 2 /* dstRef */
        + 2 /* srcRef */
        + 1; /* classOption */

    public ushort SourceReference { get; init; } = ServerSourceReference;

    public RdpNegotiationResponse? NegotiationResponse { get; init; }

    public RdpNegotiationFailure? NegotiationFailure { get; init; }

    public int EncodedSize =>
        FixedSize
        + (NegotiationResponse is null && NegotiationFailure is null ? 0 : 8); /* rdpNegData */

    public static X224ConnectionConfirm Decode(ref WireReader reader)
    {
        reader.Ensure(FixedSize, Name);
        byte lengthIndicator = reader.ReadU8(Name, "lengthIndicator");
        if (lengthIndicator != reader.Remaining)
        {
            throw ProtocolException.InvalidField(Name, "lengthIndicator", $"{lengthIndicator} does not match the {reader.Remaining} bytes that follow");
        }

        byte code = reader.ReadU8(Name, "code");
        if (code != Code)
        {
            throw ProtocolException.InvalidField(Name, "code", $"expected 0xd0, got 0x{code:x2}");
        }

        reader.Skip(2, Name, "dstRef");
        ushort sourceReference = reader.ReadU16BE(Name, "srcRef");
        reader.Skip(1, Name, "classOption");
        RdpNegotiationResponse? response = null;
        RdpNegotiationFailure? failure = null;
        if (!reader.IsEmpty)
        {
            if (reader.RemainingSpan[0] == RdpNegotiationFailure.Type)
            {
                failure = RdpNegotiationFailure.Decode(ref reader);
            }
            else
            {
                response = RdpNegotiationResponse.Decode(ref reader);
            }
        }

        reader.EnsureEnd(Name);
        return new X224ConnectionConfirm { SourceReference = sourceReference, NegotiationResponse = response, NegotiationFailure = failure };
    }

    public void Encode(ref WireWriter writer)
    {
        if (NegotiationResponse is not null && NegotiationFailure is not null)
        {
            throw new InvalidOperationException("a connection confirm carries a negotiation response or a failure, not both");
        }

        writer.WriteU8((byte)(EncodedSize - 1));
        writer.WriteU8(Code);
        writer.WriteU16BE(0);
        writer.WriteU16BE(SourceReference);
        writer.WriteU8(0);
        NegotiationResponse?.Encode(ref writer);
        NegotiationFailure?.Encode(ref writer);
    }
}
