namespace RdLicensing.Domain;

/// <summary>Severity of a <see cref="LicensingEvent"/>, as the Windows event log shows it.</summary>
public enum EventLevel
{
    Information = 1,
    Warning = 2,
    Error = 3,
}

/// <summary>
/// A decision an admin must see, recorded with its Windows event id (rds-facts.md section 6, <see cref="WindowsEventIds"/>).
/// The store assigns the sequence number.
/// </summary>
public sealed record LicensingEvent(
    DateTimeOffset Time,
    int EventId,
    string Source,
    EventLevel Level,
    string Message,
    string? LicenseId = null,
    string? KeyPackId = null,
    string? Host = null);
