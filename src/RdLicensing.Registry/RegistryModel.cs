namespace RdLicensing.Registry;

/// <summary>
/// An in-memory registry: the five root keys and everything under them. Paths are full paths
/// (<c>HKEY_LOCAL_MACHINE\…</c>; HKLM, HKCU, HKCR, HKU and HKCC are accepted too). Not thread-safe.
/// </summary>
public sealed class RegistryModel
{
    private readonly RegistryKey[] _roots;

    /// <summary>An empty registry.</summary>
    public RegistryModel()
    {
        _roots = Enum.GetValues<RegistryHive>().Select(h => new RegistryKey(RegistryPath.NameOf(h), null)).ToArray();
    }

    private RegistryModel(RegistryKey[] roots) => _roots = roots;

    /// <summary>A root key.</summary>
    public RegistryKey Root(RegistryHive hive) => _roots[(int)hive];

    /// <summary>The key at a full path, or null.</summary>
    public RegistryKey? OpenKey(string path)
    {
        (RegistryHive hive, string[] names) = RegistryPath.Parse(path);
        return names.Length == 0 ? Root(hive) : Root(hive).OpenSubKey(string.Join('\\', names));
    }

    /// <summary>The key at a full path, created with its missing parents.</summary>
    public RegistryKey CreateKey(string path)
    {
        (RegistryHive hive, string[] names) = RegistryPath.Parse(path);
        return Root(hive).CreateSubKey(string.Join('\\', names));
    }

    /// <summary>Deletes a key with everything under it (a root key is emptied). False when it did not exist.</summary>
    public bool DeleteKey(string path)
    {
        (RegistryHive hive, string[] names) = RegistryPath.Parse(path);
        if (names.Length > 0)
        {
            return Root(hive).DeleteSubKeyTree(string.Join('\\', names));
        }

        bool hadContent = !Root(hive).IsEmpty;
        _roots[(int)hive] = new RegistryKey(RegistryPath.NameOf(hive), null);
        return hadContent;
    }

    /// <summary>The value at a key path and name, or null when the key or the value is missing.</summary>
    public RegistryValue? GetValue(string keyPath, string name) => OpenKey(keyPath)?.GetValue(name);

    /// <summary>Sets a value, creating its key.</summary>
    public void SetValue(string keyPath, string name, RegistryValue value) => CreateKey(keyPath).SetValue(name, value);

    /// <summary>A deep copy.</summary>
    public RegistryModel Clone() => new(_roots.Select(r => r.CloneInto(null)).ToArray());

    /// <summary>True when no root key has values or subkeys.</summary>
    public bool IsEmpty => _roots.All(r => r.IsEmpty);

    /// <summary>
    /// Exports a key and everything under it as regedit does: one section per key, the key first, then its subkeys
    /// depth-first in regedit's order; values in their order. A missing key gives null. With no path, every non-empty
    /// root key is exported.
    /// </summary>
    public RegFile? Export(string? path = null, RegFileFormat format = RegFileFormat.Version5)
    {
        var sections = new List<RegFileSection>();
        if (path is null)
        {
            foreach (RegistryKey root in _roots.Where(r => !r.IsEmpty))
            {
                AddSections(root, sections);
            }

            return new RegFile(format, sections);
        }

        RegistryKey? key = OpenKey(path);
        if (key is null)
        {
            return null;
        }

        AddSections(key, sections);
        return new RegFile(format, sections);
    }

    /// <summary>
    /// Applies a .reg file as regedit imports it: key sections create keys and set values, <c>[-KEY]</c> deletes a key
    /// tree, <c>"name"=-</c> deletes a value. Every path is checked before anything changes, so a bad file changes
    /// nothing.
    /// </summary>
    public void Import(RegFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (RegFileSection section in file.Sections)
        {
            if (!RegistryPath.TryParse(section.KeyPath, allowShortRoots: false, out _, out _, out string error, out _))
            {
                throw new ArgumentException($"bad key path '{section.KeyPath}': {error}", nameof(file));
            }

            if (section.IsDeletion && section.Entries.Count > 0)
            {
                throw new ArgumentException($"the key deletion [-{section.KeyPath}] cannot carry values", nameof(file));
            }
        }

        foreach (RegFileSection section in file.Sections)
        {
            if (section.IsDeletion)
            {
                DeleteKey(section.KeyPath);
                continue;
            }

            RegistryKey key = CreateKey(section.KeyPath);
            foreach (RegFileEntry entry in section.Entries)
            {
                if (entry.Value is null)
                {
                    key.DeleteValue(entry.Name);
                }
                else
                {
                    key.SetValue(entry.Name, entry.Value);
                }
            }
        }
    }

    /// <summary>A registry holding what a .reg file sets (deletions apply to nothing).</summary>
    public static RegistryModel FromRegFile(RegFile file)
    {
        var model = new RegistryModel();
        model.Import(file);
        return model;
    }

    private static void AddSections(RegistryKey key, List<RegFileSection> sections)
    {
        sections.Add(new RegFileSection(
            key.Path,
            IsDeletion: false,
            key.Values.Select(v => new RegFileEntry(v.Key, v.Value)).ToList()));
        foreach (RegistryKey child in key.SubKeys)
        {
            AddSections(child, sections);
        }
    }
}
