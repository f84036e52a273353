using System.Text;

namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.1 Client X.224 Connection Request PDU, after its TPKT header: the [X.224] 13.3 Class 0
/// Connection Request TPDU (x224Crq), the optional routingToken or cookie line ("Cookie: mstshash=…" ended by CR LF),
/// the optional RDP_NEG_REQ and the optional 36-byte RDP_NEG_CORRELATION_INFO.
/// </summary>
public sealed class X224ConnectionRequest
{
    public const string Name = "X224_CONNECTION_REQUEST";

    /// <summary>CR CDT: the Connection Request TPDU code (upper nibble 0xE, credit 0).</summary>
    public const byte Code = 0xE0;

    /// <summary>Length of RDP_NEG_CORRELATION_INFO (2.2.1.1.2).</summary>
    public const int CorrelationInfoSize = 36;

    public const int FixedSize =
        1 /* lengthIndicator */
        + 1 /* code */
        + 2 /* dstRef */
        + 2 /* srcRef */
        + 1; /* classOption */

    public ushort SourceReference { get; init; }

    /// <summary>The routingToken or cookie line without its CR LF, or null when absent (ASCII).</summary>
    public string? RoutingTokenOrCookie { get; init; }

    public RdpNegotiationRequest? NegotiationRequest { get; init; }

    /// <summary>RDP_NEG_CORRELATION_INFO, kept verbatim (36 bytes) when present.</summary>
    public byte[]? CorrelationInfo { get; init; }

    public int EncodedSize =>
        FixedSize
        + (RoutingTokenOrCookie is null ? 0 : RoutingTokenOrCookie.Length + 2) /* routingToken or cookie + CR LF */
        + (NegotiationRequest is null ? 0 : RdpNegotiationRequest.Size) /* rdpNegReq */
        + (CorrelationInfo is null ? 0 : CorrelationInfoSize); /* rdpCorrelationInfo */

    public static X224ConnectionRequest Decode(ref WireReader reader)
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
            throw ProtocolException.InvalidField(Name, "code", $"expected 0xe0, got 0x{code:x2}");
        }

        reader.Skip(2, Name, "dstRef");
        ushort sourceReference = reader.ReadU16BE(Name, "srcRef");
        reader.Skip(1, Name, "classOption");

        string? token = null;
        if (!reader.IsEmpty && reader.RemainingSpan[0] != RdpNegotiationRequest.Type)
        {
            ReadOnlySpan<byte> rest = reader.RemainingSpan;
            int end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                throw ProtocolException.InvalidField(Name, "routingToken", "the routing token or cookie is not terminated by cr lf");
            }

            ReadOnlySpan<byte> line = reader.ReadBytes(end, Name, "routingToken");
            if (line.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
            {
                throw ProtocolException.InvalidField(Name, "routingToken", "the routing token or cookie is not printable ascii");
            }

            token = Encoding.ASCII.GetString(line);
            reader.Skip(2, Name, "routingToken");
        }

        RdpNegotiationRequest? negotiation = null;
        byte[]? correlation = null;
        if (!reader.IsEmpty)
        {
            negotiation = RdpNegotiationRequest.Decode(ref reader);
            if ((negotiation.Flags & RdpNegotiationRequest.CorrelationInfoPresent) != 0)
            {
                correlation = reader.ReadBytes(CorrelationInfoSize, Name, "rdpCorrelationInfo").ToArray();
            }
        }

        reader.EnsureEnd(Name);
        return new X224ConnectionRequest
        {
            SourceReference = sourceReference,
            RoutingTokenOrCookie = token,
            NegotiationRequest = negotiation,
            CorrelationInfo = correlation,
        };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU8((byte)(EncodedSize - 1));
        writer.WriteU8(Code);
        writer.WriteU16BE(0);
        writer.WriteU16BE(SourceReference);
        writer.WriteU8(0);
        if (RoutingTokenOrCookie is not null)
        {
            writer.WriteBytes(Encoding.ASCII.GetBytes(RoutingTokenOrCookie));
            writer.WriteBytes("\r\n"u8);
        }

        NegotiationRequest?.Encode(ref writer);
        if (CorrelationInfo is not null)
        {
            writer.WriteBytes(CorrelationInfo);
        }
    }
}
