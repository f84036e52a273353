using CsCheck;

namespace RdLicensing.Crypto.Tests;

public sealed class Rc4Tests
{
    // RFC 6229 section 2: keystream of the keys 0x0102..., 16 bytes at each offset.
    // 56-bit rows as quoted from RFC 6229 "Key length: 56 bits."; the others from its 40/64/128/256-bit tables.
    [Theory]
    [InlineData("0102030405", 0, "b2396305f03dc027ccc3524a0a1118a8")]
    [InlineData("0102030405", 16, "6982944f18fc82d589c403a47a0d0919")]
    [InlineData("0102030405", 1536, "d8729db41882259bee4f825325f5a130")]
    [InlineData("0102030405", 4096, "ff25b58995996707e51fbdf08b34d875")]
    [InlineData("01020304050607", 0, "293f02d47f37c9b633f2af5285feb46b")]
    [InlineData("01020304050607", 16, "e620f1390d19bd84e2e0fd752031afc1")]
    [InlineData("0102030405060708", 0, "97ab8a1bf0afb96132f2f67258da15a8")]
    [InlineData("0102030405060708090a0b0c0d0e0f10", 0, "9ac7cc9a609d1ef7b2932899cde41b97")]
    [InlineData("0102030405060708090a0b0c0d0e0f10", 16, "5248c4959014126a6e8a84f11d1a9e1c")]
    [InlineData("0102030405060708090a0b0c0d0e0f10", 1536, "ffa0b514647ec04f6306b892ae661181")]
    [InlineData("0102030405060708090a0b0c0d0e0f10", 4096, "a36a4c301ae8ac13610ccbc12256cacc")]
    [InlineData("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 0, "eaa6bd25880bf93d3f5d1e4ca2611d91")]
    [InlineData("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 4096, "f3e4c0a2e02d1d01f7f0a74618af2b48")]
    public void Keystream_matches_rfc6229(string key, int offset, string expected)
    {
        byte[] keystream = Rc4.Transform(Convert.FromHexString(key), new byte[offset + 16]);

        Assert.Equal(expected, Convert.ToHexStringLower(keystream.AsSpan(offset, 16)));
    }

    [Fact]
    public void Streaming_in_pieces_equals_one_call()
    {
        byte[] key = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
        byte[] whole = Rc4.Transform(key, new byte[4112]);
        Rc4 pieces = new(key);
        List<byte> joined = [];
        foreach (int length in new[] { 1, 15, 0, 100, 1420, 2576 })
        {
            byte[] chunk = new byte[length];
            pieces.Process(chunk);
            joined.AddRange(chunk);
        }

        Assert.Equal(whole, joined.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Key_length_outside_1_to_256_is_rejected(int length) =>
        Assert.Throws<ArgumentException>(() => new Rc4(new byte[length]));

    [Fact]
    public void Transform_twice_is_identity() =>
        Gen.Byte.Array[1, 256].Select(Gen.Byte.Array[0, 600]).Sample((key, data) =>
            Rc4.Transform(key, Rc4.Transform(key, data)).AsSpan().SequenceEqual(data));
}
