using RdLicensing.Wire.Licensing;

namespace RdLicensing.Wire.Tests.Licensing;

internal delegate T DecodeFunc<out T>(ref WireReader reader);

internal delegate void EncodeFunc(ref WireWriter writer);

/// <summary>Helpers shared by the licensing codec tests.</summary>
internal static class Vectors
{
    /// <summary>Loads TestData/NAME: hex bytes, whitespace ignored, lines starting with '#' are comments.</summary>
    public static byte[] Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Licensing", "TestData", name);
        var hex = new System.Text.StringBuilder();
        foreach (string line in File.ReadAllLines(path))
        {
            if (!line.StartsWith('#'))
            {
                hex.Append(line.Replace(" ", "", StringComparison.Ordinal));
            }
        }

        return Convert.FromHexString(hex.ToString());
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Decodes <paramref name="bytes"/> and requires the decoder to consume all of them.</summary>
    public static T DecodeAll<T>(byte[] bytes, DecodeFunc<T> decode)
    {
        var reader = new WireReader(bytes);
        T value = decode(ref reader);
        reader.EnsureEnd("test input");
        return value;
    }

    public static byte[] Encode(int size, EncodeFunc encode)
    {
        byte[] bytes = new byte[size];
        var writer = new WireWriter(bytes);
        encode(ref writer);
        Assert.Equal(size, writer.Position);
        return bytes;
    }

    /// <summary>The security header, then the preamble and message: a whole licensing PDU as the MCS layer carries it.</summary>
    public static byte[] WithSecurityHeader(ILicensingMessage message) =>
        [0x80, 0x00, 0x00, 0x00, .. LicensingPdu.Serialize(message)];

    /// <summary>Decodes a whole licensing PDU (security header, preamble, message) and returns its message.</summary>
    public static T DecodePdu<T>(byte[] bytes)
        where T : ILicensingMessage
    {
        var reader = new WireReader(bytes);
        LicensingSecurityHeader header = LicensingSecurityHeader.Decode(ref reader);
        Assert.Equal(LicensingSecurityHeader.SecLicensePkt, header.Flags);
        LicensingPdu pdu = LicensingPdu.Decode(ref reader);
        reader.EnsureEnd("test input");
        return Assert.IsType<T>(pdu.Message);
    }

    public static ProtocolException AssertFails<T>(byte[] input, DecodeFunc<T> decode, string structure, string? field)
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new WireReader(input);
            _ = decode(ref reader);
            reader.EnsureEnd(structure);
        });
        Assert.Equal(structure, error.Structure);
        Assert.Equal(field, error.Field);
        return error;
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
