using System.Text;

namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The two string forms of the licensing PDUs: UTF-16LE with a NUL terminator (company name, product id) and
/// "ANSI" with a NUL terminator (scope, user and machine names; ISO/IEC 8859-1, so bytes map 1:1 to chars and
/// decoding then encoding gives the same bytes).
/// </summary>
internal static class LicensingText
{
    public static int Utf16Size(string value) => (value.Length + 1) * 2;

    public static int AnsiSize(string value) => value.Length + 1;

    /// <summary>Decodes UTF-16LE bytes that must be of even length and end with a NUL character.</summary>
    public static string DecodeUtf16(ReadOnlySpan<byte> bytes, string structure, string field)
    {
        if (bytes.Length < 2 || bytes.Length % 2 != 0)
        {
            throw ProtocolException.InvalidField(structure, field, $"a utf-16 string of {bytes.Length} bytes is not an even length of at least 2");
        }

        if (bytes[^1] != 0 || bytes[^2] != 0)
        {
            throw ProtocolException.InvalidField(structure, field, "utf-16 string is not nul-terminated");
        }

        string text = Encoding.Unicode.GetString(bytes[..^2]);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw ProtocolException.InvalidField(structure, field, "utf-16 string has a nul character before its terminator");
        }

        return text;
    }

    /// <summary>Decodes ANSI bytes that must end with a NUL byte.</summary>
    public static string DecodeAnsi(ReadOnlySpan<byte> bytes, string structure, string field)
    {
        if (bytes.Length < 1 || bytes[^1] != 0)
        {
            throw ProtocolException.InvalidField(structure, field, "ansi string is not nul-terminated");
        }

        if (bytes[..^1].Contains((byte)0))
        {
            throw ProtocolException.InvalidField(structure, field, "ansi string has a nul character before its terminator");
        }

        return Encoding.Latin1.GetString(bytes[..^1]);
    }

    /// <summary>The text of ANSI bytes up to the first NUL (or all of them); never throws.</summary>
    public static string AnsiUpToNul(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    public static void WriteUtf16(ref WireWriter writer, string value)
    {
        byte[] bytes = Encoding.Unicode.GetBytes(value);
        writer.WriteBytes(bytes);
        writer.WriteU16LE(0);
    }

    public static void WriteAnsi(ref WireWriter writer, string value)
    {
        writer.WriteBytes(ToAnsiBytes(value));
        writer.WriteU8(0);
    }

    /// <summary>ANSI (Latin-1) bytes of <paramref name="value"/>; characters outside Latin-1 are caller misuse.</summary>
    public static byte[] ToAnsiBytes(string value)
    {
        foreach (char c in value)
        {
            if (c > 0xFF || c == '\0')
            {
                throw new ArgumentException($"'{value}' is not a latin-1 string without nul characters", nameof(value));
            }
        }

        return Encoding.Latin1.GetBytes(value);
    }

    /// <summary>Checks a UTF-16 string before it is put on the wire: no NUL inside, as the terminator ends it.</summary>
    public static string RequireUtf16(string value, string paramName) =>
        value.Contains('\0', StringComparison.Ordinal)
            ? throw new ArgumentException($"'{value}' contains a nul character", paramName)
            : value;
}
