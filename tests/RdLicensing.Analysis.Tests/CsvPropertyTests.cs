using CsCheck;
using RdLicensing.Analysis.Csv;

namespace RdLicensing.Analysis.Tests;

public sealed class CsvPropertyTests
{
    [Fact]
    public void Any_fields_written_the_export_csv_way_read_back_unchanged_with_their_lines()
    {
        Gen<string> field = Gen.String[Gen.Char["ab,\"\r\n x"], 0, 12];
        Gen<string[][]> records = Gen.Int[1, 4].SelectMany(width => field.Array[width].Array[1, 6]);

        records.Sample(rows =>
        {
            var text = new StringWriter();
            var writer = new ExportCsvWriter(text, [.. Enumerable.Range(0, rows[0].Length).Select(i => "c" + i)]);
            foreach (string[] row in rows)
            {
                writer.WriteRecord(row.Length == rows[0].Length ? row : [.. Enumerable.Repeat("", rows[0].Length)]);
            }

            var reader = new CsvRecordReader(new StringReader(text.ToString()));
            Assert.True(reader.Read()); // the header
            int expectedLine = 2;
            foreach (string[] row in rows)
            {
                string[] written = row.Length == rows[0].Length ? row : [.. Enumerable.Repeat("", rows[0].Length)];
                Assert.True(reader.Read());
                Assert.Equal(expectedLine, reader.Line);
                Assert.Equal(written, reader.Fields);
                expectedLine += 1 + written.Sum(f => CountLineBreaks(f));
            }

            Assert.False(reader.Read());
        });
    }

    [Fact]
    public void Cutting_an_export_anywhere_but_a_record_end_is_an_error_never_a_shorter_file()
    {
        string row = "\"20250404093012.000000-000\",\"20250105093012.000000-000\",\"3\",\"100\",\"2\",\"AB12\",\"PC01\",\"u\"\r\n";
        string text = "\"ExpirationDate\",\"IssueDate\",\"KeyPackId\",\"LicenseId\",\"LicenseStatus\",\"sHardwareId\",\"sIssuedToComputer\",\"sIssuedToUser\"\r\n" + row + row;

        for (int cut = 1; cut < text.Length - 2; cut++) // every cut, not a sample
        {
            string truncated = text[..cut];
            bool endsAtRecord = truncated.EndsWith('\n') || truncated.EndsWith('\r') || text[cut] is '\r' or '\n';
            if (endsAtRecord)
            {
                continue; // a cut between records is a shorter, well-formed file: nothing in Export-Csv output can tell
            }

            Assert.Throws<CsvImportException>(() => Imports.IssuedLicenseCsvReader.Read(new StringReader(truncated)).ToList());
        }
    }

    private static int CountLineBreaks(string field)
    {
        int count = 0;
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\n' || (field[i] == '\r' && (i + 1 >= field.Length || field[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }
}
