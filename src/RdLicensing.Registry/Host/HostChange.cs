using RdLicensing.Domain;

namespace RdLicensing.Registry.Host;

/// <summary>
/// One change to a host's licensing configuration, as an operation on a <see cref="RegistryModel"/>. It names the one
/// key it changes (<see cref="KeyPath"/>) so that a store can back that key up first.
/// </summary>
public sealed class HostChange
{
    private readonly Action<RegistryModel> _apply;

    private HostChange(string keyPath, string description, Action<RegistryModel> apply)
    {
        KeyPath = keyPath;
        Description = description;
        _apply = apply;
    }

    /// <summary>The key this change writes.</summary>
    public string KeyPath { get; }

    /// <summary>What the change does, for people.</summary>
    public string Description { get; }

    /// <summary>Applies the change.</summary>
    public void ApplyTo(RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _apply(registry);
    }

    /// <summary>Sets the local licensing mode (Licensing Core\LicensingMode, REG_DWORD), as WMI ChangeMode does.</summary>
    public static HostChange SetMode(LicensingMode mode)
    {
        if (mode is not (LicensingMode.PerDevice or LicensingMode.PerUser or LicensingMode.NotConfigured))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "the licensing mode is per device (2), per user (4) or not configured (5)");
        }

        return new HostChange(
            HostRegistryKeys.LicensingCore,
            $"set the licensing mode to {WireNames.Of(mode)} ({(int)mode})",
            r => r.SetValue(HostRegistryKeys.LicensingCore, HostRegistryKeys.LicensingModeValue, RegistryValue.FromDWord((uint)mode)));
    }

    /// <summary>
    /// Sets the local license servers (SpecifiedLicenseServers, REG_MULTI_SZ, in order), as WMI SetSpecifiedLicenseServerList
    /// does; an empty list removes the value (EmptySpecifiedLicenseServerList).
    /// </summary>
    public static HostChange SetLicenseServers(IReadOnlyList<string> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var names = new List<string>();
        foreach (string server in servers)
        {
            string name = server.Trim();
            if (name.Length == 0 || name.Length > 255 || name.Any(c => c is ',' or '\0' || char.IsWhiteSpace(c)))
            {
                throw new ArgumentException($"bad license server name '{server}': a host name or address without spaces or commas", nameof(servers));
            }

            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return new HostChange(
            HostRegistryKeys.LicenseServers,
            names.Count == 0 ? "remove the specified license servers" : $"set the license servers to {string.Join(", ", names)}",
            r =>
            {
                if (names.Count == 0)
                {
                    r.OpenKey(HostRegistryKeys.LicenseServers)?.DeleteValue(HostRegistryKeys.SpecifiedLicenseServersValue);
                }
                else
                {
                    r.SetValue(HostRegistryKeys.LicenseServers, HostRegistryKeys.SpecifiedLicenseServersValue, RegistryValue.FromMultiString(names));
                }
            });
    }

    /// <summary>
    /// Starts the grace period at <paramref name="now"/> (end = now + 120 days) unless it has started already: the session
    /// host calls this on its first start and on its first client connection.
    /// </summary>
    public static HostChange StartGrace(DateTimeOffset now) => new(
        HostRegistryKeys.GracePeriod,
        "start the 120-day grace period",
        r =>
        {
            if (r.GetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue) is null)
            {
                r.SetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue, GracePeriod.ToValue(now + GracePeriod.Length));
            }
        });

    /// <summary>
    /// Ends the grace period at <paramref name="now"/> (if it ends later): the session host calls this once it has reached
    /// a license server with installed licenses, as Windows' events 1128/1129 describe.
    /// </summary>
    public static HostChange EndGrace(DateTimeOffset now) => new(
        HostRegistryKeys.GracePeriod,
        "end the grace period (a license server with installed licenses was reached)",
        r =>
        {
            RegistryValue? current = r.GetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue);
            if (current is null || !GracePeriod.TryReadValue(current, out DateTimeOffset end) || end > now)
            {
                r.SetValue(HostRegistryKeys.GracePeriod, HostRegistryKeys.GracePeriodValue, GracePeriod.ToValue(now));
            }
        });
}
