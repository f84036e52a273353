using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Registry;

/// <summary>
/// Reads .reg files the way regedit imports them. Everything is parsed and checked before a <see cref="RegFile"/> is
/// returned, so a malformed file never yields a partial result. Memory use is bounded by the input's size.
/// </summary>
internal sealed class RegFileReader
{
    internal const string Version5Header = "Windows Registry Editor Version 5.00";
    internal const string Regedit4Header = "REGEDIT4";

    private readonly List<string> _lines;
    private readonly RegFileFormat _format;
    private int _index;

    private RegFileReader(List<string> lines, RegFileFormat format)
    {
        _lines = lines;
        _format = format;
    }

    public static RegFile Read(ReadOnlySpan<byte> bytes)
    {
        (string text, RegFileEncoding encoding) = Decode(bytes);
        List<string> lines = SplitLines(text);
        string header = lines[0].TrimEnd(' ', '\t');
        RegFileFormat format = header switch
        {
            Version5Header => RegFileFormat.Version5,
            Regedit4Header => RegFileFormat.Regedit4,
            _ => throw new RegFileFormatException(
                $"bad header: a .reg file starts with '{Version5Header}' or '{Regedit4Header}'", 1, 1),
        };

        var reader = new RegFileReader(lines, format);
        return new RegFile(format, encoding, reader.ReadSections());
    }

    private List<RegFileSection> ReadSections()
    {
        var sections = new List<RegFileSection>();
        string? keyPath = null;
        bool isDeletion = false;
        List<RegFileEntry>? entries = null;
        for (_index = 1; _index < _lines.Count; _index++)
        {
            string line = _lines[_index];
            int lineNo = _index + 1;
            int pos = SkipBlanks(line, 0);
            if (pos >= line.Length || line[pos] == ';')
            {
                continue;
            }

            char first = line[pos];
            if (first == '[')
            {
                if (keyPath is not null)
                {
                    sections.Add(new RegFileSection(keyPath, isDeletion, entries!));
                }

                (keyPath, isDeletion) = ParseKeyLine(line, pos, lineNo);
                entries = [];
            }
            else if (first is '"' or '@')
            {
                if (keyPath is null)
                {
                    throw new RegFileFormatException("value before any key: a value line needs a [KEY] line above it", lineNo, pos + 1);
                }

                if (isDeletion)
                {
                    throw new RegFileFormatException($"the key deletion [-{keyPath}] cannot have values", lineNo, pos + 1);
                }

                entries!.Add(ParseValueLine(line, pos, lineNo));
            }
            else
            {
                throw new RegFileFormatException(
                    "unexpected text: expected [KEY], [-KEY], \"name\"=data, @=data or a ; comment", lineNo, pos + 1);
            }
        }

        if (keyPath is not null)
        {
            sections.Add(new RegFileSection(keyPath, isDeletion, entries!));
        }

        return sections;
    }

    private static (string Path, bool IsDeletion) ParseKeyLine(string line, int pos, int lineNo)
    {
        int close = line.LastIndexOf(']');
        if (close < pos)
        {
            throw new RegFileFormatException("unterminated key name: ']' is missing", lineNo, line.Length + 1);
        }

        int after = SkipBlanks(line, close + 1);
        if (after < line.Length)
        {
            throw new RegFileFormatException("unexpected text after ']'", lineNo, after + 1);
        }

        bool isDeletion = close > pos + 1 && line[pos + 1] == '-';
        int pathStart = pos + 1 + (isDeletion ? 1 : 0);
        string path = line[pathStart..close];
        if (!RegistryPath.TryParse(path, allowShortRoots: false, out _, out _, out string error, out int offset))
        {
            throw new RegFileFormatException(error, lineNo, pathStart + offset + 1);
        }

        return (path, isDeletion);
    }

    private RegFileEntry ParseValueLine(string line, int pos, int lineNo)
    {
        string name;
        if (line[pos] == '@')
        {
            name = "";
            pos++;
        }
        else
        {
            name = ParseQuoted(line, ref pos, lineNo);
        }

        pos = SkipBlanks(line, pos);
        if (pos >= line.Length || line[pos] != '=')
        {
            throw new RegFileFormatException("expected '=' after the value name", lineNo, pos + 1);
        }

        pos = SkipBlanks(line, pos + 1);
        if (pos >= line.Length)
        {
            throw new RegFileFormatException("missing value data after '='", lineNo, pos + 1);
        }

        char c = line[pos];
        if (c == '-')
        {
            ExpectEnd(line, pos + 1, lineNo);
            return new RegFileEntry(name, null);
        }

        if (c == '"')
        {
            string text = ParseQuoted(line, ref pos, lineNo);
            ExpectEnd(line, pos, lineNo);
            return new RegFileEntry(name, RegistryValue.FromString(text));
        }

        if (StartsWith(line, pos, "dword:"))
        {
            pos += "dword:".Length;
            int start = pos;
            uint number = 0;
            while (pos < line.Length && HexDigit(line[pos]) >= 0)
            {
                if (pos - start == 8)
                {
                    throw new RegFileFormatException("dword data has more than 8 hex digits", lineNo, pos + 1);
                }

                number = (number << 4) | (uint)HexDigit(line[pos]);
                pos++;
            }

            if (pos == start)
            {
                throw new RegFileFormatException("dword data needs 1 to 8 hex digits", lineNo, pos + 1);
            }

            ExpectEnd(line, pos, lineNo);
            return new RegFileEntry(name, RegistryValue.FromDWord(number));
        }

        if (StartsWith(line, pos, "hex"))
        {
            pos += 3;
            RegistryValueType type = RegistryValueType.Binary;
            if (pos < line.Length && line[pos] == '(')
            {
                int start = ++pos;
                uint number = 0;
                while (pos < line.Length && HexDigit(line[pos]) >= 0)
                {
                    if (pos - start == 8)
                    {
                        throw new RegFileFormatException("value type in hex(N) has more than 8 hex digits", lineNo, pos + 1);
                    }

                    number = (number << 4) | (uint)HexDigit(line[pos]);
                    pos++;
                }

                if (pos == start || pos >= line.Length || line[pos] != ')')
                {
                    throw new RegFileFormatException("bad value type: expected hex(N) with N in hex digits", lineNo, pos + 1);
                }

                pos++;
                type = (RegistryValueType)number;
            }

            if (pos >= line.Length || line[pos] != ':')
            {
                throw new RegFileFormatException("expected ':' after hex", lineNo, pos + 1);
            }

            byte[] data = ParseHexBytes(line, pos + 1, lineNo);
            if (_format == RegFileFormat.Regedit4 && IsTextType(type))
            {
                // REGEDIT4 keeps string data as ANSI bytes; the registry holds UTF-16LE.
                char[] chars = new char[data.Length];
                for (int i = 0; i < data.Length; i++)
                {
                    chars[i] = Windows1252.ToChar(data[i]);
                }

                data = MemoryMarshal.AsBytes(chars.AsSpan()).ToArray();
            }

            return new RegFileEntry(name, RegistryValue.FromRaw(type, data));
        }

        throw new RegFileFormatException("unknown value data: expected \"text\", dword:, hex: or hex(N):", lineNo, pos + 1);
    }

    private byte[] ParseHexBytes(string line, int pos, int lineNo)
    {
        var bytes = new List<byte>();
        while (true)
        {
            pos = SkipBlanks(line, pos);
            if (pos >= line.Length)
            {
                break;
            }

            char c = line[pos];
            if (c == '\\')
            {
                int after = SkipBlanks(line, pos + 1);
                if (after < line.Length)
                {
                    throw new RegFileFormatException("unexpected text after the line continuation '\\'", lineNo, after + 1);
                }

                if (_index + 1 >= _lines.Count)
                {
                    throw new RegFileFormatException("the line continuation '\\' has no next line", lineNo, pos + 1);
                }

                _index++;
                line = _lines[_index];
                lineNo = _index + 1;
                pos = 0;
                continue;
            }

            int high = HexDigit(c);
            if (high < 0)
            {
                throw new RegFileFormatException($"broken hex data: '{Printable(c)}' is not a hex digit", lineNo, pos + 1);
            }

            int value = high;
            pos++;
            if (pos < line.Length && HexDigit(line[pos]) >= 0)
            {
                value = (value << 4) | HexDigit(line[pos]);
                pos++;
                if (pos < line.Length && HexDigit(line[pos]) >= 0)
                {
                    throw new RegFileFormatException("broken hex data: a byte has at most two hex digits", lineNo, pos + 1);
                }
            }

            bytes.Add((byte)value);
            pos = SkipBlanks(line, pos);
            if (pos >= line.Length)
            {
                break;
            }

            if (line[pos] == ',')
            {
                pos++;
            }
            else if (line[pos] != '\\')
            {
                throw new RegFileFormatException(
                    char.IsAsciiLetterOrDigit(line[pos]) && HexDigit(line[pos]) < 0
                        ? $"broken hex data: '{line[pos]}' is not a hex digit"
                        : $"broken hex data: expected ',' between bytes, found '{Printable(line[pos])}'",
                    lineNo,
                    pos + 1);
            }
        }

        return [.. bytes];
    }

    private static string ParseQuoted(string line, ref int pos, int lineNo)
    {
        int start = pos;
        pos++;
        var text = new StringBuilder();
        while (true)
        {
            if (pos >= line.Length)
            {
                throw new RegFileFormatException("unterminated string: the closing quote is missing", lineNo, start + 1);
            }

            char c = line[pos];
            if (c == '"')
            {
                pos++;
                return text.ToString();
            }

            if (c == '\\')
            {
                if (pos + 1 >= line.Length)
                {
                    throw new RegFileFormatException("unterminated string: the closing quote is missing", lineNo, start + 1);
                }

                char next = line[pos + 1];
                if (next is not ('\\' or '"'))
                {
                    throw new RegFileFormatException(
                        $"unknown escape '\\{Printable(next)}' in a string: write \\\\ for a backslash and \\\" for a quote", lineNo, pos + 1);
                }

                text.Append(next);
                pos += 2;
                continue;
            }

            text.Append(c);
            pos++;
        }
    }

    private static void ExpectEnd(string line, int pos, int lineNo)
    {
        pos = SkipBlanks(line, pos);
        if (pos < line.Length)
        {
            throw new RegFileFormatException($"unexpected text after the value data: '{Printable(line[pos])}'", lineNo, pos + 1);
        }
    }

    private static (string Text, RegFileEncoding Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new RegFileFormatException($"empty file: a .reg file starts with '{Version5Header}' or '{Regedit4Header}'", 1, 1);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            throw new RegFileFormatException(
                "wrong encoding: utf-8 with a byte order mark; regedit reads utf-16le with a byte order mark (version 5.00) or ansi (REGEDIT4)", 1, 1);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new RegFileFormatException(
                "wrong encoding: utf-16 big-endian; regedit reads utf-16le with a byte order mark (version 5.00) or ansi (REGEDIT4)", 1, 1);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            ReadOnlySpan<byte> body = bytes[2..];
            if (body.Length % 2 != 0)
            {
                string complete = new(MemoryMarshal.Cast<byte, char>(body[..^1]));
                (int line, int column) = PositionAtEnd(complete);
                throw new RegFileFormatException("wrong encoding: a utf-16le file with an odd number of bytes (truncated?)", line, column);
            }

            return (new string(MemoryMarshal.Cast<byte, char>(body)), RegFileEncoding.Utf16LittleEndian);
        }

        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            int line = 1 + bytes[..nul].Count((byte)'\n');
            int column = nul - (bytes[..nul].LastIndexOf((byte)'\n') + 1) + 1;
            throw new RegFileFormatException(
                "wrong encoding: nul byte in an ansi file (utf-16 without its byte order mark?)", line, column);
        }

        char[] chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = Windows1252.ToChar(bytes[i]);
        }

        return (new string(chars), RegFileEncoding.Ansi);
    }

    private static (int Line, int Column) PositionAtEnd(string text)
    {
        int line = 1 + text.Count(c => c == '\n');
        int column = text.Length - (text.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            int stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
            lines.Add(text[start..stop]);
            start = end + 1;
        }

        return lines;
    }

    internal static bool IsTextType(RegistryValueType type) =>
        type is RegistryValueType.String or RegistryValueType.ExpandString or RegistryValueType.MultiString;

    private static int SkipBlanks(string line, int pos)
    {
        while (pos < line.Length && line[pos] is ' ' or '\t')
        {
            pos++;
        }

        return pos;
    }

    private static bool StartsWith(string line, int pos, string prefix) =>
        string.Compare(line, pos, prefix, 0, prefix.Length, StringComparison.OrdinalIgnoreCase) == 0
        && line.Length - pos >= prefix.Length;

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();
}
