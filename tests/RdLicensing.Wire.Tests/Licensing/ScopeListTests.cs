using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ScopeListTests
{
    // IronRDP crates/ironrdp-pdu/src/rdp/server_license/server_license_request/tests.rs SCOPE_BUFFER_WITH_COUNT.
    internal static readonly byte[] Bytes = Vectors.Concat(
        [0x01, 0x00, 0x00, 0x00], // ScopeCount: 1
        [0x0e, 0x00, 0x0e, 0x00], // wBlobType: BB_SCOPE_BLOB, wBlobLen: 14
        "microsoft.com\0"u8.ToArray()); // blobData

    internal static readonly ScopeList Value = new([new Scope(Scope.Microsoft)]);

    [Fact]
    public void Decodes()
    {
        ScopeList list = Vectors.DecodeAll(Bytes, ScopeList.Decode);
        Assert.Equal(1u, list.ScopeCount);
        Assert.Equal("microsoft.com", list.ScopeArray[0].ScopeName);
    }

    [Fact]
    public void Encodes() => Assert.Equal(Bytes, Vectors.Encode(Bytes.Length, Value.Encode));

    [Fact]
    public void Size() => Assert.Equal(Bytes.Length, Value.EncodedSize);

    [Fact]
    public void Scope_triad()
    {
        var scope = new Scope("microsoft.com");
        Assert.Equal(Bytes[4..], Vectors.Encode(18, scope.Encode));
        Assert.Equal(18, scope.EncodedSize);
        Assert.Equal("microsoft.com", Vectors.DecodeAll(Bytes[4..], Scope.Decode).ScopeName);
    }

    [Fact]
    public void Empty_list_round_trips() =>
        Assert.Equal(0u, Vectors.DecodeAll(Vectors.Encode(4, new ScopeList([]).Encode), ScopeList.Decode).ScopeCount);

    [Theory]
    [InlineData("010000", ScopeList.Name, "ScopeCount")] // truncated count
    [InlineData("01010000", ScopeList.Name, "ScopeCount")] // 257 scopes: over the cap
    [InlineData("ffffffff", ScopeList.Name, "ScopeCount")] // 4 billion scopes: capped before allocating
    [InlineData("020000000e0002006100", Scope.Name, "Scope")] // count 2, one scope present
    [InlineData("010000000d0002006100", Scope.Name, "Scope")] // wrong blob type
    [InlineData("010000000e00020061", Scope.Name, "Scope")] // blob truncated
    [InlineData("010000000e0002006162", Scope.Name, "Scope")] // not nul-terminated
    [InlineData("010000000e000300610000", Scope.Name, "Scope")] // nul before the terminator
    public void Failures(string hex, string structure, string field) =>
        Vectors.AssertFails(Vectors.Hex(hex), ScopeList.Decode, structure, field);

    [Fact]
    public void Rejects_more_than_the_cap() =>
        Assert.Throws<ArgumentException>(() => new ScopeList(Enumerable.Range(0, 257).Select(i => new Scope($"s{i}"))));
}
