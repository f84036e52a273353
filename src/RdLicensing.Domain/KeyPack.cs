namespace RdLicensing.Domain;

/// <summary>
/// An installed CAL key pack (Win32_TSLicenseKeyPack) with its counters Total / Issued / Available.
/// </summary>
public sealed class KeyPack
{
    /// <summary>The key pack id temporary CALs are reported under (Windows' temporary key pack, KeyPackType 4).</summary>
    public const string TemporaryKeyPackId = "temporary";

    private KeyPack(string keyPackId, KeyPackCode code, ProductVersion version, CalType type, int total, int issued, DateTimeOffset installedOn, DateTimeOffset? expiresOn)
    {
        KeyPackId = keyPackId;
        Code = code;
        Version = version;
        Type = type;
        Total = total;
        Issued = issued;
        InstalledOn = installedOn;
        ExpiresOn = expiresOn;
    }

    public string KeyPackId { get; }

    public KeyPackCode Code { get; }

    public LicenseProgram Program => Code.Program;

    public ProductVersion Version { get; }

    public CalType Type { get; }

    /// <summary>INVARIANT: &gt; 0.</summary>
    public int Total { get; }

    /// <summary>
    /// INVARIANT: 0 ≤ Issued; per device also Issued ≤ Total (never over-allocated), so Issued + Available = Total.
    /// Per user Issued may exceed Total (the over-used pool), as Windows reports it.
    /// </summary>
    public int Issued { get; private set; }

    /// <summary>Total − Issued, never below 0.</summary>
    public int Available => Math.Max(0, Total - Issued);

    public DateTimeOffset InstalledOn { get; }

    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>"RDS Per Device CAL" / "RDS Per User CAL" (Win32_TSLicenseKeyPack.TypeAndModel).</summary>
    public string TypeAndModel => Type == CalType.PerDevice ? "RDS Per Device CAL" : "RDS Per User CAL";

    public static KeyPack Create(string keyPackId, KeyPackCode code, ProductVersion version, CalType type, int total, DateTimeOffset installedOn, DateTimeOffset? expiresOn)
    {
        if (total <= 0)
        {
            throw LicensingException.Invalid("quantity", $"quantity must be greater than 0, got {total}");
        }

        return new KeyPack(keyPackId, code, version, type, total, 0, installedOn, expiresOn);
    }

    /// <summary>Rebuilds a stored key pack (for stores); checks the counter invariant.</summary>
    public static KeyPack Restore(string keyPackId, KeyPackCode code, ProductVersion version, CalType type, int total, int issued, DateTimeOffset installedOn, DateTimeOffset? expiresOn)
    {
        if (total <= 0 || issued < 0 || (type == CalType.PerDevice && issued > total))
        {
            throw new InvalidOperationException($"stored key pack {keyPackId} breaks its counters: total {total}, issued {issued}");
        }

        return new KeyPack(keyPackId, code, version, type, total, issued, installedOn, expiresOn);
    }

    /// <summary>True when the pack can hand out a CAL at <paramref name="now"/> without over-allocating.</summary>
    public bool HasAvailable(DateTimeOffset now) => Available > 0 && !IsExpired(now);

    public bool IsExpired(DateTimeOffset now) => ExpiresOn is { } expires && expires <= now;

    /// <summary>Takes one CAL; per device only when one is available.</summary>
    internal void Take(bool overAllocate)
    {
        if (Type == CalType.PerDevice && overAllocate)
        {
            throw new InvalidOperationException("per-device key packs are never over-allocated");
        }

        if (!overAllocate && Available == 0)
        {
            throw new InvalidOperationException($"key pack {KeyPackId} has no CAL available");
        }

        Issued++;
    }

    /// <summary>Returns one CAL to the pool (expiry, revocation).</summary>
    internal void Return()
    {
        if (Issued == 0)
        {
            throw new InvalidOperationException($"key pack {KeyPackId} has no issued CAL to return");
        }

        Issued--;
    }
}
