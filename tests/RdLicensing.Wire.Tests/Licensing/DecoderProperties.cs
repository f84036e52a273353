using System.Security.Cryptography;
using CsCheck;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

/// <summary>
/// Random and mutated inputs into every licensing decoder: each returns a value or throws ProtocolException naming a
/// structure, nothing else. An input that ever breaks this is saved under FuzzRegression/Licensing and replayed by
/// <see cref="DecoderProperties.Saved_inputs_still_decode_or_fail_cleanly"/>.
/// </summary>
public sealed class DecoderProperties
{
    private static readonly (string Name, Action<byte[]> Decode)[] Decoders =
    [
        ("security header", b => Run(b, LicensingSecurityHeader.Decode)),
        ("preamble", b => Run(b, LicensePreamble.Decode)),
        ("blob", b => Run(b, LicenseBinaryBlob.Decode)),
        ("product info", b => Run(b, ProductInfo.Decode)),
        ("scope", b => Run(b, Scope.Decode)),
        ("scope list", b => Run(b, ScopeList.Decode)),
        ("server license request", b => Run(b, ServerLicenseRequest.Decode)),
        ("client new license request", b => Run(b, ClientNewLicenseRequest.Decode)),
        ("client license info", b => Run(b, ClientLicenseInfo.Decode)),
        ("client hardware id", b => ClientHardwareId.Decode(b)),
        ("server platform challenge", b => Run(b, ServerPlatformChallenge.Decode)),
        ("client platform challenge response", b => Run(b, ClientPlatformChallengeResponse.Decode)),
        ("platform challenge response data", b => PlatformChallengeResponseData.Decode(b)),
        ("server new license", b => Run(b, ServerNewLicense.Decode)),
        ("server upgrade license", b => Run(b, ServerUpgradeLicense.Decode)),
        ("new license info", b => NewLicenseInfo.Decode(b)),
        ("license error message", b => Run(b, LicenseErrorMessage.Decode)),
        ("licensing pdu", b => ReencodeIsStable(LicensingPdu.Decode(b))),
    ];

    private static readonly byte[][] Seeds =
    [
        LicensingPdu.Serialize(Vectors.DecodeAll(Vectors.Load("server-license-request-x509.hex")[..], ServerLicenseRequest.Decode)),
        Vectors.Load("new-license-windows.hex")[4..],
        Vectors.Load("new-license-info-windows.hex"),
        LicensingPdu.Serialize(Vectors.DecodeAll(ClientNewLicenseRequestTests.IronRdpBody, ClientNewLicenseRequest.Decode)),
        LicensingPdu.Serialize(Vectors.DecodeAll(ClientNewLicenseRequestTests.RdesktopBody, ClientNewLicenseRequest.Decode)),
        LicensingPdu.Serialize(new ClientLicenseInfo(1, 2, new byte[32], new byte[72], [0x30, 0x82, 1], new LicenseBinaryBlob(1, new byte[20]), new byte[16])),
        Vectors.Hex("02032600 00000000 00000a00 46378554 8ec59134 975d 3823625d108b93c3f1e4671f4ab6000a"),
        Vectors.Hex("15034200 09001200 fab4e824cf56b24e8002bdb661fcdfe96c44 09001400 f8b5e8253d0f3f701dda601916fe731a457e0271 3823625d108b93c3f1e4671f4ab6000a"),
        Vectors.Hex("000100ff03000a00 54004500530054000000"),
        Vectors.Hex("ff031000 07000000 02000000 04000000"),
    ];

    [Fact]
    public void Random_bytes_decode_or_fail_cleanly() =>
        Gen.Byte.Array[0, 400].Sample(CheckAll, iter: 3000, threads: 1);

    [Fact]
    public void Mutated_pdus_decode_or_fail_cleanly()
    {
        Gen<byte[]> mutated =
            from seed in Gen.Int[0, Seeds.Length - 1]
            from kind in Gen.Int[0, 4]
            from position in Gen.Int[0, 4096]
            from value in Gen.UInt
            from extra in Gen.Byte.Array[1, 8]
            select Mutate(Seeds[seed], kind, position, value, extra);
        mutated.Sample(CheckAll, iter: 4000, threads: 1);
    }

    [Fact]
    public void Saved_inputs_still_decode_or_fail_cleanly()
    {
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FuzzRegression", "Licensing"), "*.hex");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string hex = string.Concat(File.ReadAllLines(file).Where(l => !l.StartsWith('#'))).Replace(" ", "", StringComparison.Ordinal);
            CheckAll(Convert.FromHexString(hex));
        }
    }

    private static void CheckAll(byte[] input)
    {
        foreach ((string name, Action<byte[]> decode) in Decoders)
        {
            Check(name, decode, input);
            if (input.Length >= LicensePreamble.Size)
            {
                Check(name, decode, input[LicensePreamble.Size..]);
            }
        }
    }

    private static void Check(string name, Action<byte[]> decode, byte[] input)
    {
        try
        {
            decode(input);
        }
        catch (ProtocolException error)
        {
            Assert.False(string.IsNullOrEmpty(error.Structure));
            Assert.False(string.IsNullOrEmpty(error.Reason));
        }
        catch (Exception error)
        {
            Save(name, input, error);
            throw new Xunit.Sdk.XunitException($"{name} decoder threw {error.GetType().Name} on {Convert.ToHexString(input)}: {error}");
        }
    }

    private static void Run<T>(byte[] input, DecodeFunc<T> decode)
    {
        var reader = new WireReader(input);
        _ = decode(ref reader);
    }

    // Whatever decodes re-encodes to bytes that decode again to the same bytes.
    private static void ReencodeIsStable(LicensingPdu pdu)
    {
        byte[] once = pdu.ToBytes();
        byte[] twice = LicensingPdu.Decode(once).ToBytes();
        if (!once.AsSpan().SequenceEqual(twice))
        {
            throw new InvalidOperationException($"re-encoding is not stable: {Convert.ToHexString(once)} then {Convert.ToHexString(twice)}");
        }
    }

    private static byte[] Mutate(byte[] seed, int kind, int position, uint value, byte[] extra)
    {
        byte[] bytes = [.. seed];
        int at = position % Math.Max(1, bytes.Length);
        switch (kind)
        {
            case 0: // overwrite one byte
                bytes[at] = (byte)value;
                return bytes;
            case 1: // truncate
                return bytes[..at];
            case 2: // insert bytes
                return [.. bytes[..at], .. extra, .. bytes[at..]];
            case 3: // an extreme u16 where a length may be
                ushort u16 = (value % 4) switch { 0 => 0, 1 => 0xFFFF, 2 => 0x7FFF, _ => (ushort)(value >> 16) };
                if (at + 2 <= bytes.Length)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), u16);
                }

                return bytes;
            default: // an extreme u32 where a length or count may be
                uint u32 = (value % 4) switch { 0 => 0, 1 => uint.MaxValue, 2 => int.MaxValue, _ => value };
                if (at + 4 <= bytes.Length)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), u32);
                }

                return bytes;
        }
    }

    private static void Save(string decoder, byte[] input, Exception error)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "RdLicensing.Wire.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        if (dir is null)
        {
            return;
        }

        string name = Convert.ToHexString(SHA256.HashData(input))[..16].ToLowerInvariant();
        File.WriteAllText(
            Path.Combine(dir, "FuzzRegression", "Licensing", $"{name}.hex"),
            $"# {decoder}: {error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}\n{Convert.ToHexString(input).ToLowerInvariant()}\n");
    }
}
