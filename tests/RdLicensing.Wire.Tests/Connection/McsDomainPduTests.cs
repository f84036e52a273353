using RdLicensing.Wire.Connection;
using static RdLicensing.Wire.Tests.Connection.ConnectionVectors;

namespace RdLicensing.Wire.Tests.Connection;

/// <summary>
/// PER-encoded [T.125] domain PDUs. Vectors: IronRDP crates/ironrdp-testsuite-core/src/mcs.rs (the [MS-RDPBCGR]
/// 4.1.5 to 4.1.9 examples) and rdesktop 1.9 mcs.c for its own Erect Domain form.
/// </summary>
public sealed class McsDomainPduTests
{
    [Fact]
    public void Erect_domain_request_round_trips()
    {
        byte[] bytes = Hex("0401000100");
        McsErectDomainRequest pdu = DecodeAll(bytes, McsErectDomainRequest.Decode);
        Assert.Equal(new McsErectDomainRequest(0, 0), pdu);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Erect_domain_request_in_rdesktop_form_decodes() =>
        Assert.Equal(new McsErectDomainRequest(1, 1), DecodeAll(Hex("0400010001"), McsErectDomainRequest.Decode));

    [Fact]
    public void Attach_user_request_round_trips()
    {
        McsAttachUserRequest pdu = DecodeAll(Hex("28"), McsAttachUserRequest.Decode);
        Assert.Equal(Hex("28"), Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Attach_user_confirm_round_trips()
    {
        byte[] bytes = Hex("2e000006");
        McsAttachUserConfirm pdu = DecodeAll(bytes, McsAttachUserConfirm.Decode);
        Assert.Equal(new McsAttachUserConfirm(0, 1007), pdu);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
        Assert.Equal(4, pdu.EncodedSize);
    }

    [Fact]
    public void Channel_join_request_round_trips()
    {
        byte[] bytes = Hex("38000603ef");
        McsChannelJoinRequest pdu = DecodeAll(bytes, McsChannelJoinRequest.Decode);
        Assert.Equal(new McsChannelJoinRequest(1007, 1007), pdu);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Channel_join_confirm_round_trips()
    {
        byte[] bytes = Hex("3e00000603ef03ef");
        McsChannelJoinConfirm pdu = DecodeAll(bytes, McsChannelJoinConfirm.Decode);
        Assert.Equal(new McsChannelJoinConfirm(0, 1007, 1007, 1007), pdu);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Disconnect_provider_ultimatum_round_trips()
    {
        McsDisconnectProviderUltimatum pdu = DecodeAll(Hex("2180"), McsDisconnectProviderUltimatum.Decode);
        Assert.Equal(McsDisconnectProviderUltimatum.UserRequested, pdu.Reason);
        Assert.Equal(Hex("2180"), Encode(pdu.EncodedSize, pdu.Encode));
        var provider = new McsDisconnectProviderUltimatum(McsDisconnectProviderUltimatum.ProviderInitiated);
        Assert.Equal(Hex("2080"), Encode(provider.EncodedSize, provider.Encode));
    }

    [Fact]
    public void Send_data_indication_carries_the_valid_client_pdu()
    {
        // IronRDP mcs.rs SEND_DATA_INDICATION_PDU_BUFFER: initiator 1002, channel 1003, then STATUS_VALID_CLIENT.
        byte[] bytes = Hex("68000103eb7014 80000000 ff031000 07000000 02000000 04000000");
        McsSendDataIndication pdu = DecodeAll(bytes, McsSendDataIndication.Decode);
        Assert.Equal((ushort)1002, pdu.Initiator);
        Assert.Equal((ushort)1003, pdu.ChannelId);
        Assert.Equal(20, pdu.UserData.Length);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Send_data_request_with_a_two_byte_length_round_trips()
    {
        byte[] data = Enumerable.Range(0, 0x192).Select(i => (byte)i).ToArray();
        byte[] bytes = [.. Hex("64000603eb708192"), .. data];
        McsSendDataRequest pdu = DecodeAll(bytes, McsSendDataRequest.Decode);
        Assert.Equal(new McsSendDataRequest(1007, 1003, pdu.UserData), pdu);
        Assert.Equal(data, pdu.UserData);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Fact]
    public void Peek_type_reads_the_choice()
    {
        Assert.Equal(DomainMcsPduType.SendDataRequest, DomainMcsPdu.PeekType(Hex("64")));
        Assert.Equal(DomainMcsPduType.DisconnectProviderUltimatum, DomainMcsPdu.PeekType(Hex("2180")));
        Assert.Throws<ProtocolException>(() => DomainMcsPdu.PeekType([]));
    }

    [Theory]
    [InlineData("0400", McsErectDomainRequest.Name, "subHeight")]
    [InlineData("040500000000000100", McsErectDomainRequest.Name, "subHeight")]
    [InlineData("280000000000", McsErectDomainRequest.Name, "choice")]
    public void Erect_domain_failures(string hex, string structure, string field) =>
        AssertFails(hex, McsErectDomainRequest.Decode, structure, field);

    [Theory]
    [InlineData("2e01", McsAttachUserConfirm.Name, "result")]
    [InlineData("2e00ff", McsAttachUserConfirm.Name, "initiator")]
    [InlineData("2e00ffff", McsAttachUserConfirm.Name, "initiator")]
    [InlineData("2c00 00", McsAttachUserConfirm.Name, null)]
    public void Attach_user_confirm_failures(string hex, string structure, string? field) =>
        AssertFails(hex, McsAttachUserConfirm.Decode, structure, field);

    [Theory]
    [InlineData("38ffff03ef", McsChannelJoinRequest.Name, "initiator")]
    [InlineData("38000603", McsChannelJoinRequest.Name, "channelId")]
    [InlineData("3c000603ef", McsChannelJoinRequest.Name, "choice")]
    public void Channel_join_request_failures(string hex, string structure, string field) =>
        AssertFails(hex, McsChannelJoinRequest.Decode, structure, field);

    [Theory]
    [InlineData("64000603eb7005 0102", McsSendDataRequest.Name, "userData")]
    [InlineData("64000603eb70c001", McsSendDataRequest.Name, "userData")]
    [InlineData("64000603eb", McsSendDataRequest.Name, "dataPriority")]
    [InlineData("68000603eb7000", McsSendDataRequest.Name, "choice")]
    public void Send_data_request_failures(string hex, string structure, string field) =>
        AssertFails(hex, McsSendDataRequest.Decode, structure, field);

    [Theory]
    [InlineData("23 80")]
    [InlineData("21 81")]
    [InlineData("21")]
    public void Disconnect_provider_ultimatum_failures(string hex) =>
        Assert.Equal(McsDisconnectProviderUltimatum.Name, Assert.Throws<ProtocolException>(() => DecodeAll(Hex(hex), McsDisconnectProviderUltimatum.Decode)).Structure);
}
