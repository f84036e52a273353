using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace RdLicensing.Storage.Postgres;

/// <summary>
/// Rows already fetched (each value as Npgsql returned it, <see cref="DBNull"/> for NULL) read again through the
/// <see cref="DbDataReader"/> surface, so the session's row readers can make fresh domain objects from them each time a
/// fetched-ahead read is served. Forward only, one result set; the columns have no names here.
/// </summary>
internal sealed class BufferedRows : DbDataReader
{
    private readonly IReadOnlyList<object[]> _rows;
    private int _index = -1;

    public BufferedRows(IReadOnlyList<object[]> rows) => _rows = rows;

    /// <summary>Copies every row of the reader's current result set.</summary>
    public static List<object[]> Fetch(DbDataReader reader)
    {
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }

    private object[] Row => _index >= 0 && _index < _rows.Count ? _rows[_index] : throw new InvalidOperationException("no current row: call Read first");

    public override int Depth => 0;

    public override int FieldCount => _rows.Count == 0 ? 0 : _rows[0].Length;

    public override bool HasRows => _rows.Count > 0;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => throw new NotSupportedException("buffered rows are read by ordinal");

    public override bool Read() => ++_index < _rows.Count;

    public override bool NextResult() => false;

    public override object GetValue(int ordinal) => Row[ordinal];

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int count = Math.Min(values.Length, Row.Length);
        Array.Copy(Row, values, count);
        return count;
    }

    public override bool IsDBNull(int ordinal) => Row[ordinal] is DBNull;

    public override string GetString(int ordinal) => (string)Row[ordinal];

    public override bool GetBoolean(int ordinal) => (bool)Row[ordinal];

    public override short GetInt16(int ordinal) => Convert.ToInt16(Row[ordinal], CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Convert.ToInt32(Row[ordinal], CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => Convert.ToInt64(Row[ordinal], CultureInfo.InvariantCulture);

    public override byte GetByte(int ordinal) => Convert.ToByte(Row[ordinal], CultureInfo.InvariantCulture);

    public override char GetChar(int ordinal) => Convert.ToChar(Row[ordinal], CultureInfo.InvariantCulture);

    public override DateTime GetDateTime(int ordinal) => Convert.ToDateTime(Row[ordinal], CultureInfo.InvariantCulture);

    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(Row[ordinal], CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => Convert.ToDouble(Row[ordinal], CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Convert.ToSingle(Row[ordinal], CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => (Guid)Row[ordinal];

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        Copy((byte[])Row[ordinal], dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        Copy(((string)Row[ordinal]).ToCharArray(), dataOffset, buffer, bufferOffset, length);

    public override Type GetFieldType(int ordinal) => Row[ordinal].GetType();

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override string GetName(int ordinal) => throw new NotSupportedException("buffered rows are read by ordinal");

    public override int GetOrdinal(string name) => throw new NotSupportedException("buffered rows are read by ordinal");

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    private static long Copy<TItem>(TItem[] source, long dataOffset, TItem[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null)
        {
            return source.Length;
        }

        int start = (int)Math.Clamp(dataOffset, 0, source.Length);
        int count = Math.Min(length, source.Length - start);
        Array.Copy(source, start, buffer, bufferOffset, count);
        return count;
    }
}
