using CsCheck;

namespace RdLicensing.Registry.Tests;

public sealed class RegistryModelTests
{
    [Fact]
    public void Names_are_case_insensitive_and_keep_their_first_spelling()
    {
        var registry = new RegistryModel();
        registry.SetValue("HKLM\\Software\\Contoso", "Mode", RegistryValue.FromDWord(2));

        registry.SetValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\CONTOSO", "MODE", RegistryValue.FromDWord(4));

        RegistryKey key = registry.OpenKey("hkey_local_machine\\software\\contoso")!;
        Assert.Equal("HKEY_LOCAL_MACHINE\\Software\\Contoso", key.Path);
        Assert.Equal("Mode", Assert.Single(key.Values).Key);
        Assert.True(key.GetValue("mode")!.TryGetDWord(out uint mode));
        Assert.Equal(4u, mode);
    }

    [Fact]
    public void Import_applies_sets_and_deletions_in_order()
    {
        var registry = new RegistryModel();
        registry.SetValue("HKCU\\Software\\RdLicensing\\Old Settings\\Deep", "x", RegistryValue.FromDWord(1));
        registry.SetValue("HKCU\\Software\\RdLicensing\\Defaults", "Obsolete", RegistryValue.FromDWord(1));
        registry.SetValue("HKCU\\Software\\RdLicensing\\Defaults", "Kept", RegistryValue.FromDWord(1));

        registry.Import(RegFile.Parse(Fixture.Read("all-types-v5.reg")));

        Assert.Null(registry.OpenKey("HKCU\\Software\\RdLicensing\\Old Settings"));
        RegistryKey defaults = registry.OpenKey("HKCU\\Software\\RdLicensing\\Defaults")!;
        Assert.Equal(["Kept"], defaults.Values.Select(v => v.Key));
        Assert.NotNull(registry.OpenKey("HKCU\\Software\\RdLicensing\\Every Type\\Empty Key"));
        Assert.Equal(20, registry.OpenKey("HKCU\\Software\\RdLicensing\\Every Type")!.ValueCount);
    }

    [Fact]
    public void Export_lists_a_key_then_its_subkeys_in_regedit_order()
    {
        var registry = new RegistryModel();
        registry.CreateKey("HKLM\\SOFTWARE\\Root\\beta");
        registry.CreateKey("HKLM\\SOFTWARE\\Root\\Alpha\\Child");
        registry.SetValue("HKLM\\SOFTWARE\\Root", "z", RegistryValue.FromString("1"));
        registry.SetValue("HKLM\\SOFTWARE\\Root", "a", RegistryValue.FromString("2"));

        string text = registry.Export("HKLM\\SOFTWARE\\Root")!.ToText();

        Assert.Equal(
            "Windows Registry Editor Version 5.00\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Root]\r\n\"z\"=\"1\"\r\n\"a\"=\"2\"\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Root\\Alpha]\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Root\\Alpha\\Child]\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Root\\beta]\r\n\r\n",
            text);
        Assert.Null(registry.Export("HKLM\\SOFTWARE\\Missing"));
    }

    [Fact]
    public void A_whole_registry_exports_and_imports_into_an_equal_registry()
    {
        RegistryModel registry = RegistryModel.FromRegFile(RegFile.Parse(Fixture.Read("all-types-v5.reg")));

        byte[] exported = registry.Export()!.ToBytes();
        RegistryModel copy = RegistryModel.FromRegFile(RegFile.Parse(exported));

        Assert.Equal(exported, copy.Export()!.ToBytes());
        Assert.Contains("[HKEY_CURRENT_USER]", copy.Export()!.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_is_deep()
    {
        var registry = new RegistryModel();
        registry.SetValue("HKLM\\A", "x", RegistryValue.FromDWord(1));

        RegistryModel clone = registry.Clone();
        clone.SetValue("HKLM\\A", "x", RegistryValue.FromDWord(2));
        clone.DeleteKey("HKLM\\A");

        Assert.True(registry.GetValue("HKLM\\A", "x")!.TryGetDWord(out uint x));
        Assert.Equal(1u, x);
    }

    private static readonly Gen<string> Name = Gen.String[Gen.Char['\u0020', '\u024F'], 0, 90].Where(s => !s.Contains('\\'));

    private static readonly Gen<RegistryValue> Value = Gen.OneOf(
        Gen.String[Gen.Char['\u0020', '\u2FFF'], 0, 40].Select(RegistryValue.FromString),
        Gen.String[Gen.Char['\u0020', '\u00FF'], 0, 40].Select(RegistryValue.FromExpandString),
        Gen.String[Gen.Char['a', 'z'], 1, 10].Array[0, 5].Select(a => RegistryValue.FromMultiString(a)),
        Gen.UInt.Select(RegistryValue.FromDWord),
        Gen.ULong.Select(RegistryValue.FromQWord),
        Gen.Byte.Array[0, 300].Select(b => RegistryValue.FromBinary(b)),
        Gen.Select(Gen.UInt[0, 0x2000], Gen.Byte.Array[0, 100], (t, b) => RegistryValue.FromRaw((RegistryValueType)t, b)));

    [Fact]
    public void Any_values_survive_write_then_read_and_the_text_is_stable()
    {
        Gen.Select(Name, Value).List[1, 8].Sample(entries =>
        {
            var file = new RegFile(RegFileFormat.Version5,
                [new RegFileSection("HKEY_LOCAL_MACHINE\\SOFTWARE\\P", false, entries.Select(e => new RegFileEntry(e.Item1, e.Item2)).ToList())]);
            byte[] bytes = file.ToBytes();

            RegFile back = RegFile.Parse(bytes);

            Assert.Equal(entries.Select(e => e.Item1), back.Sections[0].Entries.Select(e => e.Name));
            Assert.Equal(entries.Select(e => e.Item2), back.Sections[0].Entries.Select(e => e.Value));
            Assert.Equal(bytes, back.ToBytes());
        }, iter: 300);
    }

    [Fact]
    public void Random_bytes_give_a_format_error_or_a_file_never_anything_else()
    {
        byte[] seed = Fixture.Read("all-types-v5.reg");
        Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte, Gen.Int[0, seed.Length]).Array[1, 6].Sample(edits =>
        {
            byte[] bytes = (byte[])seed.Clone();
            int length = bytes.Length;
            foreach ((int at, byte b, int cut) in edits)
            {
                bytes[at] = b;
                length = Math.Min(length, Math.Max(cut, 2));
            }

            try
            {
                RegFile.Parse(bytes.AsSpan(0, length));
            }
            catch (RegFileFormatException error)
            {
                Assert.InRange(error.Line, 1, 1000);
                Assert.InRange(error.Column, 1, 100_000);
            }
        }, iter: 2000);
    }
}
