using System.Security.Cryptography;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.StandardSecurity;
using RdLicensing.Protocol.Connection;
using RdLicensing.Wire;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Tests.Connection;

public sealed class ConnectionAcceptorTests
{
    private static readonly RSA ServerKey = RSA.Create(512);
    private static readonly byte[] ServerRandom = Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] ClientRandom = Enumerable.Range(0x10, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] LicensingPayload = [0xff, 0x03, 0x10, 0x00, 0x07, 0, 0, 0, 0x02, 0, 0, 0, 0x04, 0, 0, 0];

    [Fact]
    public void Tls_connection_reaches_licensing()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        var client = new TestRdpClient();

        AcceptorStep confirm = acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl | SecurityProtocols.Hybrid));
        Assert.True(confirm.StartTls);
        Assert.Equal(
            [0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00],
            Assert.Single(confirm.Output));
        Assert.Equal(ConnectionSecurity.Tls, acceptor.Security);

        McsConnectResponse response = ConnectResponse(acceptor, EncryptionMethods.Bit40 | EncryptionMethods.Bit128, "rdpdr", "cliprdr", "rdpsnd");
        ServerDataBlocks blocks = response.UserData.UserData;
        Assert.Equal(EncryptionMethods.None, blocks.Security.EncryptionMethod);
        Assert.Equal(EncryptionLevel.None, blocks.Security.EncryptionLevel);
        Assert.Equal(SecurityProtocols.Ssl | SecurityProtocols.Hybrid, blocks.Core.ClientRequestedProtocols);
        Assert.Equal((ushort)1003, blocks.Network.McsChannelId);
        Assert.Equal([1004, 1005, 1006], blocks.Network.ChannelIds);

        JoinChannels(acceptor, client, 1002, 1003, 1004, 1005, 1006);
        Assert.Empty(acceptor.Step(client.ClientInfo("alice", "CORP", encrypt: false)).Output);

        Assert.Equal(ConnectionPhase.Licensing, acceptor.Phase);
        Assert.Equal(new ClientConnectionInfo("testclient", "alice", "CORP", ConnectionSecurity.Tls, SecurityProtocols.Ssl | SecurityProtocols.Hybrid, "Cookie: mstshash=alice"), acceptor.ConnectionInfo);
        Assert.False(acceptor.LicensingEncrypted);

        byte[] wrapped = acceptor.WrapLicensingPdu(LicensingPayload);
        Assert.Equal([0x03, 0x00, 0x00, 0x22, 0x02, 0xf0, 0x80, 0x68, 0x00, 0x01, 0x03, 0xeb, 0x70, 0x14, 0x80, 0x00, 0x00, 0x00, .. LicensingPayload], wrapped);
        Assert.Equal(LicensingPayload, acceptor.UnwrapClientPdu(client.Secured(SecurityFlags.LicensePacket, LicensingPayload, encrypt: false)));
        Assert.Equal([0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x20, 0x80], acceptor.Disconnect());
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
    }

    [Theory]
    [InlineData(EncryptionMethods.Bit40 | EncryptionMethods.Bit56 | EncryptionMethods.Bit128 | EncryptionMethods.Fips, EncryptionMethods.Bit128, EncryptionMethod.Bits128)]
    [InlineData(EncryptionMethods.Bit40 | EncryptionMethods.Bit56, EncryptionMethods.Bit56, EncryptionMethod.Bits56)]
    [InlineData(EncryptionMethods.Bit40, EncryptionMethods.Bit40, EncryptionMethod.Bits40)]
    public void Standard_rdp_security_connection_encrypts_client_info_and_licensing(EncryptionMethods offered, EncryptionMethods selected, EncryptionMethod method)
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: true);
        var client = new TestRdpClient();

        AcceptorStep confirm = acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        Assert.False(confirm.StartTls);
        Assert.Equal([0x02, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00], Assert.Single(confirm.Output)[11..]);
        Assert.Equal(ConnectionSecurity.StandardRdpSecurity, acceptor.Security);

        ServerSecurityData security = ConnectResponse(acceptor, offered).UserData.UserData.Security;
        Assert.Equal(selected, security.EncryptionMethod);
        Assert.Equal(EncryptionLevel.ClientCompatible, security.EncryptionLevel);
        Assert.Equal(ServerRandom, security.ServerRandom);
        RSAParameters publicKey = ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey();
        Assert.Equal(ServerKey.ExportParameters(false).Modulus, publicKey.Modulus);

        JoinChannels(acceptor, client, 1002, 1003);
        Assert.Empty(acceptor.Step(client.SecurityExchange(ClientRandom, ServerRandom, publicKey, method, SecurityFlags.ExchangePacket | SecurityFlags.LicenseEncrypt)).Output);
        Assert.Equal(ClientRandom, acceptor.ClientRandom);
        Assert.Equal(ConnectionPhase.ClientInfo, acceptor.Phase);
        Assert.Empty(acceptor.Step(client.ClientInfo("alice", "", encrypt: true)).Output);

        Assert.Equal(ConnectionPhase.Licensing, acceptor.Phase);
        Assert.Equal("alice", acceptor.ConnectionInfo.UserName);
        Assert.True(acceptor.LicensingEncrypted);
        (SecurityFlags flags, byte[] data) = client.Open(acceptor.WrapLicensingPdu(LicensingPayload));
        Assert.Equal(SecurityFlags.LicensePacket | SecurityFlags.Encrypt, flags);
        Assert.Equal(LicensingPayload, data);
        Assert.Equal(LicensingPayload, acceptor.UnwrapClientPdu(client.Secured(SecurityFlags.LicensePacket, LicensingPayload, encrypt: true)));
    }

    [Fact]
    public void Rdesktop_style_clear_licensing_under_standard_rdp_security_stays_clear()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: false, preferRdp: false);
        var client = new TestRdpClient();
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl | SecurityProtocols.Hybrid));
        ServerSecurityData security = ConnectResponse(acceptor, EncryptionMethods.Bit40 | EncryptionMethods.Bit128).UserData.UserData.Security;
        JoinChannels(acceptor, client, 1002, 1003);
        acceptor.Step(client.SecurityExchange(ClientRandom, ServerRandom, ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey(), EncryptionMethod.Bits128, SecurityFlags.ExchangePacket));
        acceptor.Step(client.ClientInfo("alice", "", encrypt: true));

        Assert.False(acceptor.LicensingEncrypted);
        (SecurityFlags flags, byte[] data) = client.Open(acceptor.WrapLicensingPdu(LicensingPayload));
        Assert.Equal(SecurityFlags.LicensePacket, flags);
        Assert.Equal(LicensingPayload, data);
        Assert.Equal(LicensingPayload, acceptor.UnwrapClientPdu(client.Secured(SecurityFlags.LicensePacket, LicensingPayload, encrypt: false)));
    }

    [Fact]
    public void Hybrid_only_client_is_refused()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        AcceptorStep step = acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Hybrid));
        Assert.Equal([0x03, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00], Assert.Single(step.Output)[11..]);
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
        Assert.Null(acceptor.Security);
    }

    [Fact]
    public void Rdp_only_client_is_refused_when_only_tls_is_offered()
    {
        var acceptor = new ConnectionAcceptor(new ConnectionAcceptorOptions { TlsAvailable = true }, FillServerRandom);
        AcceptorStep step = acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Rdp));
        Assert.Equal([0x03, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00], Assert.Single(step.Output)[11..]);
    }

    [Fact]
    public void Client_without_negotiation_gets_standard_rdp_security_and_a_bare_confirm()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        AcceptorStep step = acceptor.Step(TestRdpClient.ConnectionRequest(null));
        Assert.Equal([0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00], Assert.Single(step.Output));
        Assert.Equal(ConnectionSecurity.StandardRdpSecurity, acceptor.Security);
    }

    [Fact]
    public void A_client_offering_no_rc4_method_is_refused_under_standard_rdp_security()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: false, preferRdp: false);
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Rdp));
        ProtocolException error = Assert.Throws<ProtocolException>(() => acceptor.Step(TestRdpClient.ConnectInitial(EncryptionMethods.Fips)));
        Assert.Equal("encryptionMethods", error.Field);
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
    }

    [Fact]
    public void A_tampered_client_info_signature_is_rejected()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: false, preferRdp: false);
        var client = new TestRdpClient();
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Rdp));
        ServerSecurityData security = ConnectResponse(acceptor, EncryptionMethods.Bit128).UserData.UserData.Security;
        JoinChannels(acceptor, client, 1002, 1003);
        acceptor.Step(client.SecurityExchange(ClientRandom, ServerRandom, ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey(), EncryptionMethod.Bits128, SecurityFlags.ExchangePacket));
        byte[] packet = client.ClientInfo("alice", "", encrypt: true);
        packet[^1] ^= 0x01;
        ProtocolException error = Assert.Throws<ProtocolException>(() => acceptor.Step(packet));
        Assert.Equal("dataSignature", error.Field);
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
    }

    [Fact]
    public void Out_of_order_pdus_are_protocol_errors()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        ConnectResponse(acceptor, EncryptionMethods.Bit128);
        ProtocolException error = Assert.Throws<ProtocolException>(() => acceptor.Step(TestRdpClient.AttachUser()));
        Assert.Equal(DecodeErrorKind.UnexpectedMessageType, error.Kind);
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
        Assert.Throws<InvalidOperationException>(() => acceptor.Step(TestRdpClient.ErectDomain()));
    }

    [Fact]
    public void Joining_an_unannounced_channel_or_sending_data_before_the_io_channel_fails()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        var client = new TestRdpClient();
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        ConnectResponse(acceptor, EncryptionMethods.None, "rdpdr");
        acceptor.Step(TestRdpClient.ErectDomain());
        client.OnAttachUserConfirm(Assert.Single(acceptor.Step(TestRdpClient.AttachUser()).Output));
        Assert.Equal((ushort)1002, client.UserId);
        Assert.Equal("channelId", Assert.Throws<ProtocolException>(() => acceptor.Step(client.ChannelJoin(1005))).Field);

        acceptor = Acceptor(tls: true, preferRdp: false);
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        ConnectResponse(acceptor, EncryptionMethods.None);
        acceptor.Step(TestRdpClient.ErectDomain());
        acceptor.Step(TestRdpClient.AttachUser());
        Assert.Equal("channelId", Assert.Throws<ProtocolException>(() => acceptor.Step(client.ClientInfo("alice", "", encrypt: false))).Field);
    }

    [Fact]
    public void Framing_helpers_are_refused_before_licensing()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        Assert.Throws<InvalidOperationException>(() => acceptor.WrapLicensingPdu(LicensingPayload));
        Assert.Throws<InvalidOperationException>(() => acceptor.ConnectionInfo);
    }

    [Fact]
    public void A_disconnect_during_licensing_is_reported_as_null()
    {
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        var client = new TestRdpClient();
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        ConnectResponse(acceptor, EncryptionMethods.None);
        JoinChannels(acceptor, client, 1002, 1003);
        acceptor.Step(client.ClientInfo("alice", "", encrypt: false));
        Assert.Null(acceptor.UnwrapClientPdu([0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x21, 0x80]));
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
    }

    [Fact]
    public void Rdesktop_ber_disconnect_ends_the_sequence()
    {
        // rdesktop 1.9 mcs.c mcs_send_dpu: SEQUENCE { INTEGER reason 3, SEQUENCE {} } instead of the PER ultimatum.
        ConnectionAcceptor acceptor = Acceptor(tls: true, preferRdp: false);
        acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        ConnectResponse(acceptor, EncryptionMethods.None);
        AcceptorStep step = acceptor.Step([0x03, 0x00, 0x00, 0x0f, 0x02, 0xf0, 0x80, 0x30, 0x06, 0x02, 0x02, 0x00, 0x03, 0x30, 0x00]);
        Assert.Empty(step.Output);
        Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
    }

    internal static ConnectionAcceptor Acceptor(bool tls, bool preferRdp) =>
        new(
            new ConnectionAcceptorOptions
            {
                TlsAvailable = tls,
                PreferStandardRdpSecurity = preferRdp,
                ServerKey = new StandardSecurityServerKey(
                    ServerKey.ExportParameters(true),
                    ServerCertificate.FromProprietary(ProprietaryCertificate.Create(ServerKey.ExportParameters(false))).Encode()),
            },
            FillServerRandom);

    internal static McsConnectResponse ConnectResponse(ConnectionAcceptor acceptor, EncryptionMethods offered, params string[] channels)
    {
        AcceptorStep step = acceptor.Step(TestRdpClient.ConnectInitial(offered, channels));
        return TestRdpClient.DecodeData(Assert.Single(step.Output), McsConnectResponse.Decode);
    }

    internal static void JoinChannels(ConnectionAcceptor acceptor, TestRdpClient client, params ushort[] channels)
    {
        Assert.Empty(acceptor.Step(TestRdpClient.ErectDomain()).Output);
        AcceptorStep attach = acceptor.Step(TestRdpClient.AttachUser());
        client.OnAttachUserConfirm(Assert.Single(attach.Output));
        foreach (ushort channel in channels)
        {
            McsChannelJoinConfirm confirm = TestRdpClient.DecodeData(Assert.Single(acceptor.Step(client.ChannelJoin(channel)).Output), McsChannelJoinConfirm.Decode);
            Assert.Equal(new McsChannelJoinConfirm(0, 1002, channel, channel), confirm);
        }
    }

    private static void FillServerRandom(Span<byte> destination) => ServerRandom.CopyTo(destination);
}
