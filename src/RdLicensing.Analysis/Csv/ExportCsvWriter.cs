namespace RdLicensing.Analysis.Csv;

/// <summary>
/// Writes CSV the way Windows PowerShell's <c>Export-Csv</c> does, so that <c>Import-Csv</c> and other Windows tooling read
/// it: an optional <c>#TYPE</c> line, a header, every field in double quotes (quotes doubled), CRLF line ends.
/// </summary>
public sealed class ExportCsvWriter
{
    private readonly TextWriter _writer;
    private readonly int _columns;

    /// <summary>Writes the <c>#TYPE</c> line (when <paramref name="typeName"/> is given) and the header to <paramref name="writer"/>.</summary>
    public ExportCsvWriter(TextWriter writer, IReadOnlyList<string> header, string? typeName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        _writer = writer;
        _columns = header.Count;
        if (typeName is not null)
        {
            _writer.Write("#TYPE ");
            _writer.Write(typeName);
            _writer.Write("\r\n");
        }

        WriteRecord(header);
    }

    /// <summary>Writes one record; it must have as many fields as the header.</summary>
    public void WriteRecord(IReadOnlyList<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count != _columns)
        {
            throw new ArgumentException($"{fields.Count} fields where the header has {_columns}", nameof(fields));
        }

        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            _writer.Write('"');
            _writer.Write((fields[i] ?? "").Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }

        _writer.Write("\r\n");
    }
}
