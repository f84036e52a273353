using System.Text;
using RdLicensing.Registry;

namespace RdLicensing.Analysis.ClientStore;

/// <summary>A hardware id found in the client's MSLicensing key.</summary>
/// <param name="KeyPath">The key holding it.</param>
/// <param name="ValueName">The value name (ClientHWID).</param>
/// <param name="Bytes">The value (20 bytes for a CLIENT_HARDWARE_ID).</param>
public sealed record StoredHardwareId(string KeyPath, string ValueName, byte[] Bytes)
{
    /// <summary>The id as 40 hex digits.</summary>
    public string Hex => Convert.ToHexString(Bytes);
}

/// <summary>One Store\LICENSE00x entry: the CAL and the three strings stored beside it.</summary>
/// <param name="KeyPath">The LICENSE00x key.</param>
/// <param name="ClientLicense">ClientLicense: the CAL bytes, or null when the value is missing.</param>
/// <param name="CompanyName">CompanyName (UTF-16 text in a binary value).</param>
/// <param name="LicenseScope">LicenseScope.</param>
/// <param name="ProductId">ProductID.</param>
public sealed record StoredLicense(string KeyPath, byte[]? ClientLicense, string? CompanyName, string? LicenseScope, string? ProductId);

/// <summary>What an MSLicensing export holds, and what is wrong with it.</summary>
/// <param name="HardwareIds">Every hardware id (HardwareID\ClientHWID, also under WOW6432Node).</param>
/// <param name="Licenses">The stored CALs, in key order.</param>
/// <param name="Warnings">Problems: several hardware ids (seed 002, cause 5), missing values, odd sizes.</param>
public sealed record MsLicensingStore(IReadOnlyList<StoredHardwareId> HardwareIds, IReadOnlyList<StoredLicense> Licenses, IReadOnlyList<string> Warnings)
{
    /// <summary>The MSLicensing key of a 64-bit view.</summary>
    public const string KeyPath = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSLicensing";

    /// <summary>The same key as 32-bit programs on 64-bit Windows see it.</summary>
    public const string Wow64KeyPath = @"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\MSLicensing";

    /// <summary>Whether the client holds more than one distinct hardware id (seed 002, cause 5).</summary>
    public bool HasSeveralHardwareIds => HardwareIds.Select(h => h.Hex).Distinct(StringComparer.Ordinal).Count() > 1;

    /// <summary>Reads the MSLicensing key(s) out of a registry loaded from a .reg export.</summary>
    /// <exception cref="FormatException">The export holds no MSLicensing key.</exception>
    public static MsLicensingStore FromRegistry(RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        RegistryKey?[] roots = [registry.OpenKey(KeyPath), registry.OpenKey(Wow64KeyPath)];
        if (roots.All(r => r is null))
        {
            throw new FormatException($"the export holds no {KeyPath} key: export that key with regedit or reg export");
        }

        var hwids = new List<StoredHardwareId>();
        var licenses = new List<StoredLicense>();
        var warnings = new List<string>();
        foreach (RegistryKey root in roots.OfType<RegistryKey>())
        {
            if (root.OpenSubKey("HardwareID") is { } hardware)
            {
                CollectHardwareIds(hardware, hwids, warnings);
            }

            if (root.OpenSubKey("Store") is { } store)
            {
                foreach (RegistryKey entry in store.SubKeys.OrderBy(k => k.Name, StringComparer.OrdinalIgnoreCase))
                {
                    licenses.Add(ReadLicense(entry, warnings));
                }
            }
        }

        if (hwids.Count == 0)
        {
            warnings.Add("no ClientHWID: the client has no hardware id yet (one is generated at its next licensed connection)");
        }

        int distinct = hwids.Select(h => h.Hex).Distinct(StringComparer.Ordinal).Count();
        if (distinct > 1)
        {
            warnings.Add(
                $"several hardware ids ({distinct}): the license store was likely corrupted and a new id generated, so the license "
                + "server may hold a CAL for each (seed 002, cause 5). Find the CAL that is not the most recent in the issued-license "
                + "export (rdlic analyze issued-licenses), then delete the HardwareID key whose ClientHWID matches its hardware id");
        }

        return new MsLicensingStore(hwids, licenses, warnings);
    }

    private static void CollectHardwareIds(RegistryKey key, List<StoredHardwareId> hwids, List<string> warnings)
    {
        foreach ((string name, RegistryValue value) in key.Values)
        {
            if (!name.StartsWith("ClientHWID", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            byte[] bytes = value.Data.ToArray();
            if (bytes.Length != 20)
            {
                warnings.Add($@"{key.Path}\{name}: {bytes.Length} bytes where a hardware id has 20");
            }

            hwids.Add(new StoredHardwareId(key.Path, name, bytes));
        }

        foreach (RegistryKey child in key.SubKeys)
        {
            CollectHardwareIds(child, hwids, warnings);
        }
    }

    private static StoredLicense ReadLicense(RegistryKey entry, List<string> warnings)
    {
        byte[]? cal = entry.GetValue("ClientLicense")?.Data.ToArray();
        if (cal is null || cal.Length == 0)
        {
            warnings.Add($@"{entry.Path}: no ClientLicense value");
            cal = null;
        }

        return new StoredLicense(entry.Path, cal, Text(entry.GetValue("CompanyName")), Text(entry.GetValue("LicenseScope")), Text(entry.GetValue("ProductID")));
    }

    /// <summary>The binary values beside the CAL hold NUL-terminated UTF-16LE text; string values are read as strings.</summary>
    private static string? Text(RegistryValue? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.TryGetString(out string text))
        {
            return text;
        }

        ReadOnlySpan<byte> data = value.Data;
        string decoded = data.Length % 2 == 0 ? Encoding.Unicode.GetString(data) : Encoding.Latin1.GetString(data);
        return decoded.TrimEnd('\0');
    }
}
