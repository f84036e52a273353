using RdLicensing.Analysis.Csv;

namespace RdLicensing.Analysis.Tests;

public sealed class CsvRecordReaderTests
{
    private static List<(int Line, string[] Fields)> ReadAll(string text)
    {
        var reader = new CsvRecordReader(new StringReader(text));
        var records = new List<(int, string[])>();
        while (reader.Read())
        {
            records.Add((reader.Line, [.. reader.Fields]));
        }

        return records;
    }

    [Fact]
    public void Reads_quoted_fields_with_doubled_quotes_commas_and_line_breaks_and_keeps_physical_line_numbers()
    {
        var records = ReadAll("\"a\",\"b\"\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",plain\r\n\"last\",\"\"\r\n");

        Assert.Equal(4, records.Count);
        Assert.Equal(1, records[0].Line);
        Assert.Equal(new[] { "a", "b" }, records[0].Fields);
        Assert.Equal(new[] { "x, y", "say \"hi\"" }, records[1].Fields);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(new[] { "two\r\nlines", "plain" }, records[2].Fields);
        Assert.Equal(5, records[3].Line);
        Assert.Equal(new[] { "last", "" }, records[3].Fields);
    }

    [Theory]
    [InlineData("a,b\nc,d", 2)]
    [InlineData("a,b\rc,d\r", 2)]
    [InlineData("a,b\n\n\nc,d\n\n", 4)]
    public void Accepts_lf_cr_and_blank_lines(string text, int lineOfSecond)
    {
        var records = ReadAll(text);

        Assert.Equal(2, records.Count);
        Assert.Equal(new[] { "c", "d" }, records[1].Fields);
        Assert.Equal(lineOfSecond, records[1].Line);
    }

    [Theory]
    [InlineData("\"a\",\"b\"\r\n\"c\",\"unterminated\r\nmore", 2, "truncated")]
    [InlineData("\"a\",\"b\"x\r\n", 1, "after a closing quote")]
    [InlineData("\"a\",\"b\"\r\n\"c\",", 2, "ends right after a comma")]
    [InlineData("a\r\nb\"c\r\n", 2, "quote inside an unquoted field")]
    public void Malformed_csv_fails_with_the_line(string text, int line, string reason)
    {
        var error = Assert.Throws<CsvImportException>(() => ReadAll(text));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_longer_than_the_cap_fails_instead_of_growing()
    {
        string text = "\"" + new string('x', CsvRecordReader.MaxFieldLength + 10) + "\"\r\n";

        var error = Assert.Throws<CsvImportException>(() => ReadAll(text));

        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_output_reads_back_field_for_field()
    {
        var text = new StringWriter();
        var writer = new ExportCsvWriter(text, ["A", "B"], "Some.Type");
        writer.WriteRecord(["with \"quotes\", commas", "line\r\nbreak"]);
        writer.WriteRecord([null, ""]);

        var records = ReadAll(text.ToString());

        Assert.StartsWith("#TYPE Some.Type\r\n\"A\",\"B\"\r\n", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "with \"quotes\", commas", "line\r\nbreak" }, records[2].Fields);
        Assert.Equal(new[] { "", "" }, records[3].Fields);
    }
}
