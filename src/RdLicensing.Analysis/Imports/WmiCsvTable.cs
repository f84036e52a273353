using RdLicensing.Analysis.Csv;

namespace RdLicensing.Analysis.Imports;

/// <summary>
/// The shared part of reading a WMI class exported with <c>Export-Csv</c>: the optional <c>#TYPE</c> line
/// (<c>System.Management.ManagementObject#root\cimv2\Class</c> from Get-WmiObject,
/// <c>Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Class</c> from Get-CimInstance), the header, the system
/// columns both cmdlets add (ignored), the class's own columns (each at most once; the required ones must be there; any
/// other column is an error), and one record at a time with the number of fields the header has.
/// </summary>
public sealed class WmiCsvTable
{
    /// <summary>Columns Get-WmiObject (__GENUS…, the ManagementObject properties) and Get-CimInstance (Cim…) add.</summary>
    public static readonly IReadOnlySet<string> SystemColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "__GENUS", "__CLASS", "__SUPERCLASS", "__DYNASTY", "__RELPATH", "__PROPERTY_COUNT", "__DERIVATION", "__SERVER",
        "__NAMESPACE", "__PATH", "PSComputerName", "PSShowComputerName", "CimClass", "CimInstanceProperties", "CimSystemProperties",
        "Scope", "Path", "Options", "ClassPath", "Properties", "SystemProperties", "Qualifiers", "Site", "Container",
    };

    private readonly CsvRecordReader _reader;
    private readonly string _className;
    private readonly int[] _indexOf;
    private readonly string[] _columns;
    private readonly int _fieldCount;
    private readonly int _classColumn;

    private WmiCsvTable(CsvRecordReader reader, string className, string[] columns, int[] indexOf, int fieldCount, int classColumn)
    {
        _reader = reader;
        _className = className;
        _columns = columns;
        _indexOf = indexOf;
        _fieldCount = fieldCount;
        _classColumn = classColumn;
    }

    /// <summary>1-based line of the current record.</summary>
    public int Line => _reader.Line;

    /// <summary>
    /// Reads the <c>#TYPE</c> line (if any) and the header of an export of <paramref name="className"/>.
    /// <paramref name="columns"/> are the class's properties; <paramref name="required"/> those that must be present.
    /// </summary>
    public static WmiCsvTable Open(TextReader text, string className, IReadOnlyList<string> columns, IReadOnlyCollection<string> required)
    {
        var reader = new CsvRecordReader(text);
        if (!reader.Read())
        {
            throw new CsvImportException(1, null, $"the file is empty: expected an Export-Csv of {className}");
        }

        if (reader.IsSingleUnquotedField && reader.Fields[0].StartsWith('#'))
        {
            CheckTypeLine(reader.Fields[0], className, reader.Line);
            if (!reader.Read())
            {
                throw new CsvImportException(reader.Line + 1, null, "no header line after the #TYPE line: the file is truncated");
            }
        }

        int headerLine = reader.Line;
        var indexOf = new int[columns.Count];
        Array.Fill(indexOf, -1);
        int classColumn = -1;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < reader.Fields.Count; i++)
        {
            string name = reader.Fields[i].Trim();
            if (!seen.Add(name))
            {
                throw new CsvImportException(headerLine, name, "column appears twice in the header");
            }

            int known = IndexOf(columns, name);
            if (known >= 0)
            {
                indexOf[known] = i;
            }
            else if (string.Equals(name, "__CLASS", StringComparison.OrdinalIgnoreCase))
            {
                classColumn = i;
            }
            else if (!SystemColumns.Contains(name))
            {
                throw new CsvImportException(headerLine, name,
                    $"unknown column for {className} (expected {string.Join(", ", columns)} and the WMI/CIM system columns)");
            }
        }

        string[] missing = [.. required.Where(r => indexOf[IndexOf(columns, r)] < 0)];
        if (missing.Length > 0)
        {
            throw new CsvImportException(headerLine, null,
                $"missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}: is this an export of {className}?");
        }

        return new WmiCsvTable(reader, className, [.. columns], indexOf, reader.Fields.Count, classColumn);
    }

    /// <summary>Advances to the next data record; false at the end of the file.</summary>
    public bool Read()
    {
        if (!_reader.Read())
        {
            return false;
        }

        if (_reader.Fields.Count != _fieldCount)
        {
            string hint = _reader.Fields.Count < _fieldCount ? ": the record or the file is truncated" : "";
            throw new CsvImportException(_reader.Line, null, $"{_reader.Fields.Count} fields where the header has {_fieldCount}{hint}");
        }

        if (_classColumn >= 0 && !string.Equals(_reader.Fields[_classColumn], _className, StringComparison.OrdinalIgnoreCase))
        {
            throw new CsvImportException(_reader.Line, "__CLASS", $"a '{_reader.Fields[_classColumn]}' object in an export of {_className}");
        }

        return true;
    }

    /// <summary>Whether the header has column <paramref name="column"/> (an index into the class's columns).</summary>
    public bool Has(int column) => _indexOf[column] >= 0;

    /// <summary>The raw text of column <paramref name="column"/> in the current record, or null when the header lacks it.</summary>
    public string? Raw(int column) => _indexOf[column] < 0 ? null : _reader.Fields[_indexOf[column]];

    /// <summary>The name of column <paramref name="column"/>.</summary>
    public string Name(int column) => _columns[column];

    /// <summary>An error at the current record, in column <paramref name="column"/>.</summary>
    public CsvImportException Error(int column, string reason) => new(_reader.Line, _columns[column], reason);

    /// <summary>The text of a required column; empty text is an error.</summary>
    public string Required(int column)
    {
        string? raw = Raw(column);
        return string.IsNullOrWhiteSpace(raw) ? throw Error(column, "empty value") : raw.Trim();
    }

    /// <summary>Longest identifier accepted (a WMI uint32 has 10 digits; our ids are shorter than this).</summary>
    public const int MaxIdentifierLength = 64;

    /// <summary>An identifier: non-empty, at most <see cref="MaxIdentifierLength"/> characters, no control characters.</summary>
    public string Identifier(int column)
    {
        string text = Required(column);
        if (text.Length > MaxIdentifierLength || text.Any(char.IsControl))
        {
            throw Error(column, $"'{Shorten(text)}' is not an identifier (at most {MaxIdentifierLength} printable characters)");
        }

        return text;
    }

    /// <summary>An unsigned 32-bit number (the WMI uint32 columns).</summary>
    public uint UInt32(int column)
    {
        string text = Required(column);
        return uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw Error(column, $"'{Shorten(text)}' is not an unsigned 32-bit number");
    }

    /// <summary>A date (DMTF or culture text).</summary>
    public DateTimeOffset Date(int column, WmiImportOptions options) =>
        WmiDateTime.TryParse(Required(column), options.DateOrder, options.AssumedOffset, out DateTimeOffset value, out string? reason)
            ? value
            : throw Error(column, reason!);

    private static void CheckTypeLine(string line, string className, int lineNumber)
    {
        if (!line.StartsWith("#TYPE ", StringComparison.Ordinal))
        {
            throw new CsvImportException(lineNumber, null, $"unexpected line '{Shorten(line)}': only a #TYPE line may start with '#'");
        }

        string type = line["#TYPE ".Length..].Trim();
        int cut = Math.Max(type.LastIndexOf('\\'), Math.Max(type.LastIndexOf('/'), type.LastIndexOf('#')));
        string named = cut >= 0 ? type[(cut + 1)..] : type;
        bool selected = type.StartsWith("Selected.", StringComparison.OrdinalIgnoreCase) || type.StartsWith("System.Management.Automation.PSCustomObject", StringComparison.Ordinal);
        if (!selected && !string.Equals(named, className, StringComparison.OrdinalIgnoreCase))
        {
            throw new CsvImportException(lineNumber, null, $"the #TYPE line names '{Shorten(type)}', expected an export of {className}");
        }
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>How to read values whose meaning the export leaves open.</summary>
/// <param name="DateOrder">Day/month order of culture dates written with '/'.</param>
/// <param name="AssumedOffset">UTC offset of culture dates (they carry none); DMTF dates carry their own.</param>
public sealed record WmiImportOptions(DateOrder DateOrder = DateOrder.MonthFirst, TimeSpan AssumedOffset = default)
{
    /// <summary>Month-first culture dates, taken as UTC.</summary>
    public static WmiImportOptions Default { get; } = new();
}
