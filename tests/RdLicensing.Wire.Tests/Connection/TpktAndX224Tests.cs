using RdLicensing.Wire.Connection;
using static RdLicensing.Wire.Tests.Connection.ConnectionVectors;

namespace RdLicensing.Wire.Tests.Connection;

public sealed class TpktAndX224Tests
{
    // [MS-RDPBCGR] 4.1.1 Client X.224 Connection Request PDU (cookie "mstshash=eltons", RDP_NEG_REQ for PROTOCOL_RDP).
    private const string ConnectionRequest =
        "0300002c" // TPKT: version 3, length 44
        + "27e000000000 00" // x224Crq: LI 39, CR, dst-ref 0, src-ref 0, class 0
        + "436f6f6b69653a206d737473686173683d656c746f6e730d0a" // "Cookie: mstshash=eltons\r\n"
        + "0100080000000000"; // RDP_NEG_REQ: flags 0, length 8, PROTOCOL_RDP

    // [MS-RDPBCGR] 4.1.2 Server X.224 Connection Confirm PDU with RDP_NEG_RSP selecting PROTOCOL_RDP
    // (the value of 3.3.5.3.2: source reference 0x1234).
    private const string ConnectionConfirm = "03000013" + "0ed000001234 00" + "0200080000000000";

    [Fact]
    public void Connection_request_decodes()
    {
        byte[] packet = Hex(ConnectionRequest);
        X224ConnectionRequest request = DecodeAll(TpktHeader.Unwrap(packet).ToArray(), X224ConnectionRequest.Decode);
        Assert.Equal("Cookie: mstshash=eltons", request.RoutingTokenOrCookie);
        Assert.Equal(new RdpNegotiationRequest(0, SecurityProtocols.Rdp), request.NegotiationRequest);
        Assert.Null(request.CorrelationInfo);
        Assert.Equal(packet.Length - TpktHeader.Size, request.EncodedSize);
    }

    [Fact]
    public void Connection_request_encodes() =>
        Assert.Equal(Hex(ConnectionRequest), TpktHeader.Wrap(Encode(Request().EncodedSize, Request().Encode)));

    [Fact]
    public void Connection_request_with_tls_and_correlation_info_round_trips()
    {
        var request = new X224ConnectionRequest
        {
            NegotiationRequest = new RdpNegotiationRequest(RdpNegotiationRequest.CorrelationInfoPresent, SecurityProtocols.Ssl | SecurityProtocols.Hybrid),
            CorrelationInfo = Enumerable.Range(0, 36).Select(i => (byte)i).ToArray(),
        };
        byte[] bytes = Encode(request.EncodedSize, request.Encode);
        Assert.Equal(7 + 8 + 36, bytes.Length);
        X224ConnectionRequest decoded = DecodeAll(bytes, X224ConnectionRequest.Decode);
        Assert.Null(decoded.RoutingTokenOrCookie);
        Assert.Equal(request.NegotiationRequest, decoded.NegotiationRequest);
        Assert.Equal(request.CorrelationInfo, decoded.CorrelationInfo);
    }

    [Fact]
    public void Connection_request_without_negotiation_decodes()
    {
        X224ConnectionRequest request = DecodeAll(Hex("06e000000000 00"), X224ConnectionRequest.Decode);
        Assert.Null(request.NegotiationRequest);
        Assert.Null(request.RoutingTokenOrCookie);
    }

    [Fact]
    public void Connection_confirm_encodes_decodes_and_sizes()
    {
        var confirm = new X224ConnectionConfirm { NegotiationResponse = new RdpNegotiationResponse(0, SecurityProtocols.Rdp) };
        Assert.Equal(Hex(ConnectionConfirm), TpktHeader.Wrap(Encode(confirm.EncodedSize, confirm.Encode)));
        X224ConnectionConfirm decoded = DecodeAll(TpktHeader.Unwrap(Hex(ConnectionConfirm)).ToArray(), X224ConnectionConfirm.Decode);
        Assert.Equal(X224ConnectionConfirm.ServerSourceReference, decoded.SourceReference);
        Assert.Equal(confirm.NegotiationResponse, decoded.NegotiationResponse);
        Assert.Equal(15, confirm.EncodedSize);
    }

    [Fact]
    public void Negotiation_failure_round_trips()
    {
        var confirm = new X224ConnectionConfirm { NegotiationFailure = new RdpNegotiationFailure(RdpNegotiationFailureCode.SslRequiredByServer) };
        byte[] bytes = Encode(confirm.EncodedSize, confirm.Encode);
        Assert.Equal(Hex("0ed000001234 00 0300080001000000"), bytes);
        Assert.Equal(confirm.NegotiationFailure, DecodeAll(bytes, X224ConnectionConfirm.Decode).NegotiationFailure);
    }

    [Fact]
    public void Tpkt_framing_needs_the_whole_packet()
    {
        byte[] packet = Hex(ConnectionRequest);
        Assert.False(TpktHeader.TryGetPacketLength(packet.AsSpan(0, 3), 1024, out _));
        Assert.False(TpktHeader.TryGetPacketLength(packet.AsSpan(0, 43), 1024, out _));
        Assert.True(TpktHeader.TryGetPacketLength([.. packet, 0x03], 1024, out int length));
        Assert.Equal(44, length);
        ProtocolException tooLong = Assert.Throws<ProtocolException>(() => TpktHeader.TryGetPacketLength(packet, 43, out _));
        Assert.Equal("length", tooLong.Field);
    }

    [Fact]
    public void Data_header_round_trips()
    {
        Assert.Equal(Hex("02f080"), Encode(X224DataHeader.Size, X224DataHeader.Encode));
        var reader = new WireReader(Hex("02f080"));
        X224DataHeader.Decode(ref reader);
        Assert.True(reader.IsEmpty);
    }

    [Theory]
    [InlineData("0400002c", TpktHeader.Name, "version")]
    [InlineData("03000003", TpktHeader.Name, "length")]
    [InlineData("030000", TpktHeader.Name, null)]
    public void Tpkt_failures(string hex, string structure, string? field) => AssertFails(hex, TpktHeader.Decode, structure, field);

    [Theory]
    [InlineData("07e000000000 00", X224ConnectionRequest.Name, "lengthIndicator")]
    [InlineData("06d000000000 00", X224ConnectionRequest.Name, "code")]
    [InlineData("0ae000000000 00 436f6f6b", X224ConnectionRequest.Name, "routingToken")]
    [InlineData("0ae000000000 00 41ff0d0a", X224ConnectionRequest.Name, "routingToken")]
    [InlineData("0ee000000000 00 0100090000000000", RdpNegotiationRequest.Name, "length")]
    [InlineData("0ee000000000 00 0108080000000000", X224ConnectionRequest.Name, "rdpCorrelationInfo")]
    [InlineData("0ae000000000 00 01000800", RdpNegotiationRequest.Name, null)]
    [InlineData("0fe000000000 00 0100080000000000 00", X224ConnectionRequest.Name, null)]
    [InlineData("06e0000000", X224ConnectionRequest.Name, null)]
    public void Connection_request_failures(string hex, string structure, string? field) =>
        AssertFails(hex, X224ConnectionRequest.Decode, structure, field);

    [Theory]
    [InlineData("0ed000001234 00 0400080000000000", RdpNegotiationResponse.Name, "type")]
    [InlineData("0ed000001234 00 0300070001000000", RdpNegotiationFailure.Name, "length")]
    [InlineData("07d000001234 00", X224ConnectionConfirm.Name, "lengthIndicator")]
    public void Connection_confirm_failures(string hex, string structure, string? field) =>
        AssertFails(hex, X224ConnectionConfirm.Decode, structure, field);

    [Theory]
    [InlineData("03f080", "lengthIndicator")]
    [InlineData("02e080", "code")]
    [InlineData("02f000", "eot")]
    public void Data_header_failures(string hex, string field)
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new WireReader(Hex(hex));
            X224DataHeader.Decode(ref reader);
        });
        Assert.Equal(X224DataHeader.Name, error.Structure);
        Assert.Equal(field, error.Field);
    }

    private static X224ConnectionRequest Request() => new()
    {
        RoutingTokenOrCookie = "Cookie: mstshash=eltons",
        NegotiationRequest = new RdpNegotiationRequest(0, SecurityProtocols.Rdp),
    };
}
