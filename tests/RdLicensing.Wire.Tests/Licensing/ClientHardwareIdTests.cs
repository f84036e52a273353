using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ClientHardwareIdTests
{
    // IronRDP client_platform_challenge_response/test.rs CLIENT_HARDWARE_IDENTIFICATION_BUFFER.
    private static readonly byte[] Bytes =
    [
        0x02, 0x00, 0x00, 0x00, // PlatformId
        0xf1, 0x59, 0x87, 0x3e, // Data1
        0xc9, 0xd8, 0x98, 0xaf, // Data2
        0x24, 0x02, 0xf8, 0xf3, // Data3
        0x29, 0x3a, 0xf0, 0x26, // Data4
    ];

    private static readonly ClientHardwareId Value = new(2, 0x3e8759f1, 0xaf98d8c9, 0xf3f80224, 0x26f03a29);

    [Fact]
    public void Decodes()
    {
        ClientHardwareId id = ClientHardwareId.Decode(Bytes);
        Assert.Equal(2u, id.PlatformId);
        Assert.Equal(0x3e8759f1u, id.Data1);
        Assert.Equal(0x26f03a29u, id.Data4);
    }

    [Fact]
    public void Encodes() => Assert.Equal(Bytes, Value.ToBytes());

    [Fact]
    public void Size() => Assert.Equal(Bytes.Length, Value.EncodedSize);

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    public void Failures(int length)
    {
        byte[] input = new byte[length];
        ProtocolException error = Assert.Throws<ProtocolException>(() => ClientHardwareId.Decode(input));
        Assert.Equal(ClientHardwareId.Name, error.Structure);
        Assert.Null(error.Field);
    }
}
