using System.Text;

namespace RdLicensing.Analysis.Csv;

/// <summary>
/// A streaming RFC 4180 record reader over a <see cref="TextReader"/> the caller opened: comma-separated fields,
/// optional double-quoted fields with <c>""</c> for a quote and line breaks inside quotes, CRLF, LF or CR record ends.
/// Holds one record at a time; field and record sizes are capped so untrusted input never sizes an allocation.
/// </summary>
public sealed class CsvRecordReader
{
    /// <summary>Longest field accepted, in characters.</summary>
    public const int MaxFieldLength = 64 * 1024;

    /// <summary>Most fields accepted in one record.</summary>
    public const int MaxFields = 512;

    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _position;
    private int _length;
    private int _physicalLine = 1;
    private bool _atEnd;

    /// <summary>Reads records from <paramref name="reader"/>; the caller owns and disposes it.</summary>
    public CsvRecordReader(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
    }

    /// <summary>The fields of the current record (valid until the next <see cref="Read"/>).</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>1-based physical line on which the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>Whether the current record was a single unquoted field (a <c>#TYPE</c> line is one).</summary>
    public bool IsSingleUnquotedField { get; private set; }

    /// <summary>
    /// Reads the next non-empty record. Returns false at the end of the input.
    /// </summary>
    /// <exception cref="CsvImportException">The CSV is malformed or truncated inside a quoted field.</exception>
    public bool Read()
    {
        while (true)
        {
            _fields.Clear();
            _field.Clear();
            if (Peek() < 0)
            {
                return false;
            }

            Line = _physicalLine;
            bool anyQuoted = ReadRecord();
            if (_fields.Count == 1 && _fields[0].Length == 0 && !anyQuoted)
            {
                continue; // an empty line: Export-Csv never writes one inside the data, but editors add them at the end
            }

            IsSingleUnquotedField = _fields.Count == 1 && !anyQuoted;
            return true;
        }
    }

    private bool ReadRecord()
    {
        bool anyQuoted = false;
        while (true)
        {
            bool quoted = Peek() == '"';
            if (quoted)
            {
                anyQuoted = true;
                Next();
                ReadQuoted();
            }
            else
            {
                ReadUnquoted();
            }

            AddField();
            int c = Peek();
            if (c == ',')
            {
                Next();
                continue;
            }

            if (c < 0)
            {
                // Export-Csv ends every record with a line break. A file that stops right after a separator has lost
                // at least the rest of its last field: an empty last field would be written as "".
                if (!quoted && _fields.Count > 1 && _fields[^1].Length == 0)
                {
                    throw new CsvImportException(_physicalLine, null, "the file ends right after a comma: the file is truncated");
                }

                return anyQuoted;
            }

            if (c == '\r' || c == '\n')
            {
                EndLine();
                return anyQuoted;
            }

            // INVARIANT: only reached after a closing quote followed by something other than a separator.
            throw new CsvImportException(_physicalLine, null, $"unexpected character '{(char)c}' after a closing quote (field {_fields.Count})");
        }
    }

    private void ReadQuoted()
    {
        int startLine = _physicalLine;
        while (true)
        {
            int c = Next();
            if (c < 0)
            {
                throw new CsvImportException(startLine, null, "quoted field not closed before the end of the file: the file is truncated");
            }

            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Next();
                    Append('"');
                    continue;
                }

                return;
            }

            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _physicalLine++;
            }

            Append((char)c);
        }
    }

    private void ReadUnquoted()
    {
        while (true)
        {
            int c = Peek();
            if (c < 0 || c == ',' || c == '\r' || c == '\n')
            {
                return;
            }

            if (c == '"')
            {
                throw new CsvImportException(_physicalLine, null, $"a quote inside an unquoted field (field {_fields.Count + 1})");
            }

            Next();
            Append((char)c);
        }
    }

    private void EndLine()
    {
        if (Next() == '\r' && Peek() == '\n')
        {
            Next();
        }

        _physicalLine++;
    }

    private void Append(char c)
    {
        if (_field.Length >= MaxFieldLength)
        {
            throw new CsvImportException(_physicalLine, null, $"field {_fields.Count + 1} is longer than {MaxFieldLength} characters");
        }

        _field.Append(c);
    }

    private void AddField()
    {
        if (_fields.Count >= MaxFields)
        {
            throw new CsvImportException(Line, null, $"more than {MaxFields} fields in one record");
        }

        _fields.Add(_field.ToString());
        _field.Clear();
    }

    private int Peek()
    {
        if (_position < _length)
        {
            return _buffer[_position];
        }

        if (_atEnd)
        {
            return -1;
        }

        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (_length <= 0)
        {
            _length = 0;
            _atEnd = true;
            return -1;
        }

        return _buffer[0];
    }

    private int Next()
    {
        int c = Peek();
        if (c >= 0)
        {
            _position++;
        }

        return c;
    }
}
