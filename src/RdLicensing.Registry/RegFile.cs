namespace RdLicensing.Registry;

/// <summary>The header a .reg file starts with.</summary>
public enum RegFileFormat
{
    /// <summary>"Windows Registry Editor Version 5.00": what regedit writes since Windows 2000, UTF-16LE with a byte order mark.</summary>
    Version5,

    /// <summary>"REGEDIT4": the older ANSI format; string data in hex(1)/hex(2)/hex(7) is ANSI bytes, not UTF-16.</summary>
    Regedit4,
}

/// <summary>The character encoding of a .reg file.</summary>
public enum RegFileEncoding
{
    /// <summary>UTF-16 little-endian with the byte order mark FF FE (regedit's "Registration Files").</summary>
    Utf16LittleEndian,

    /// <summary>ANSI, read and written as Windows-1252 (regedit's "Win9x/NT4 Registration Files").</summary>
    Ansi,
}

/// <summary>
/// A .reg file: its format and encoding and its key sections in order. It is a list of changes (what regedit imports),
/// not a registry: apply it with <see cref="RegistryModel.Import"/>. Read with <see cref="Parse"/>, write with
/// <see cref="ToBytes"/>; a file regedit wrote comes back byte for byte.
/// </summary>
public sealed class RegFile
{
    /// <summary>A file in a format, in that format's usual encoding (UTF-16LE for version 5.00, ANSI for REGEDIT4).</summary>
    public RegFile(RegFileFormat format, IReadOnlyList<RegFileSection> sections)
        : this(format, format == RegFileFormat.Version5 ? RegFileEncoding.Utf16LittleEndian : RegFileEncoding.Ansi, sections)
    {
    }

    /// <summary>A file in a format and an explicit encoding.</summary>
    public RegFile(RegFileFormat format, RegFileEncoding encoding, IReadOnlyList<RegFileSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        Format = format;
        Encoding = encoding;
        Sections = sections;
    }

    /// <summary>The header.</summary>
    public RegFileFormat Format { get; }

    /// <summary>The character encoding.</summary>
    public RegFileEncoding Encoding { get; }

    /// <summary>The key sections in file order.</summary>
    public IReadOnlyList<RegFileSection> Sections { get; }

    /// <summary>Reads a .reg file; malformed input throws <see cref="RegFileFormatException"/> with line and column.</summary>
    public static RegFile Parse(ReadOnlySpan<byte> bytes) => RegFileReader.Read(bytes);

    /// <summary>The file's bytes as regedit writes them (byte order mark, CRLF, hex data wrapped at 80 columns).</summary>
    public byte[] ToBytes() => RegFileWriter.Write(this);

    /// <summary>The file's text (without byte order mark), as regedit lays it out.</summary>
    public string ToText() => RegFileWriter.WriteText(this);
}

/// <summary>One <c>[KEY]</c> or <c>[-KEY]</c> section.</summary>
/// <param name="KeyPath">The full key path as written (root name first).</param>
/// <param name="IsDeletion">True for <c>[-KEY]</c>: delete the key with everything under it.</param>
/// <param name="Entries">The value lines, in order.</param>
public sealed record RegFileSection(string KeyPath, bool IsDeletion, IReadOnlyList<RegFileEntry> Entries);

/// <summary>One value line: set a value, or delete it (<c>"name"=-</c>) when <see cref="Value"/> is null.</summary>
/// <param name="Name">The value name; "" is the default value (written <c>@</c>).</param>
/// <param name="Value">The value to set, or null to delete the value.</param>
public sealed record RegFileEntry(string Name, RegistryValue? Value)
{
    /// <summary>True for the default value (<c>@</c>).</summary>
    public bool IsDefault => Name.Length == 0;

    /// <summary>True for <c>"name"=-</c>.</summary>
    public bool IsDeletion => Value is null;
}

/// <summary>A malformed .reg file: what is wrong and where (1-based line and column, in characters).</summary>
public sealed class RegFileFormatException : FormatException
{
    /// <summary>Creates the exception; the message is "line L, column C: reason".</summary>
    public RegFileFormatException(string reason, int line, int column)
        : base($"line {line}, column {column}: {reason}")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, lower-case, without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>1-based column number (characters).</summary>
    public int Column { get; }
}
