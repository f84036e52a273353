using RdLicensing.Wire.Connection;
using static RdLicensing.Wire.Tests.Connection.ConnectionVectors;

namespace RdLicensing.Wire.Tests.Connection;

public sealed class SecurityPduTests
{
    [Fact]
    public void Basic_security_header_round_trips()
    {
        BasicSecurityHeader header = DecodeAll(Hex("80000000"), BasicSecurityHeader.Decode);
        Assert.Equal(new BasicSecurityHeader(SecurityFlags.LicensePacket), header);
        Assert.Equal(Hex("80000000"), Encode(header.EncodedSize, header.Encode));
    }

    [Fact]
    public void Non_fips_security_header_round_trips()
    {
        byte[] bytes = Hex("48000000 0102030405060708");
        NonFipsSecurityHeader header = DecodeAll(bytes, NonFipsSecurityHeader.Decode);
        Assert.Equal(SecurityFlags.InfoPacket | SecurityFlags.Encrypt, header.Flags);
        Assert.Equal(Hex("0102030405060708"), header.DataSignature);
        Assert.Equal(bytes, Encode(header.EncodedSize, header.Encode));
    }

    [Fact]
    public void Security_exchange_round_trips()
    {
        // The layout FreeRDP writes (connection.c rdp_client_establish_keys): SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC,
        // length = modulus + 8, the encrypted random and the 8 zero bytes.
        byte[] random = [.. Enumerable.Range(0, 64).Select(i => (byte)i), .. new byte[8]];
        byte[] bytes = [.. Hex("01020000 48000000"), .. random];
        SecurityExchangePdu pdu = DecodeAll(bytes, SecurityExchangePdu.Decode);
        Assert.Equal(SecurityFlags.ExchangePacket | SecurityFlags.LicenseEncrypt, pdu.Flags);
        Assert.Equal(random, pdu.EncryptedClientRandom);
        Assert.Equal(bytes, Encode(pdu.EncodedSize, pdu.Encode));
    }

    [Theory]
    [InlineData("40000000 00000000", SecurityExchangePdu.Name, "flags")]
    [InlineData("01000000 09030000", SecurityExchangePdu.Name, "length")]
    [InlineData("01000000 08000000 0102", SecurityExchangePdu.Name, "encryptedClientRandom")]
    [InlineData("01000000 00000000 00", SecurityExchangePdu.Name, null)]
    [InlineData("0100", BasicSecurityHeader.Name, null)]
    public void Security_exchange_failures(string hex, string structure, string? field) =>
        AssertFails(hex, SecurityExchangePdu.Decode, structure, field);

    [Fact]
    public void Client_info_unicode_decodes_and_encodes()
    {
        byte[] bytes = Load("client-info-unicode.hex");
        ClientInfoPacket info = DecodeAll(bytes, ClientInfoPacket.Decode);
        Assert.Equal(0x04090409u, info.CodePage);
        Assert.Equal(0x000043b3u, info.Flags);
        Assert.Equal("NTDEV", info.Domain);
        Assert.Equal("eltons", info.UserName);
        Assert.Equal("", info.Password);
        Assert.Equal(398 - 50, info.ExtraInfo.Length);
        Assert.Equal(bytes.Length, info.EncodedSize);
        Assert.Equal(bytes, Encode(info.EncodedSize, info.Encode));
    }

    [Fact]
    public void Client_info_ansi_decodes_and_encodes()
    {
        byte[] bytes = Load("client-info-ansi.hex");
        ClientInfoPacket info = DecodeAll(bytes, ClientInfoPacket.Decode);
        Assert.Equal("NTDEV", info.Domain);
        Assert.Equal("eltons", info.UserName);
        Assert.Equal(bytes, Encode(info.EncodedSize, info.Encode));
    }

    [Theory]
    [InlineData("09040904 10000000 0300 0000 0000 0000 0000 414243", "Domain")]
    [InlineData("09040904 10000000 0201 0000 0000 0000 0000", "Domain")]
    [InlineData("09040904 00000000 0400 0000 0000 0000 0000 41424344", "Domain")]
    [InlineData("09040904 10000000 0000 0200 0000 0000 0000 0000 4100", "UserName")]
    [InlineData("09040904 10000000 0000 0000", null)]
    public void Client_info_failures(string hex, string? field) =>
        AssertFails(hex, ClientInfoPacket.Decode, ClientInfoPacket.Name, field);
}
