namespace RdLicensing.Registry;

/// <summary>The root keys a path can start with.</summary>
public enum RegistryHive
{
    /// <summary>HKEY_CLASSES_ROOT (HKCR).</summary>
    ClassesRoot,

    /// <summary>HKEY_CURRENT_USER (HKCU).</summary>
    CurrentUser,

    /// <summary>HKEY_LOCAL_MACHINE (HKLM).</summary>
    LocalMachine,

    /// <summary>HKEY_USERS (HKU).</summary>
    Users,

    /// <summary>HKEY_CURRENT_CONFIG (HKCC).</summary>
    CurrentConfig,
}

/// <summary>
/// Full key paths such as <c>HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet</c>: a root name, then key names separated by
/// backslashes. Names compare case-insensitively, as in Windows.
/// </summary>
public static class RegistryPath
{
    /// <summary>The longest key name Windows allows (255 characters).</summary>
    public const int MaxKeyNameLength = 255;

    private static readonly (RegistryHive Hive, string Name, string Short)[] Roots =
    [
        (RegistryHive.ClassesRoot, "HKEY_CLASSES_ROOT", "HKCR"),
        (RegistryHive.CurrentUser, "HKEY_CURRENT_USER", "HKCU"),
        (RegistryHive.LocalMachine, "HKEY_LOCAL_MACHINE", "HKLM"),
        (RegistryHive.Users, "HKEY_USERS", "HKU"),
        (RegistryHive.CurrentConfig, "HKEY_CURRENT_CONFIG", "HKCC"),
    ];

    /// <summary>The root's full name, e.g. "HKEY_LOCAL_MACHINE".</summary>
    public static string NameOf(RegistryHive hive) => Roots[(int)hive].Name;

    /// <summary>
    /// Splits a full path into its root and key names. <paramref name="allowShortRoots"/> also accepts HKLM, HKCU, HKCR,
    /// HKU and HKCC (reg.exe style; .reg files use full names). On failure <paramref name="error"/> says why and
    /// <paramref name="errorOffset"/> is the 0-based position in <paramref name="path"/> it refers to.
    /// </summary>
    public static bool TryParse(
        string path, bool allowShortRoots, out RegistryHive hive, out string[] names, out string error, out int errorOffset)
    {
        ArgumentNullException.ThrowIfNull(path);
        hive = default;
        names = [];
        error = "";
        errorOffset = 0;
        int firstSeparator = path.IndexOf('\\', StringComparison.Ordinal);
        string root = firstSeparator < 0 ? path : path[..firstSeparator];
        int found = Array.FindIndex(Roots, r =>
            string.Equals(r.Name, root, StringComparison.OrdinalIgnoreCase)
            || (allowShortRoots && string.Equals(r.Short, root, StringComparison.OrdinalIgnoreCase)));
        if (found < 0)
        {
            error = root.Length == 0
                ? "missing root key: a path starts with HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS or HKEY_CURRENT_CONFIG"
                : $"unknown root key '{root}': expected HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS or HKEY_CURRENT_CONFIG";
            return false;
        }

        hive = Roots[found].Hive;
        if (firstSeparator < 0)
        {
            return true;
        }

        var list = new List<string>();
        int start = firstSeparator + 1;
        while (true)
        {
            int end = path.IndexOf('\\', start);
            string name = end < 0 ? path[start..] : path[start..end];
            if (name.Length == 0)
            {
                error = "empty key name in the path (two backslashes in a row, or one at the end)";
                errorOffset = start;
                return false;
            }

            if (name.Length > MaxKeyNameLength)
            {
                error = $"key name longer than {MaxKeyNameLength} characters";
                errorOffset = start;
                return false;
            }

            list.Add(name);
            if (end < 0)
            {
                break;
            }

            start = end + 1;
        }

        names = [.. list];
        return true;
    }

    /// <summary>As <see cref="TryParse"/> (short roots allowed), throwing <see cref="ArgumentException"/> on a bad path.</summary>
    public static (RegistryHive Hive, string[] Names) Parse(string path) =>
        TryParse(path, allowShortRoots: true, out RegistryHive hive, out string[] names, out string error, out _)
            ? (hive, names)
            : throw new ArgumentException($"bad registry path '{path}': {error}", nameof(path));

    /// <summary>Joins a root and key names into a full path.</summary>
    public static string Combine(RegistryHive hive, IEnumerable<string> names) =>
        string.Join('\\', names.Prepend(NameOf(hive)));
}
