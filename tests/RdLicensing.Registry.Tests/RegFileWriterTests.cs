namespace RdLicensing.Registry.Tests;

public sealed class RegFileWriterTests
{
    private static string Line(string name, RegistryValue value)
    {
        var file = new RegFile(RegFileFormat.Version5, [new RegFileSection("HKEY_CURRENT_USER\\X", false, [new RegFileEntry(name, value)])]);
        string text = file.ToText();
        const string head = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n";
        Assert.StartsWith(head, text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        return text[head.Length..^4];
    }

    [Fact]
    public void Hex_wraps_like_a_real_stuckrects_export()
    {
        // A real regedit export of StuckRects3\Settings: 21 bytes on the first line, 25 on the next.
        byte[] data = Convert.FromHexString(
            "30000000feffffff02000000030000003000000028" + "00000000000000d8" + "02000000" + "04000000" + "03000060" + "00000001" + "00" + "0000");

        string line = Line("Settings", RegistryValue.FromBinary(data));

        Assert.Equal(
            "\"Settings\"=hex:30,00,00,00,fe,ff,ff,ff,02,00,00,00,03,00,00,00,30,00,00,00,28,\\\r\n"
            + "  00,00,00,00,00,00,00,d8,02,00,00,00,04,00,00,00,03,00,00,60,00,00,00,01,00,\\\r\n"
            + "  00,00",
            line);
    }

    [Theory]
    [InlineData("ShellState", 20)]
    [InlineData("Settings", 21)]
    [InlineData("binval", 22)]
    [InlineData("thisisabinaryvaluewithquitealongnamehowaboutthat", 8)]
    public void The_first_line_holds_as_many_bytes_as_the_name_leaves_room_for(string name, int firstLineBytes)
    {
        string line = Line(name, RegistryValue.FromBinary(new byte[200]));

        string[] lines = line.Split("\r\n");
        Assert.Equal(firstLineBytes, lines[0].Split(':')[1].Count(c => c == ','));
        Assert.All(lines[1..^1], l => Assert.Equal(25, l.Count(c => c == ',')));
        Assert.All(lines[1..], l => Assert.StartsWith("  ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 80 || l == lines[0], l));
    }

    [Fact]
    public void A_very_long_name_wraps_after_the_first_byte()
    {
        string name = new('a', 80);

        Assert.Equal($"\"{name}\"=hex:ab,\\\r\n  32,12", Line(name, RegistryValue.FromBinary([0xAB, 0x32, 0x12])));
    }

    [Fact]
    public void The_escaped_name_counts_toward_the_first_line()
    {
        // "a\"b"=hex: is 11 columns: 22 bytes fit (11 + 66 = 77).
        string line = Line("a\"b", RegistryValue.FromBinary(new byte[30]));

        Assert.StartsWith("\"a\\\"b\"=hex:", line, StringComparison.Ordinal);
        Assert.Equal(22, line.Split("\r\n")[0].Split(':')[1].Count(c => c == ','));
    }

    [Fact]
    public void Values_are_written_in_regedit_forms()
    {
        Assert.Equal("\"s\"=\"a\\\\b\\\"c\"", Line("s", RegistryValue.FromString("a\\b\"c")));
        Assert.Equal("@=\"\"", Line("", RegistryValue.FromString("")));
        Assert.Equal("\"d\"=dword:0000002a", Line("d", RegistryValue.FromDWord(42)));
        Assert.Equal("\"q\"=hex(b):2a,00,00,00,00,00,00,00", Line("q", RegistryValue.FromQWord(42)));
        Assert.Equal("\"e\"=hex(2):25,00,00,00", Line("e", RegistryValue.FromExpandString("%")));
        Assert.Equal("\"m\"=hex(7):61,00,00,00,00,00", Line("m", RegistryValue.FromMultiString(["a"])));
        Assert.Equal("\"n\"=hex(0):", Line("n", RegistryValue.FromNone([])));
        Assert.Equal("\"x\"=hex(a):01", Line("x", RegistryValue.FromRaw((RegistryValueType)10, [1])));
        Assert.Equal("\"lf\"=hex(1):61,00,0a,00,00,00", Line("lf", RegistryValue.FromString("a\n")));
    }

    [Fact]
    public void Regedit4_writes_string_data_as_ansi_and_unmappable_characters_as_question_marks()
    {
        var file = new RegFile(RegFileFormat.Regedit4,
        [
            new RegFileSection("HKEY_CURRENT_USER\\X", false,
            [
                new RegFileEntry("e", RegistryValue.FromExpandString("é€")),
                new RegFileEntry("s", RegistryValue.FromString("許")),
            ]),
        ]);

        byte[] bytes = file.ToBytes();

        string text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Contains("\"e\"=hex(2):e9,80,00\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"s\"=\"?\"\r\n", text, StringComparison.Ordinal);
    }
}
