namespace RdLicensing.Registry;

/// <summary>
/// The Windows-1252 ("ANSI" on Western Windows) code page that REGEDIT4 files use. The five bytes 1252 leaves undefined
/// (81, 8D, 8F, 90, 9D) map to the C1 controls of the same number, as Windows' own conversion does, so every byte has a
/// character and every such character one byte: reading and writing are exact inverses.
/// </summary>
internal static class Windows1252
{
    // 0x80..0x9F; the rest of the page is Latin-1.
    private static readonly char[] High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    private static readonly Dictionary<char, byte> Reverse = BuildReverse();

    /// <summary>The character of a byte.</summary>
    public static char ToChar(byte b) => b is >= 0x80 and <= 0x9F ? High[b - 0x80] : (char)b;

    /// <summary>The byte of a character; false when 1252 has none (regedit writes '?' then).</summary>
    public static bool TryToByte(char c, out byte b)
    {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF))
        {
            b = (byte)c;
            return true;
        }

        return Reverse.TryGetValue(c, out b);
    }

    /// <summary>The byte of a character, '?' when 1252 has none.</summary>
    public static byte ToByte(char c) => TryToByte(c, out byte b) ? b : (byte)'?';

    private static Dictionary<char, byte> BuildReverse()
    {
        var map = new Dictionary<char, byte>();
        for (int i = 0; i < High.Length; i++)
        {
            map[High[i]] = (byte)(0x80 + i);
        }

        return map;
    }
}
