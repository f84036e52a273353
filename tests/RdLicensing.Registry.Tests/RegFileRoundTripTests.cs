namespace RdLicensing.Registry.Tests;

public sealed class RegFileRoundTripTests
{
    [Theory]
    [InlineData("all-types-v5.reg")]
    [InlineData("all-types-regedit4.reg")]
    public void A_file_written_as_regedit_writes_it_round_trips_byte_exact(string name)
    {
        byte[] original = Fixture.Read(name);

        byte[] written = RegFile.Parse(original).ToBytes();

        Assert.Equal(original, written);
    }

    [Fact]
    public void Version5_fixture_reads_every_value_type()
    {
        RegFile file = RegFile.Parse(Fixture.Read("all-types-v5.reg"));

        Assert.Equal(RegFileFormat.Version5, file.Format);
        Assert.Equal(RegFileEncoding.Utf16LittleEndian, file.Encoding);
        RegFileSection section = file.Sections.Single(s => s.KeyPath.EndsWith("Every Type", StringComparison.Ordinal));
        RegistryValue Get(string n) => section.Entries.Single(e => e.Name == n).Value!;

        Assert.True(Get("").TryGetString(out string defaultText));
        Assert.Equal("the default value", defaultText);
        Assert.True(Get("String").TryGetString(out string s));
        Assert.Equal("C:\\Program Files\\RdLicensing \"quoted\"", s);
        Assert.True(Get("Unicode").TryGetString(out string unicode));
        Assert.Equal("Grüße – 許可 ✓", unicode);
        Assert.Equal(RegistryValueType.ExpandString, Get("Expand").Type);
        Assert.True(Get("Expand").TryGetString(out string expand));
        Assert.Equal("%SystemRoot%\\System32\\rdlic.exe", expand);
        Assert.True(Get("Multi").TryGetMultiString(out IReadOnlyList<string> multi));
        Assert.Equal(["a", "bc"], multi);
        Assert.True(Get("DWord").TryGetDWord(out uint dword));
        Assert.Equal(0xFFFFFFFFu, dword);
        Assert.True(Get("QWord").TryGetQWord(out ulong qword));
        Assert.Equal(0x0123456789ABCDEFul, qword);
        Assert.Equal(RegistryValueType.Binary, Get("Settings").Type);
        Assert.Equal(48, Get("Settings").Data.Length);
        Assert.Equal(0, Get("EmptyBinary").Data.Length);
        Assert.Equal(RegistryValueType.None, Get("None").Type);
        Assert.Equal([1, 2, 3], Get("None").Data.ToArray());
        Assert.Equal(RegistryValueType.DWordBigEndian, Get("BigEndian").Type);
        Assert.False(Get("ShortDWord").TryGetDWord(out _));
        Assert.Equal((RegistryValueType)0x100, Get("Custom").Type);
        Assert.Equal([0xAB, 0x32, 0x12], section.Entries.Single(e => e.Name.StartsWith("A value name", StringComparison.Ordinal)).Value!.Data.ToArray());

        RegFileSection defaults = file.Sections.Single(x => x.KeyPath.EndsWith("Defaults", StringComparison.Ordinal));
        Assert.Equal(60, defaults.Entries[0].Value!.Data.Length);
        Assert.True(defaults.Entries[1].IsDeletion);
        Assert.True(defaults.Entries[2].IsDefault && defaults.Entries[2].IsDeletion);
        Assert.True(file.Sections[^1].IsDeletion);
        Assert.Empty(file.Sections.Single(x => x.KeyPath.EndsWith("Empty Key", StringComparison.Ordinal)).Entries);
    }

    [Fact]
    public void Regedit4_string_data_is_ansi_in_the_file_and_utf16_in_the_registry()
    {
        RegFile file = RegFile.Parse(Fixture.Read("all-types-regedit4.reg"));

        Assert.Equal(RegFileFormat.Regedit4, file.Format);
        Assert.Equal(RegFileEncoding.Ansi, file.Encoding);
        RegFileSection section = file.Sections.Single(s => s.KeyPath.EndsWith("Every Type", StringComparison.Ordinal));
        RegistryValue Get(string n) => section.Entries.Single(e => e.Name == n).Value!;
        Assert.True(Get("Ansi").TryGetString(out string ansi));
        Assert.Equal("Café – €5", ansi);
        Assert.True(Get("Path").TryGetString(out string path));
        Assert.Equal("%SystemRoot%\\system32\\rdlic.exe", path);
        Assert.Equal(RegistryValue.FromExpandString("%SystemRoot%\\system32\\rdlic.exe"), Get("Path"));
        Assert.True(Get("Servers").TryGetMultiString(out IReadOnlyList<string> servers));
        Assert.Equal(["ls1", "ls2.contoso.com"], servers);
    }

    [Fact]
    public void Converting_between_formats_keeps_the_values()
    {
        RegFile v4 = RegFile.Parse(Fixture.Read("all-types-regedit4.reg"));
        RegFile v5 = new(RegFileFormat.Version5, v4.Sections);

        RegFile back = RegFile.Parse(v5.ToBytes());

        Assert.Equal(
            v4.Sections.SelectMany(s => s.Entries).Select(e => e.Value),
            back.Sections.SelectMany(s => s.Entries).Select(e => e.Value));
        Assert.Contains("\"Path\"=hex(2):25,00,53,00", back.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_leniently_written_file_reads_and_is_rewritten_the_regedit_way()
    {
        string text = "Windows Registry Editor Version 5.00\n; a comment\n\n\n  [HKEY_LOCAL_MACHINE\\SOFTWARE\\X]  \n\"B\" = HEX:0A, 0b ,\\\n\t0C\n\"D\"=DWORD:1f\n";

        RegFile file = RegFile.Parse(Fixture.Utf16(text));

        Assert.Equal(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"B\"=hex:0a,0b,0c\r\n\"D\"=dword:0000001f\r\n\r\n",
            file.ToText());
    }

    [Fact]
    public void An_ansi_file_with_the_version5_header_is_read_and_written_back_as_ansi()
    {
        byte[] bytes = Fixture.Ansi("Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\X]\n\"A\"=\"b\"\n\n");

        RegFile file = RegFile.Parse(bytes);

        Assert.Equal(RegFileEncoding.Ansi, file.Encoding);
        Assert.Equal(bytes, file.ToBytes());
    }
}
