using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

public sealed class ClientLicenseInfoTests
{
    private static readonly byte[] Cal = [0x30, 0x82, 0x00, 0x01, 0xaa];
    private static readonly byte[] EncryptedHwid = Vectors.Hex("f8b5e8253d0f3f701dda601916fe731a457e0271");
    private static readonly byte[] Mac = Vectors.Hex("3823625d108b93c3f1e4671f4ab6000a");

    // rdesktop licence.c licence_info: zero random and premaster, the stored CAL in BB_DATA_BLOB, HWID in BB_DATA_BLOB.
    private static readonly byte[] RdesktopBody = Vectors.Concat(
        [0x01, 0x00, 0x00, 0x00], // PreferredKeyExchangeAlg
        [0x00, 0x00, 0x01, 0x02], // PlatformId: 0x02010000
        new byte[32], // ClientRandom
        [0x02, 0x00, 0x48, 0x00], new byte[72], // EncryptedPreMasterSecret
        [0x01, 0x00, 0x05, 0x00], Cal, // LicenseInfo: BB_DATA_BLOB
        [0x01, 0x00, 0x14, 0x00], EncryptedHwid, // EncryptedHWID: BB_DATA_BLOB (rdesktop)
        Mac); // MACData

    private static readonly ClientLicenseInfo RdesktopValue =
        new(1, 0x02010000, new byte[32], new byte[72], Cal, new LicenseBinaryBlob(BlobType.Data, EncryptedHwid), Mac);

    [Fact]
    public void Decodes()
    {
        ClientLicenseInfo info = Vectors.DecodeAll(RdesktopBody, ClientLicenseInfo.Decode);
        Assert.Equal(0x02010000u, info.PlatformId);
        Assert.Equal(Cal, info.LicenseInfo.ToArray());
        Assert.Equal(BlobType.Data, info.EncryptedHwid.WBlobType);
        Assert.Equal(EncryptedHwid, info.EncryptedHwid.BlobData.ToArray());
        Assert.Equal(Mac, info.MacData.ToArray());
    }

    [Fact]
    public void Encodes() => Assert.Equal(RdesktopBody, Vectors.Encode(RdesktopBody.Length, RdesktopValue.Encode));

    [Fact]
    public void Size() => Assert.Equal(RdesktopBody.Length, RdesktopValue.EncodedSize);

    [Fact]
    public void Whole_pdu_has_rdesktops_wMsgSize()
    {
        // rdesktop: length = 24 + SEC_RANDOM_SIZE + SEC_MODULUS_SIZE + SEC_PADDING_SIZE + licence_size + HWID + SIGNATURE.
        byte[] pdu = Vectors.WithSecurityHeader(RdesktopValue);
        Assert.Equal(24 + 32 + 64 + 8 + Cal.Length + 20 + 16, BitConverter.ToUInt16(pdu, 6));
        Assert.Equal(Cal, Vectors.DecodePdu<ClientLicenseInfo>(pdu).LicenseInfo.ToArray());
    }

    [Fact]
    public void Encrypted_data_blob_type_is_accepted_too()
    {
        byte[] body = ClientNewLicenseRequestTests.Patch(RdesktopBody, RdesktopBody.Length - 16 - 24, 0x09);
        Assert.Equal(BlobType.EncryptedData, Vectors.DecodeAll(body, ClientLicenseInfo.Decode).EncryptedHwid.WBlobType);
    }

    public static TheoryData<string, byte[], string?> FailureCases()
    {
        byte[] body = RdesktopBody;
        int license = 40 + 76;
        int hwid = license + 4 + Cal.Length;
        return new()
        {
            { "truncated header", body[..20], null },
            { "premaster of the wrong type", ClientNewLicenseRequestTests.Patch(body, 40, 0x01), "EncryptedPreMasterSecret" },
            { "license info of the wrong type", ClientNewLicenseRequestTests.Patch(body, license, 0x09), "LicenseInfo" },
            { "license info longer than the input", Vectors.Concat(body[..license], Vectors.Hex("0100ff00")), "LicenseInfo" },
            { "hwid of the random type", ClientNewLicenseRequestTests.Patch(body, hwid, 0x02), "EncryptedHWID" },
            { "mac truncated", body[..^1], "MACData" },
            { "trailing bytes", [.. body, 0x00], null },
        };
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void Failures(string name, byte[] input, string? field)
    {
        Assert.NotEmpty(name);
        Vectors.AssertFails(input, ClientLicenseInfo.Decode, ClientLicenseInfo.Name, field);
    }
}
