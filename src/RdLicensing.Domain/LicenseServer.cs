namespace RdLicensing.Domain;

/// <summary>
/// The license server itself (Win32_TSLicenseServer): its id, name, the product version it reports, activation state and
/// contact data, discovery scope and the "prevent license upgrade" policy. Transitions are the methods below; the rules
/// about who may call them live in <see cref="LicensingEngine"/>.
/// </summary>
public sealed class LicenseServer
{
    public LicenseServer(LicenseServerId serverId, string name, ProductVersion version)
    {
        ServerId = serverId;
        Name = name;
        Version = version;
    }

    public LicenseServerId ServerId { get; }

    public string Name { get; private set; }

    /// <summary>The version this server reports itself as. INVARIANT: ≥ the version of every installed key pack.</summary>
    public ProductVersion Version { get; private set; }

    public ActivationState ActivationState { get; private set; } = ActivationState.NotActivated;

    public ActivationMethod? ActivationMethod { get; private set; }

    public DateTimeOffset? ActivatedOn { get; private set; }

    public DateTimeOffset? DeactivatedOn { get; private set; }

    /// <summary>INVARIANT: non-null once the server has been activated (kept after deactivation).</summary>
    public Contact? Contact { get; private set; }

    public DiscoveryScope DiscoveryScope { get; private set; } = DiscoveryScope.Workgroup;

    public bool PreventLicenseUpgrade { get; private set; }

    /// <summary>Thumbprint of the certificate the deployment CA issued this server at activation (edge-supplied).</summary>
    public string? CertificateThumbprint { get; private set; }

    /// <summary>Only an activated server issues permanent CALs and installs key packs (rds-facts.md section 9).</summary>
    public bool IsActivated => ActivationState == ActivationState.Activated;

    /// <summary>Rebuilds a stored server (for stores).</summary>
    public static LicenseServer Restore(
        LicenseServerId serverId, string name, ProductVersion version, ActivationState state, ActivationMethod? method,
        DateTimeOffset? activatedOn, DateTimeOffset? deactivatedOn, Contact? contact, DiscoveryScope scope,
        bool preventLicenseUpgrade, string? certificateThumbprint) =>
        new(serverId, name, version)
        {
            ActivationState = state,
            ActivationMethod = method,
            ActivatedOn = activatedOn,
            DeactivatedOn = deactivatedOn,
            Contact = contact,
            DiscoveryScope = scope,
            PreventLicenseUpgrade = preventLicenseUpgrade,
            CertificateThumbprint = certificateThumbprint,
        };

    internal void Activate(ActivationMethod method, Contact contact, DateTimeOffset now)
    {
        ActivationState = ActivationState.Activated;
        ActivationMethod = method;
        Contact = contact;
        ActivatedOn = now;
        DeactivatedOn = null;
    }

    internal void Deactivate(DateTimeOffset now)
    {
        ActivationState = ActivationState.Deactivated;
        DeactivatedOn = now;
    }

    internal void ChangeSettings(DiscoveryScope? scope, bool? preventLicenseUpgrade, string? name, ProductVersion? version)
    {
        DiscoveryScope = scope ?? DiscoveryScope;
        PreventLicenseUpgrade = preventLicenseUpgrade ?? PreventLicenseUpgrade;
        Name = name ?? Name;
        Version = version ?? Version;
    }

    /// <summary>Records the thumbprint of the certificate issued to this server at activation.</summary>
    public void SetCertificateThumbprint(string? thumbprint) => CertificateThumbprint = thumbprint;
}
