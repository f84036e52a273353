using System.Globalization;
using RdLicensing.Domain;

namespace RdLicensing.Server.Ui;

/// <summary>How the pages write dates, numbers and names (invariant culture, UTC).</summary>
public static class UiFormat
{
    /// <summary>"2026-11-23 09:42 UTC", or an en dash when there is none.</summary>
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "–";

    /// <summary>"2026-11-23", or an en dash when there is none.</summary>
    public static string Date(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "–";

    /// <summary>A count with thousands separators ("100,000").</summary>
    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>"Per Device" / "Per User".</summary>
    public static string Type(CalType type) => UiData.CalTypeName(type);

    /// <summary>The status as licmgr shows it.</summary>
    public static string Status(LicenseStatus status) => status switch
    {
        LicenseStatus.Temporary => "Temporary",
        LicenseStatus.Permanent => "Active",
        LicenseStatus.Revoked => "Revoked",
        LicenseStatus.Expired => "Expired",
        _ => status.ToString(),
    };

    /// <summary>The program as the wizard names it.</summary>
    public static string Program(LicenseProgram program) => CodeFormat.All.FirstOrDefault(f => f.Program == program)?.Title ?? WireNames.Of(program);
}
