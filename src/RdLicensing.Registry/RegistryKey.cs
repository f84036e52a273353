namespace RdLicensing.Registry;

/// <summary>
/// A key: named subkeys (case-insensitive, kept with the spelling they were created with) and named values
/// (case-insensitive, in the order they were first set, as Windows enumerates them). The empty name is the default value.
/// </summary>
public sealed class RegistryKey
{
    private readonly Dictionary<string, RegistryKey> _subKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly OrderedDictionary<string, RegistryValue> _values = new(StringComparer.OrdinalIgnoreCase);

    internal RegistryKey(string name, RegistryKey? parent)
    {
        Name = name;
        Parent = parent;
    }

    /// <summary>The key's own name (the root's full name for a root key).</summary>
    public string Name { get; }

    /// <summary>The parent key; null for a root key.</summary>
    public RegistryKey? Parent { get; }

    /// <summary>The full path, e.g. <c>HKEY_LOCAL_MACHINE\SYSTEM</c>.</summary>
    public string Path => Parent is null ? Name : Parent.Path + "\\" + Name;

    /// <summary>The subkeys in the order regedit lists them (by name, case-insensitive).</summary>
    public IEnumerable<RegistryKey> SubKeys =>
        _subKeys.Values.OrderBy(k => k.Name.ToUpperInvariant(), StringComparer.Ordinal);

    /// <summary>The values in the order they were first set.</summary>
    public IEnumerable<KeyValuePair<string, RegistryValue>> Values => _values;

    /// <summary>The number of values.</summary>
    public int ValueCount => _values.Count;

    /// <summary>The subkey at a relative path ("a\b"), or null.</summary>
    public RegistryKey? OpenSubKey(string relativePath)
    {
        RegistryKey? key = this;
        foreach (string name in SplitRelative(relativePath))
        {
            if (key is null || !key._subKeys.TryGetValue(name, out key))
            {
                return null;
            }
        }

        return key;
    }

    /// <summary>The subkey at a relative path, created with its missing parents.</summary>
    public RegistryKey CreateSubKey(string relativePath)
    {
        RegistryKey key = this;
        foreach (string name in SplitRelative(relativePath))
        {
            if (!key._subKeys.TryGetValue(name, out RegistryKey? child))
            {
                child = new RegistryKey(name, key);
                key._subKeys.Add(name, child);
            }

            key = child;
        }

        return key;
    }

    /// <summary>Deletes the subkey at a relative path with everything under it. False when it did not exist.</summary>
    public bool DeleteSubKeyTree(string relativePath)
    {
        string[] names = SplitRelative(relativePath);
        if (names.Length == 0)
        {
            throw new ArgumentException("a key cannot delete itself: name a subkey", nameof(relativePath));
        }

        RegistryKey? parent = names.Length == 1 ? this : OpenSubKey(string.Join('\\', names[..^1]));
        return parent is not null && parent._subKeys.Remove(names[^1]);
    }

    /// <summary>The value with this name ("" for the default value), or null.</summary>
    public RegistryValue? GetValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out RegistryValue? value) ? value : null;
    }

    /// <summary>Sets a value; an existing value of the same name keeps its place and spelling.</summary>
    public void SetValue(string name, RegistryValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        int index = _values.IndexOf(name);
        if (index >= 0)
        {
            _values.SetAt(index, value);
        }
        else
        {
            _values.Add(name, value);
        }
    }

    /// <summary>Deletes a value. False when it did not exist.</summary>
    public bool DeleteValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.Remove(name);
    }

    /// <summary>A deep copy under a new parent.</summary>
    internal RegistryKey CloneInto(RegistryKey? parent)
    {
        var copy = new RegistryKey(Name, parent);
        foreach (KeyValuePair<string, RegistryValue> value in _values)
        {
            copy._values.Add(value.Key, value.Value);
        }

        foreach (RegistryKey child in _subKeys.Values)
        {
            copy._subKeys.Add(child.Name, child.CloneInto(copy));
        }

        return copy;
    }

    /// <summary>True when the key has neither values nor subkeys.</summary>
    public bool IsEmpty => _values.Count == 0 && _subKeys.Count == 0;

    private static string[] SplitRelative(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (relativePath.Length == 0)
        {
            return [];
        }

        string[] names = relativePath.Split('\\');
        foreach (string name in names)
        {
            if (name.Length == 0 || name.Length > RegistryPath.MaxKeyNameLength)
            {
                throw new ArgumentException($"bad key path '{relativePath}': key names are 1 to {RegistryPath.MaxKeyNameLength} characters", nameof(relativePath));
            }
        }

        return names;
    }
}
