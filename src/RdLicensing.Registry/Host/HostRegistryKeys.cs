namespace RdLicensing.Registry.Host;

/// <summary>
/// Where a Windows session host keeps its licensing configuration (rds-facts.md sections 3 and 4), and where RdLicensing's
/// session host keeps it too.
/// </summary>
public static class HostRegistryKeys
{
    /// <summary>Set by Server Manager, RDMS and WMI ChangeMode: value <see cref="LicensingModeValue"/> (REG_DWORD 2/4/5).</summary>
    public const string LicensingCore = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Terminal Server\RCM\Licensing Core";

    /// <summary>The licensing mode value, under <see cref="LicensingCore"/> and under <see cref="Policy"/>.</summary>
    public const string LicensingModeValue = "LicensingMode";

    /// <summary>Set by Server Manager, RDMS and WMI SetSpecifiedLicenseServerList: value <see cref="SpecifiedLicenseServersValue"/>.</summary>
    public const string LicenseServers = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\TermService\Parameters\LicenseServers";

    /// <summary>The license servers, in order (REG_MULTI_SZ; exists only once set).</summary>
    public const string SpecifiedLicenseServersValue = "SpecifiedLicenseServers";

    /// <summary>Group Policy ("Set the Remote Desktop licensing mode", "Use the specified Remote Desktop license servers"): wins when present.</summary>
    public const string Policy = @"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services";

    /// <summary>The policy's license servers: REG_SZ, comma-separated.</summary>
    public const string PolicyLicenseServersValue = "LicenseServers";

    /// <summary>The grace period key (owned by NETWORK SERVICE on Windows).</summary>
    public const string GracePeriod = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Terminal Server\RCM\GracePeriod";

    /// <summary>The grace period value: REG_BINARY, 8 bytes, a little-endian FILETIME (we read it as the grace period's end).</summary>
    public const string GracePeriodValue = "L$RTMTIMEBOMB_1320153D-8DA3-4e8e-B27B-0D888223A588";

    /// <summary>Windows' version key: value ProductName ("Windows Server 2022 Datacenter") gives the host's product version.</summary>
    public const string CurrentVersion = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion";

    /// <summary>The product name value under <see cref="CurrentVersion"/>.</summary>
    public const string ProductNameValue = "ProductName";
}
