namespace RdLicensing.Crypto.Tests;

/// <summary>Loads hex test vectors from TestData/*.hex (whitespace and '#' comment lines ignored).</summary>
internal static class TestData
{
    public static byte[] Hex(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", name);
        IEnumerable<string> lines = File.ReadAllLines(path).Where(line => !line.TrimStart().StartsWith('#'));
        string hex = string.Concat(string.Concat(lines).Where(c => !char.IsWhiteSpace(c)));
        return Convert.FromHexString(hex);
    }

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
