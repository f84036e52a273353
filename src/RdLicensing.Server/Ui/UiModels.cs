using Microsoft.AspNetCore.Antiforgery;
using RdLicensing.Analysis.Diagnoser;
using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Reports;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Server.Ui;

/// <summary>Who is looking and what the layout needs: the signed-in key, its role, the form token, the current section.</summary>
/// <param name="UserName">The name of the API key the session signed in with.</param>
/// <param name="Role">Its role (admin or auditor).</param>
/// <param name="Tokens">The antiforgery token every form posts back.</param>
/// <param name="Section">The navigation entry to mark as current.</param>
/// <param name="Notice">A one-line confirmation to show at the top (after a redirect), or null.</param>
public sealed record PageContext(string UserName, string Role, AntiforgeryTokenSet Tokens, string Section, string? Notice = null)
{
    /// <summary>Admins change things; auditors only look.</summary>
    public bool IsAdmin => Role == Auth.Roles.Admin;
}

/// <summary>Total / Issued / Available of one CAL type and product version, over its installed key packs.</summary>
public sealed record UsageRow(CalType Type, ProductVersion Version, int Total, int Issued, int Available, int Packs)
{
    /// <summary>Issued as a share of total, 0–100 (per-user CALs may exceed their total: capped at 100).</summary>
    public int Percent => Total <= 0 ? 0 : (int)Math.Min(100, Math.Round(Issued * 100.0 / Total));

    /// <summary>Per-user CALs issued beyond the total (not enforced, as on Windows).</summary>
    public int OverAllocated => Type == CalType.PerUser ? Math.Max(0, Issued - Total) : 0;
}

/// <summary>How much an attention item matters.</summary>
public enum AttentionLevel
{
    /// <summary>Clients are, or soon will be, refused.</summary>
    Error,

    /// <summary>Will break or is degraded.</summary>
    Warning,

    /// <summary>Worth knowing.</summary>
    Information,
}

/// <summary>One thing on the overview that needs an admin's attention, with where to act on it.</summary>
public sealed record AttentionItem(AttentionLevel Level, string Text, string? Link = null, string? LinkText = null);

/// <summary>A session host that talks to this server: by its key, by the CALs issued through it, or both.</summary>
/// <param name="Name">The host's name (its key's name, or the host recorded on its CALs).</param>
/// <param name="HasKey">Whether a host key of that name exists.</param>
/// <param name="KeyLastSeen">When its key was last used.</param>
/// <param name="Cals">CALs issued through it that are still temporary or permanent.</param>
/// <param name="LastIssued">When it last obtained a CAL.</param>
public sealed record HostRow(string Name, bool HasKey, DateTimeOffset? KeyLastSeen, int Cals, DateTimeOffset? LastIssued);

/// <summary>The 20 % rule of one product version, for the overview and the revoke confirmation.</summary>
public sealed record RevocationRow(ProductVersion Version, RevocationAllowance Allowance);

/// <summary>The overview page.</summary>
public sealed record OverviewModel(
    LicenseServer Server,
    IReadOnlyList<UsageRow> Usage,
    IReadOnlyList<AttentionItem> Attention,
    IReadOnlyList<RevocationRow> Revocation,
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<HostRow> Hosts,
    long CalRows);

/// <summary>Issued CALs per week and series, for the chart on the reports page.</summary>
/// <param name="Weeks">The first day (Monday, UTC) of each week, oldest first.</param>
/// <param name="Series">Per series name, one count per week.</param>
public sealed record IssuedSeries(IReadOnlyList<DateOnly> Weeks, IReadOnlyList<(string Name, string CssClass, int[] Counts)> Series)
{
    /// <summary>The largest weekly count of any series (at least 1, for scaling).</summary>
    public int Max => Math.Max(1, Series.SelectMany(s => s.Counts).DefaultIfEmpty(0).Max());
}

/// <summary>The reports page: key pack summary, per-user summary, findings of the duplicate-CAL analysis, the chart.</summary>
public sealed record ReportsModel(
    KeyPackReport KeyPacks,
    PerUserReport PerUser,
    AnalysisResult Analysis,
    IssuedSeries Issued,
    long PerDeviceRows);

/// <summary>A diagnosis of one known host, or why there is none.</summary>
/// <param name="Host">The host's name.</param>
/// <param name="Source">Where its configuration came from ("this server's data directory", "uploaded .reg export").</param>
/// <param name="Diagnosis">The diagnoser's result, when configuration data exists.</param>
/// <param name="NotContacted">License servers the host names that the Licensing Manager does not contact (other machines).</param>
public sealed record HostDiagnosis(string Host, string Source, Diagnosis? Diagnosis, IReadOnlyList<string> NotContacted);

/// <summary>The diagnose page.</summary>
/// <param name="Diagnosed">Hosts with configuration data, diagnosed.</param>
/// <param name="WithoutData">Known hosts with no configuration data here.</param>
/// <param name="UploadError">Why an uploaded export could not be read, shown next to the file field.</param>
/// <param name="UploadHost">The host name typed with the upload.</param>
/// <param name="HostError">Why the host name of an upload was refused, shown next to the field.</param>
public sealed record DiagnoseModel(
    IReadOnlyList<HostDiagnosis> Diagnosed,
    IReadOnlyList<string> WithoutData,
    string? UploadError = null,
    string? UploadHost = null,
    string? HostError = null);

/// <summary>The filters of the issued-CAL list, as typed (so a bad value is shown back with its message).</summary>
public sealed record LicenseFilter(
    string? Computer, string? User, string? Hwid, string? Status, string? Type, string? Version, string? Search, int Page)
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 50;

    /// <summary>The query string for these filters at <paramref name="page"/>.</summary>
    public string QueryString(int page)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }

        Add("computer", Computer);
        Add("user", User);
        Add("hwid", Hwid);
        Add("status", Status);
        Add("type", Type);
        Add("version", Version);
        Add("search", Search);
        if (page > 1)
        {
            parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>The issued-CAL list: one page from the store, how many match, and any filter errors by field.</summary>
public sealed record LicensesModel(LicenseFilter Filter, IReadOnlyList<IssuedLicense> Items, int Total, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>Pages in all (at least 1).</summary>
    public int Pages => Math.Max(1, (Total + LicenseFilter.PageSize - 1) / LicenseFilter.PageSize);
}
