using RdLicensing.Wire.Connection;
using static RdLicensing.Wire.Tests.Connection.ConnectionVectors;

namespace RdLicensing.Wire.Tests.Connection;

public sealed class McsConnectTests
{
    private static readonly byte[] ConnectInitial = Load("mcs-connect-initial.hex");
    private static readonly byte[] ConnectResponse = Load("mcs-connect-response.hex");

    [Fact]
    public void Connect_initial_decodes()
    {
        McsConnectInitial initial = DecodeAll(ConnectInitial, McsConnectInitial.Decode);
        Assert.Equal([0x01], initial.CallingDomainSelector);
        Assert.True(initial.UpwardFlag);
        Assert.Equal(new DomainParameters(34, 2, 0, 1, 0, 1, 65535, 2), initial.TargetParameters);
        Assert.Equal(new DomainParameters(1, 1, 1, 1, 0, 1, 1056, 2), initial.MinimumParameters);
        Assert.Equal(new DomainParameters(65535, 64535, 65535, 1, 0, 1, 65535, 2), initial.MaximumParameters);
        ClientDataBlocks blocks = initial.UserData.UserData;
        Assert.Equal("ELTONS-DEV2", blocks.Core.ClientName);
        Assert.Equal(0x00080004u, blocks.Core.Version);
        Assert.Equal((ushort)1280, blocks.Core.DesktopWidth);
        Assert.Equal(SecurityProtocols.Rdp, blocks.Core.ServerSelectedProtocol);
        Assert.Equal("69712-783-0357974-42714", blocks.Core.ClientDigProductId);
        Assert.Null(blocks.Core.DesktopPhysicalWidth);
        Assert.Equal(EncryptionMethods.Bit40 | EncryptionMethods.Bit56 | EncryptionMethods.Bit128 | EncryptionMethods.Fips, blocks.Security!.EncryptionMethods);
        Assert.Equal(["rdpdr", "cliprdr", "rdpsnd"], blocks.Network!.Channels.Select(c => c.ChannelName));
        Assert.Equal(new ClientClusterData(0x0d, 0), blocks.Cluster);
    }

    [Fact]
    public void Connect_initial_encodes_to_the_same_bytes()
    {
        McsConnectInitial initial = DecodeAll(ConnectInitial, McsConnectInitial.Decode);
        Assert.Equal(ConnectInitial.Length, initial.EncodedSize);
        Assert.Equal(ConnectInitial, Encode(initial.EncodedSize, initial.Encode));
    }

    [Fact]
    public void Connect_response_decodes()
    {
        McsConnectResponse response = DecodeAll(ConnectResponse, McsConnectResponse.Decode);
        Assert.Equal(0, response.Result);
        Assert.Equal(new DomainParameters(34, 3, 0, 1, 0, 1, 65528, 2), response.DomainParameters);
        Assert.Equal((ushort)0x79F3, response.UserData.NodeId);
        ServerDataBlocks blocks = response.UserData.UserData;
        Assert.Equal(new ServerCoreData(0x00080004, SecurityProtocols.Rdp), blocks.Core);
        Assert.Equal((ushort)1003, blocks.Network.McsChannelId);
        Assert.Equal([1004, 1005, 1006], blocks.Network.ChannelIds);
        Assert.Equal(EncryptionMethods.Bit128, blocks.Security.EncryptionMethod);
        Assert.Equal(EncryptionLevel.ClientCompatible, blocks.Security.EncryptionLevel);
        Assert.Equal(32, blocks.Security.ServerRandom!.Length);
        Assert.Equal(184, blocks.Security.ServerCertificate!.Length);
    }

    [Fact]
    public void Connect_response_encodes_with_the_header_rdesktop_skips_and_ends_at_the_user_data()
    {
        McsConnectResponse response = DecodeAll(ConnectResponse, McsConnectResponse.Decode);
        byte[] bytes = Encode(response.EncodedSize, response.Encode);

        // The same response, but with the fixed connectPDU length 0x2A instead of the 2-byte 0x8116: one byte shorter.
        Assert.Equal(ConnectResponse.Length - 1, bytes.Length);
        int gcc = 43;
        Assert.Equal(Hex("000500147c00012a14760a010100 01c0004d63446e 8108"), bytes.AsSpan(gcc, 23).ToArray());
        Assert.Equal(ConnectResponse.AsSpan(43 + 24).ToArray(), bytes.AsSpan(gcc + 23).ToArray());
        McsConnectResponse decoded = DecodeAll(bytes, McsConnectResponse.Decode);
        Assert.Equal(response.UserData.UserData.Security.ServerCertificate, decoded.UserData.UserData.Security.ServerCertificate);
    }

    [Fact]
    public void Domain_parameters_accept_rdesktop_unsigned_integers()
    {
        // rdesktop 1.9 mcs.c writes 65535 as 02 02 ff ff; every RDP peer reads MCS integers as unsigned.
        DomainParameters parameters = DecodeAll(Hex("3019 020122 020102 020100 020101 020100 020101 0202ffff 020102"), DomainParameters.Decode);
        Assert.Equal(65535u, parameters.MaxMcsPduSize);
        Assert.Equal(Hex("301a 020122 020102 020100 020101 020100 020101 020300ffff 020102"), Encode(parameters.EncodedSize, parameters.Encode));
    }

    [Fact]
    public void Server_blocks_put_security_last()
    {
        var blocks = new ServerDataBlocks
        {
            Core = new ServerCoreData(ServerCoreData.Rdp5Version, SecurityProtocols.Ssl),
            Network = new ServerNetworkData { McsChannelId = 1003, ChannelIds = [1004] },
            Security = new ServerSecurityData(),
        };
        byte[] bytes = Encode(blocks.EncodedSize, blocks.Encode);
        Assert.Equal(Hex("010c0c00 04000800 01000000 030c0c00 eb03 0100 ec03 0000 020c0c00 00000000 00000000"), bytes);
    }

    [Theory]
    [InlineData("7f6501", McsConnectInitial.Name, "content")]
    [InlineData("7f6400", McsConnectInitial.Name, "tag")]
    [InlineData("7f658301000000", McsConnectInitial.Name, "length")]
    [InlineData("7f6503 040201", McsConnectInitial.Name, "callingDomainSelector")]
    [InlineData("7f650c 040101 040101 010101 020101", DomainParameters.Name, "sequence")]
    [InlineData("7f650a 040101 040101 01020101", McsConnectInitial.Name, "upwardFlag")]
    public void Connect_initial_failures(string hex, string structure, string? field) =>
        AssertFails(hex, McsConnectInitial.Decode, structure, field);

    [Theory]
    [InlineData("30 03 020101", DomainParameters.Name, "maxUserIds")]
    [InlineData("30 08 0206 010203040506", DomainParameters.Name, "maxChannelIds")]
    [InlineData("30 07 0205 0100000000", DomainParameters.Name, "maxChannelIds")]
    [InlineData("30 02 0200", DomainParameters.Name, "maxChannelIds")]
    public void Domain_parameter_failures(string hex, string structure, string? field) =>
        AssertFails(hex, DomainParameters.Decode, structure, field);

    [Theory]
    [InlineData("000500147c0002 00", ConferenceCreateRequest.Name, "t124Identifier")]
    [InlineData("000500147c0001 0e 000800100001c000447563 62 00", ConferenceCreateRequest.Name, "h221NonStandard")]
    [InlineData("000500147c0001 0e 000800100001c00044756361 05 0000", ConferenceCreateRequest.Name, "userData")]
    [InlineData("000500147c0001 0e 000800100001c00044756361 c0", ConferenceCreateRequest.Name, "userData")]
    [InlineData("000500147c0001 0e 000800100001c00044756361 00", ClientDataBlocks.Name, "CS_CORE")]
    public void Conference_create_request_failures(string hex, string structure, string? field) =>
        AssertFails(hex, ConferenceCreateRequest.Decode, structure, field);

    [Theory]
    [InlineData("000500147c0001 2a 15", ConferenceCreateResponse.Name, "choice")]
    [InlineData("000500147c0001 2a 14760a 0101 01", ConferenceCreateResponse.Name, "result")]
    [InlineData("000500147c0001 2a 14760a 0101 00 01c000 4d634464", ConferenceCreateResponse.Name, "h221NonStandard")]
    [InlineData("000500147c0001 2a 14760a 0101 00 01c000 4d63446e 00", ServerDataBlocks.Name, "SC_CORE")]
    public void Conference_create_response_failures(string hex, string structure, string? field) =>
        AssertFails(hex, ConferenceCreateResponse.Decode, structure, field);
}
