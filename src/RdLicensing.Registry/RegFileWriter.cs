using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Registry;

/// <summary>
/// Writes .reg files as regedit exports them: the header, a blank line, then per key "[KEY]", its values and a blank
/// line; CRLF line ends; UTF-16LE with a byte order mark (version 5.00) or ANSI (REGEDIT4).
/// </summary>
/// <remarks>
/// Hex data wraps as regedit wraps it: the writer counts columns from the start of the line, beginning with the length
/// of <c>"name"=hex(N):</c> (the escaped name, or <c>@=hex:</c>). Each byte but the last is written as "xx," (3 columns);
/// when that brings the count to 77 or more, the line ends with "\" and the next line starts with two spaces (count 2).
/// So continuation lines hold 25 bytes, and the first line holds as many bytes as fit the name's length (21 after
/// <c>"Settings"=hex:</c>); a name of 77 or more characters gets one byte before the first wrap. The last byte has no
/// comma and never wraps. A REG_SZ whose data is not one NUL-terminated string without line breaks is written as
/// hex(1) so it reads back unchanged.
/// </remarks>
internal static class RegFileWriter
{
    /// <summary>The column count at which regedit ends a hex line.</summary>
    internal const int WrapColumn = 77;

    public static byte[] Write(RegFile file)
    {
        string text = WriteText(file);
        if (file.Encoding == RegFileEncoding.Utf16LittleEndian)
        {
            byte[] bytes = new byte[2 + (text.Length * 2)];
            bytes[0] = 0xFF;
            bytes[1] = 0xFE;
            MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(bytes.AsSpan(2));
            return bytes;
        }

        byte[] ansi = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ansi[i] = Windows1252.ToByte(text[i]);
        }

        return ansi;
    }

    public static string WriteText(RegFile file)
    {
        var text = new StringBuilder();
        text.Append(file.Format == RegFileFormat.Version5 ? RegFileReader.Version5Header : RegFileReader.Regedit4Header).Append("\r\n");
        foreach (RegFileSection section in file.Sections)
        {
            text.Append("\r\n[");
            if (section.IsDeletion)
            {
                text.Append('-');
            }

            text.Append(section.KeyPath).Append("]\r\n");
            foreach (RegFileEntry entry in section.Entries)
            {
                WriteEntry(text, entry, file.Format);
            }
        }

        text.Append("\r\n");
        return text.ToString();
    }

    private static void WriteEntry(StringBuilder text, RegFileEntry entry, RegFileFormat format)
    {
        int lineStart = text.Length;
        if (entry.IsDefault)
        {
            text.Append('@');
        }
        else
        {
            text.Append('"').Append(Escape(entry.Name)).Append('"');
        }

        text.Append('=');
        RegistryValue? value = entry.Value;
        if (value is null)
        {
            text.Append("-\r\n");
            return;
        }

        if (value.Type == RegistryValueType.String && TryGetPlainString(value.Data, out string plain))
        {
            text.Append('"').Append(Escape(plain)).Append('"');
        }
        else if (value.TryGetDWord(out uint dword))
        {
            text.Append("dword:").Append(dword.ToString("x8", CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append(value.Type == RegistryValueType.Binary
                ? "hex:"
                : "hex(" + ((uint)value.Type).ToString("x", CultureInfo.InvariantCulture) + "):");
            ReadOnlySpan<byte> data = value.Data;
            if (format == RegFileFormat.Regedit4 && RegFileReader.IsTextType(value.Type) && data.Length % 2 == 0)
            {
                ReadOnlySpan<char> chars = MemoryMarshal.Cast<byte, char>(data);
                byte[] ansi = new byte[chars.Length];
                for (int i = 0; i < chars.Length; i++)
                {
                    ansi[i] = Windows1252.ToByte(chars[i]);
                }

                data = ansi;
            }

            AppendHex(text, data, text.Length - lineStart);
        }

        text.Append("\r\n");
    }

    private static void AppendHex(StringBuilder text, ReadOnlySpan<byte> data, int column)
    {
        for (int i = 0; i < data.Length; i++)
        {
            text.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
            if (i == data.Length - 1)
            {
                break;
            }

            text.Append(',');
            column += 3;
            if (column >= WrapColumn)
            {
                text.Append("\\\r\n  ");
                column = 2;
            }
        }
    }

    private static bool TryGetPlainString(ReadOnlySpan<byte> data, out string text)
    {
        text = "";
        if (data.Length < 2 || data.Length % 2 != 0)
        {
            return false;
        }

        ReadOnlySpan<char> chars = MemoryMarshal.Cast<byte, char>(data);
        if (chars[^1] != '\0' || chars[..^1].IndexOfAny('\0', '\r', '\n') >= 0)
        {
            return false;
        }

        text = new string(chars[..^1]);
        return true;
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
