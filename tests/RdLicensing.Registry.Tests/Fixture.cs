using System.Text;

namespace RdLicensing.Registry.Tests;

/// <summary>Test input: fixture files and .reg text encoded as regedit encodes it.</summary>
internal static class Fixture
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>UTF-16LE with a byte order mark; "\n" becomes CRLF.</summary>
    public static byte[] Utf16(string text) =>
        [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal))];

    /// <summary>Latin-1 bytes (the test texts stay within it); "\n" becomes CRLF.</summary>
    public static byte[] Ansi(string text) =>
        Encoding.Latin1.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
}
