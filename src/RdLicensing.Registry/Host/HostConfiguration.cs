using RdLicensing.Domain;

namespace RdLicensing.Registry.Host;

/// <summary>Where an effective setting comes from.</summary>
public enum SettingSource
{
    /// <summary>Neither the policy nor the local key sets it.</summary>
    NotConfigured,

    /// <summary>The local key (Server Manager, RDMS, WMI, <c>rdlic host config set</c>).</summary>
    Local,

    /// <summary>The Group Policy key, which wins over the local key.</summary>
    Policy,
}

/// <summary>
/// A session host's licensing configuration as read from the registry: the effective licensing mode and license servers
/// with their source (policy wins over local when present), both raw settings, the grace period's end, and the host's
/// product version when its CurrentVersion key is present. Odd values (wrong type, unknown mode) are ignored and listed
/// in <see cref="Warnings"/>.
/// </summary>
public sealed record HostConfiguration(
    LicensingMode Mode,
    SettingSource ModeSource,
    LicensingMode? LocalMode,
    LicensingMode? PolicyMode,
    IReadOnlyList<string> LicenseServers,
    SettingSource LicenseServersSource,
    IReadOnlyList<string> LocalLicenseServers,
    IReadOnlyList<string> PolicyLicenseServers,
    DateTimeOffset? GraceEnd,
    ProductVersion? HostVersion,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The grace period at <paramref name="now"/>.</summary>
    public GraceState Grace(DateTimeOffset now) => GraceState.At(GraceEnd, now);

    /// <summary>Reads the configuration from a registry (missing keys mean "not configured").</summary>
    public static HostConfiguration Read(RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var warnings = new List<string>();

        LicensingMode? localMode = ReadMode(registry, HostRegistryKeys.LicensingCore, warnings);
        LicensingMode? policyMode = ReadMode(registry, HostRegistryKeys.Policy, warnings);
        (LicensingMode mode, SettingSource modeSource) = policyMode is { } p
            ? (p, SettingSource.Policy)
            : localMode is { } l ? (l, SettingSource.Local) : (LicensingMode.NotConfigured, SettingSource.NotConfigured);

        IReadOnlyList<string> localServers = ReadLocalServers(registry, warnings);
        IReadOnlyList<string> policyServers = ReadPolicyServers(registry, warnings);
        (IReadOnlyList<string> servers, SettingSource serversSource) = policyServers.Count > 0
            ? (policyServers, SettingSource.Policy)
            : localServers.Count > 0 ? (localServers, SettingSource.Local) : ([], SettingSource.NotConfigured);

        DateTimeOffset? graceEnd = null;
        RegistryValue? grace = registry.GetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue);
        if (grace is not null)
        {
            if (GracePeriod.TryReadValue(grace, out DateTimeOffset end))
            {
                graceEnd = end;
            }
            else
            {
                warnings.Add($"{HostRegistryKeys.GracePeriod}\\{HostRegistryKeys.GracePeriodValue} is not an 8-byte REG_BINARY FILETIME ({grace.TypeName}, {grace.Data.Length} bytes); ignored");
            }
        }

        ProductVersion? hostVersion = null;
        if (registry.GetValue(HostRegistryKeys.CurrentVersion, HostRegistryKeys.ProductNameValue) is { } productName
            && productName.TryGetString(out string name))
        {
            hostVersion = ProductVersions.All.LastOrDefault(v =>
                name.Contains(v.Name, StringComparison.OrdinalIgnoreCase)
                || name.Contains(v.Name.Replace(" R2", "R2", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }

        return new HostConfiguration(
            mode, modeSource, localMode, policyMode, servers, serversSource, localServers, policyServers, graceEnd, hostVersion, warnings);
    }

    private static LicensingMode? ReadMode(RegistryModel registry, string keyPath, List<string> warnings)
    {
        RegistryValue? value = registry.GetValue(keyPath, HostRegistryKeys.LicensingModeValue);
        if (value is null)
        {
            return null;
        }

        if (!value.TryGetDWord(out uint number))
        {
            warnings.Add($"{keyPath}\\{HostRegistryKeys.LicensingModeValue} is {value.TypeName} of {value.Data.Length} bytes, expected REG_DWORD; ignored");
            return null;
        }

        if (number is not ((uint)LicensingMode.PerDevice or (uint)LicensingMode.PerUser or (uint)LicensingMode.NotConfigured))
        {
            string known = number == 6 ? " (AAD per user, which RdLicensing does not support)" : "";
            warnings.Add($"{keyPath}\\{HostRegistryKeys.LicensingModeValue} is {number}{known}, expected 2 (per device), 4 (per user) or 5 (not configured); ignored");
            return null;
        }

        return (LicensingMode)number;
    }

    private static IReadOnlyList<string> ReadLocalServers(RegistryModel registry, List<string> warnings)
    {
        RegistryKey? key = registry.OpenKey(HostRegistryKeys.LicenseServers);
        if (key is null)
        {
            return [];
        }

        RegistryValue? value = key.GetValue(HostRegistryKeys.SpecifiedLicenseServersValue);
        if (value is not null)
        {
            if (value.TryGetMultiString(out IReadOnlyList<string> items))
            {
                return Clean(items);
            }

            if (value.TryGetString(out string text))
            {
                warnings.Add($"{HostRegistryKeys.LicenseServers}\\{HostRegistryKeys.SpecifiedLicenseServersValue} is {value.TypeName}, expected REG_MULTI_SZ; read as a comma-separated list");
                return Clean(text.Split(','));
            }

            warnings.Add($"{HostRegistryKeys.LicenseServers}\\{HostRegistryKeys.SpecifiedLicenseServersValue} is {value.TypeName}, expected REG_MULTI_SZ; ignored");
            return [];
        }

        // Older hosts (and older guides) name each license server as a subkey of LicenseServers.
        return Clean(key.SubKeys.Select(k => k.Name));
    }

    private static IReadOnlyList<string> ReadPolicyServers(RegistryModel registry, List<string> warnings)
    {
        RegistryValue? value = registry.GetValue(HostRegistryKeys.Policy, HostRegistryKeys.PolicyLicenseServersValue);
        if (value is null)
        {
            return [];
        }

        if (value.TryGetString(out string text))
        {
            return Clean(text.Split(','));
        }

        if (value.TryGetMultiString(out IReadOnlyList<string> items))
        {
            warnings.Add($"{HostRegistryKeys.Policy}\\{HostRegistryKeys.PolicyLicenseServersValue} is REG_MULTI_SZ, expected a comma-separated REG_SZ; read item by item");
            return Clean(items);
        }

        warnings.Add($"{HostRegistryKeys.Policy}\\{HostRegistryKeys.PolicyLicenseServersValue} is {value.TypeName}, expected REG_SZ; ignored");
        return [];
    }

    private static List<string> Clean(IEnumerable<string> names) =>
        names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
