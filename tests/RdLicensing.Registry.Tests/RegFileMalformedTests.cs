namespace RdLicensing.Registry.Tests;

public sealed class RegFileMalformedTests
{
    private const string H = "Windows Registry Editor Version 5.00\n\n";
    private const string K = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n";

    [Theory]
    [InlineData("REGEDIT5\n\n" + K, 1, 1, "bad header")]
    [InlineData("\nWindows Registry Editor Version 5.00\n", 1, 1, "bad header")]
    [InlineData(H + "\"A\"=\"b\"\n", 3, 1, "value before any key")]
    [InlineData(H + K + "\"A\"=hex:01,0g,02\n", 4, 13, "broken hex data: 'g' is not a hex digit")]
    [InlineData(H + K + "\"A\"=hex:01,,02\n", 4, 12, "broken hex data: ',' is not a hex digit")]
    [InlineData(H + K + "\"A\"=hex:012\n", 4, 11, "at most two hex digits")]
    [InlineData(H + K + "\"A\"=hex:01 02\n", 4, 12, "expected ','")]
    [InlineData(H + K + "\"A\"=hex:01,\\\n  02,zz\n", 5, 6, "broken hex data")]
    [InlineData(H + K + "\"A\"=hex:01,\\", 4, 12, "no next line")]
    [InlineData(H + K + "\"A\"=hex(2:01\n", 4, 10, "bad value type")]
    [InlineData(H + K + "\"A\"=hex(123456789):01\n", 4, 17, "more than 8 hex digits")]
    [InlineData(H + K + "\"A\"=hexx:01\n", 4, 8, "expected ':'")]
    [InlineData(H + K + "\"A\"=\"unterminated\n", 4, 5, "unterminated string")]
    [InlineData(H + K + "\"A=\"b\"\n", 4, 5, "expected '='")]
    [InlineData(H + K + "\"unterminated name\n", 4, 1, "unterminated string")]
    [InlineData(H + K + "\"A\"=\"C:\\Windows\"\n", 4, 8, "unknown escape")]
    [InlineData(H + K + "\"A\"=dword:123456789\n", 4, 19, "more than 8 hex digits")]
    [InlineData(H + K + "\"A\"=dword:\n", 4, 11, "1 to 8 hex digits")]
    [InlineData(H + K + "\"A\"=dword:12 x\n", 4, 14, "unexpected text after the value data")]
    [InlineData(H + K + "\"A\"=\n", 4, 5, "missing value data")]
    [InlineData(H + K + "\"A\"=word:1\n", 4, 5, "unknown value data")]
    [InlineData(H + K + "\"A\"=\"b\" c\n", 4, 9, "unexpected text after the value data")]
    [InlineData(H + "[HKEY_LOCAL_MACHINE\\SOFTWARE\n", 3, 29, "']' is missing")]
    [InlineData(H + "[HKEY_LOCAL\\SOFTWARE]\n", 3, 2, "unknown root key 'HKEY_LOCAL'")]
    [InlineData(H + "[HKLM\\SOFTWARE]\n", 3, 2, "unknown root key 'HKLM'")]
    [InlineData(H + "[HKEY_LOCAL_MACHINE\\\\SOFTWARE]\n", 3, 21, "empty key name")]
    [InlineData(H + "[HKEY_LOCAL_MACHINE\\A] x\n", 3, 24, "unexpected text after ']'")]
    [InlineData(H + "[-HKEY_LOCAL_MACHINE\\A]\n\"A\"=\"b\"\n", 4, 1, "cannot have values")]
    [InlineData(H + K + "A=\"b\"\n", 4, 1, "unexpected text")]
    public void Malformed_text_is_rejected_with_line_and_column(string text, int line, int column, string reason)
    {
        foreach (byte[] bytes in new[] { Fixture.Utf16(text), Fixture.Ansi(text) })
        {
            RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse(bytes));

            Assert.Equal(line, error.Line);
            Assert.Equal(column, error.Column);
            Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
            Assert.StartsWith($"line {line}, column {column}: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Utf8_with_a_byte_order_mark_is_the_wrong_encoding()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Fixture.Ansi(H + K)];

        RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse(bytes));

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.StartsWith("wrong encoding: utf-8", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_big_endian_is_the_wrong_encoding()
    {
        byte[] bytes = [0xFE, 0xFF, .. System.Text.Encoding.BigEndianUnicode.GetBytes(H)];

        RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse(bytes));

        Assert.StartsWith("wrong encoding: utf-16 big-endian", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_without_its_byte_order_mark_is_the_wrong_encoding()
    {
        byte[] bytes = System.Text.Encoding.Unicode.GetBytes(H + K);

        RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse(bytes));

        Assert.Equal((1, 2), (error.Line, error.Column));
        Assert.StartsWith("wrong encoding: nul byte", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_utf16_file_is_rejected_where_it_ends()
    {
        byte[] bytes = Fixture.Utf16(H + K + "\"A\"=\"b\"");

        RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse(bytes[..^1]));

        Assert.Equal((4, 7), (error.Line, error.Column));
        Assert.Contains("odd number of bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        RegFileFormatException error = Assert.Throws<RegFileFormatException>(() => RegFile.Parse([]));

        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void Nothing_is_half_imported_when_the_file_is_malformed_late()
    {
        var registry = new RegistryModel();
        byte[] bytes = Fixture.Utf16(H + K + "\"A\"=\"b\"\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Y]\n\"B\"=hex:zz\n");

        Assert.Throws<RegFileFormatException>(() => registry.Import(RegFile.Parse(bytes)));

        Assert.True(registry.IsEmpty);
    }

    [Fact]
    public void Import_checks_every_path_before_changing_anything()
    {
        var registry = new RegistryModel();
        var file = new RegFile(RegFileFormat.Version5,
        [
            new RegFileSection("HKEY_LOCAL_MACHINE\\A", false, [new RegFileEntry("x", RegistryValue.FromDWord(1))]),
            new RegFileSection("HKEY_NOWHERE\\B", false, []),
        ]);

        Assert.Throws<ArgumentException>(() => registry.Import(file));

        Assert.True(registry.IsEmpty);
    }
}
