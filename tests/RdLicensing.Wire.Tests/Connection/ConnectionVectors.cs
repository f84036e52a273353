using RdLicensing.Wire.Tests.Licensing;

namespace RdLicensing.Wire.Tests.Connection;

/// <summary>Helpers for the connection codec tests (the shared ones live in <see cref="Vectors"/>).</summary>
internal static class ConnectionVectors
{
    /// <summary>Loads Connection/TestData/NAME: hex bytes, whitespace ignored, lines starting with '#' are comments.</summary>
    public static byte[] Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Connection", "TestData", name);
        string hex = string.Concat(File.ReadAllLines(path).Where(l => !l.StartsWith('#')));
        return Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
    }

    public static byte[] Hex(string hex) => Vectors.Hex(hex);

    public static T DecodeAll<T>(byte[] bytes, DecodeFunc<T> decode) => Vectors.DecodeAll(bytes, decode);

    public static byte[] Encode(int size, EncodeFunc encode) => Vectors.Encode(size, encode);

    public static ProtocolException AssertFails<T>(string hex, DecodeFunc<T> decode, string structure, string? field) =>
        Vectors.AssertFails(Hex(hex), decode, structure, field);
}
