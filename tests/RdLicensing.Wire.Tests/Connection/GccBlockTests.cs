using RdLicensing.Wire.Connection;
using static RdLicensing.Wire.Tests.Connection.ConnectionVectors;

namespace RdLicensing.Wire.Tests.Connection;

/// <summary>
/// GCC settings data blocks. Vectors: IronRDP crates/ironrdp-testsuite-core/src/{network_data,security_data,
/// cluster_data,core_data}.rs, which carry the [MS-RDPBCGR] 4.1.3 and 4.1.4 example values.
/// </summary>
public sealed class GccBlockTests
{
    [Fact]
    public void Client_network_data_round_trips()
    {
        byte[] bytes = Hex("03000000 7264706472000000 00008080 636c697072647200 0000a0c0 72647073 6e640000 000000c0");
        ClientNetworkData data = DecodeAll(bytes, ClientNetworkData.Decode);
        Assert.Equal(
            [new ChannelDefinition("rdpdr", 0x80800000), new ChannelDefinition("cliprdr", 0xc0a00000), new ChannelDefinition("rdpsnd", 0xc0000000)],
            data.Channels);
        Assert.Equal(bytes, Encode(data.EncodedSize, data.Encode));
    }

    [Fact]
    public void Server_network_data_pads_an_odd_count()
    {
        byte[] bytes = Hex("eb03 0300 ec03 ed03 ee03 0000");
        ServerNetworkData data = DecodeAll(bytes, ServerNetworkData.Decode);
        Assert.Equal([1004, 1005, 1006], data.ChannelIds);
        Assert.Equal(bytes, Encode(data.EncodedSize, data.Encode));
        Assert.Equal(12, data.EncodedSize);
    }

    [Fact]
    public void Security_data_round_trips()
    {
        ClientSecurityData client = DecodeAll(Hex("1b000000 00000000"), ClientSecurityData.Decode);
        Assert.Equal(EncryptionMethods.Bit40 | EncryptionMethods.Bit56 | EncryptionMethods.Bit128 | EncryptionMethods.Fips, client.EncryptionMethods);
        Assert.Equal(Hex("1b000000 00000000"), Encode(client.EncodedSize, client.Encode));

        ServerSecurityData none = DecodeAll(Hex("00000000 00000000"), ServerSecurityData.Decode);
        Assert.Null(none.ServerRandom);
        Assert.Equal(Hex("00000000 00000000"), Encode(none.EncodedSize, none.Encode));

        byte[] random = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var rdp = new ServerSecurityData
        {
            EncryptionMethod = EncryptionMethods.Bit128,
            EncryptionLevel = EncryptionLevel.ClientCompatible,
            ServerRandom = random,
            ServerCertificate = [0xaa, 0xbb, 0xcc],
        };
        byte[] bytes = Encode(rdp.EncodedSize, rdp.Encode);
        Assert.Equal([.. Hex("02000000 02000000 20000000 03000000"), .. random, 0xaa, 0xbb, 0xcc], bytes);
        ServerSecurityData decoded = DecodeAll(bytes, ServerSecurityData.Decode);
        Assert.Equal(random, decoded.ServerRandom);
        Assert.Equal([0xaa, 0xbb, 0xcc], decoded.ServerCertificate);
    }

    [Fact]
    public void Cluster_and_server_core_round_trip()
    {
        ClientClusterData cluster = DecodeAll(Hex("0d000000 00000000"), ClientClusterData.Decode);
        Assert.Equal(new ClientClusterData(0x0d, 0), cluster);
        Assert.Equal(Hex("0d000000 00000000"), Encode(cluster.EncodedSize, cluster.Encode));

        ServerCoreData core = DecodeAll(Hex("04000800 00000000 01000000"), ServerCoreData.Decode);
        Assert.Equal(new ServerCoreData(0x00080004, SecurityProtocols.Rdp, 1), core);
        Assert.Equal(Hex("04000800 00000000 01000000"), Encode(core.EncodedSize, core.Encode));
        Assert.Equal(new ServerCoreData(0x00080004, null), DecodeAll(Hex("04000800"), ServerCoreData.Decode));
    }

    [Fact]
    public void Client_core_data_with_every_optional_field_round_trips()
    {
        var core = new ClientCoreData
        {
            Version = 0x00080004,
            DesktopWidth = 1024,
            DesktopHeight = 768,
            ColorDepth = 0xca01,
            SasSequence = 0xaa03,
            KeyboardLayout = 0x409,
            ClientBuild = 2600,
            ClientName = "fclient",
            KeyboardType = 4,
            KeyboardFunctionKey = 12,
            PostBeta2ColorDepth = 0xca01,
            ClientProductId = 1,
            SerialNumber = 0,
            HighColorDepth = 24,
            SupportedColorDepths = 7,
            EarlyCapabilityFlags = 1,
            ClientDigProductId = "",
            ConnectionType = 0,
            Pad1Octet = 0,
            ServerSelectedProtocol = SecurityProtocols.Ssl,
            DesktopPhysicalWidth = 5000,
            DesktopPhysicalHeight = 3000,
            DesktopOrientation = 90,
            DesktopScaleFactor = 200,
            DeviceScaleFactor = 140,
        };
        byte[] bytes = Encode(core.EncodedSize, core.Encode);
        Assert.Equal(ClientCoreData.FixedSize + 8 + 76 + 18, bytes.Length);
        Assert.Equal(core, DecodeAll(bytes, ClientCoreData.Decode));
    }

    [Fact]
    public void Unknown_client_blocks_are_skipped_by_length_and_kept()
    {
        var core = new ClientCoreData { ClientName = "x" };
        byte[] coreBody = Encode(core.EncodedSize, core.Encode);
        byte[] bytes = [.. Hex("05c00800 01020304"), .. Hex("01c08400"), .. coreBody];
        ClientDataBlocks blocks = DecodeAll(bytes, ClientDataBlocks.Decode);
        Assert.Equal("x", blocks.Core.ClientName);
        Assert.Null(blocks.Security);
        KeyValuePair<ushort, byte[]> other = Assert.Single(blocks.OtherBlocks);
        Assert.Equal((ushort)0xC005, other.Key);
        Assert.Equal([1, 2, 3, 4], other.Value);
    }

    [Theory]
    [InlineData("20000000", ClientNetworkData.Name, "channelCount")]
    [InlineData("02000000 7264706472000000 00008080", ClientNetworkData.Name, "channelDefArray")]
    [InlineData("01000000 72647064720a0000 00008080", ChannelDefinition.Name, "name")]
    [InlineData("00000000 00", ClientNetworkData.Name, null)]
    public void Client_network_data_failures(string hex, string structure, string? field) =>
        AssertFails(hex, ClientNetworkData.Decode, structure, field);

    [Theory]
    [InlineData("eb03 0200 ec03", ServerNetworkData.Name, "channelIdArray")]
    [InlineData("eb03 0000 0000", ServerNetworkData.Name, null)]
    public void Server_network_data_failures(string hex, string structure, string? field) =>
        AssertFails(hex, ServerNetworkData.Decode, structure, field);

    [Theory]
    [InlineData("02000000 02000000 10000000 00000000", "serverRandomLen")]
    [InlineData("02000000 02000000 20000000 ffffffff 0000000000000000000000000000000000000000000000000000000000000000", "serverCertificate")]
    [InlineData("02000000 02000000 20000000", "serverCertLen")]
    [InlineData("00000000 00000000 00", null)]
    public void Server_security_data_failures(string hex, string? field) =>
        AssertFails(hex, ServerSecurityData.Decode, ServerSecurityData.Name, field);

    [Theory]
    [InlineData("01c00300", UserDataHeader.Name, "length")]
    [InlineData("01c0ff00 00", UserDataHeader.Name, "length")]
    [InlineData("02c00c00 0000000000000000", ClientDataBlocks.Name, "CS_CORE")]
    [InlineData("02c00c00 0000000000000000 02c00c00 0000000000000000", ClientDataBlocks.Name, "CS_SECURITY")]
    [InlineData("01c00800 00000000", ClientCoreData.Name, null)]
    public void Client_data_block_failures(string hex, string structure, string? field) =>
        AssertFails(hex, ClientDataBlocks.Decode, structure, field);

    [Fact]
    public void Client_core_data_with_a_truncated_optional_field_fails()
    {
        byte[] bytes = [.. new byte[ClientCoreData.FixedSize], 0x01];
        AssertFails(Convert.ToHexString(bytes), ClientCoreData.Decode, ClientCoreData.Name, "postBeta2ColorDepth");
    }
}
