namespace RdLicensing.Analysis.Csv;

/// <summary>
/// A CSV export could not be read: malformed CSV, a truncated file, an unknown or missing column, a bad value. Carries the
/// 1-based physical line where the problem is and, when known, the column name. Nothing read before the error is a
/// complete result: callers must discard it.
/// </summary>
public sealed class CsvImportException : FormatException
{
    /// <summary>Creates the error for <paramref name="line"/> (1-based) and, optionally, a column.</summary>
    public CsvImportException(int line, string? column, string reason)
        : base(Describe(line, column, reason))
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>1-based physical line of the file where the problem is.</summary>
    public int Line { get; }

    /// <summary>The column name (as in the header) the problem is in, or null when it concerns the whole record.</summary>
    public string? Column { get; }

    /// <summary>The reason alone, without the position.</summary>
    public string Reason { get; }

    private static string Describe(int line, string? column, string reason) =>
        column is null ? $"line {line}: {reason}" : $"line {line}, column '{column}': {reason}";
}
