using System.Globalization;
using System.Text;
using RdLicensing.Analysis;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Diagnoser;
using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Imports;
using RdLicensing.Analysis.Reports;
using RdLicensing.Domain;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;
using RdLicensing.Server.Auth;
using RdLicensing.Server.HostRegistry;
using RdLicensing.Server.Licensing;
using RdLicensing.Storage;

namespace RdLicensing.Server.Ui;

/// <summary>
/// What the Licensing Manager's pages show, read from the store. Lists are paged by the store query (LIMIT/OFFSET); the
/// reports, the duplicate-CAL analysis and the overview's forecast read every CAL once, page by page inside one
/// snapshot, keeping only the analyzer's compact per-device records, never the rows.
/// </summary>
public sealed class UiData
{
    /// <summary>Rows read per store query while scanning every CAL.</summary>
    internal const int ScanPageSize = 2000;

    /// <summary>Weeks the chart shows at most.</summary>
    internal const int ChartWeeks = 26;

    /// <summary>A key pack with less than this share available is a warning.</summary>
    private const double LowShare = 0.10;

    private readonly LicensingService _licensing;
    private readonly LicensingEngine _engine;
    private readonly ApiKeys _keys;
    private readonly LicenseServerOptions _options;
    private readonly TimeProvider _time;

    public UiData(LicensingService licensing, LicensingEngine engine, ApiKeys keys, LicenseServerOptions options, TimeProvider time)
    {
        _licensing = licensing;
        _engine = engine;
        _keys = keys;
        _options = options;
        _time = time;
    }

    private ILicenseStore Store => _licensing.Store;

    /// <summary>The overview: server, usage per CAL type and version, what needs attention, events, hosts.</summary>
    public async Task<OverviewModel> OverviewAsync(CancellationToken cancellationToken)
    {
        await _licensing.SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        (LicenseServer server, IReadOnlyList<KeyPack> packs, List<RevocationRow> revocation, IReadOnlyList<StoredEvent> events) =
            await Store.ReadAsync(
                s =>
                {
                    IReadOnlyList<KeyPack> packs = s.KeyPacks();
                    List<RevocationRow> revocation = [.. packs.Where(p => p.Type == CalType.PerDevice).Select(p => p.Version).Distinct()
                        .OrderBy(v => v.Rank).Select(v => new RevocationRow(v, _engine.Allowance(s, v)))];
                    return (LicensingEngine.GetServer(s), packs, revocation, LatestEvents(s, 8));
                },
                cancellationToken).ConfigureAwait(false);
        Scan scan = await ScanAsync(packs, now, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ApiKeyRecord> keys = await _keys.ListAsync(cancellationToken).ConfigureAwait(false);

        List<UsageRow> usage = Usage(packs);
        var attention = new List<AttentionItem>();
        if (!server.IsActivated)
        {
            attention.Add(new AttentionItem(AttentionLevel.Error,
                $"the license server is {WireNames.Of(server.ActivationState)}: it issues temporary CALs only and no key pack can be installed",
                UiRoutes.Overview + "#activation", "activate it"));
        }

        if (LocalHostConfiguration() is { } local)
        {
            GraceState grace = local.Configuration.Grace(now);
            if (grace.Started && grace.Expired)
            {
                attention.Add(new AttentionItem(AttentionLevel.Error,
                    "the grace period of this server's session host has ended: it needs a license server to admit clients", UiRoutes.Diagnose, "diagnose"));
            }
            else if (grace.Started && grace.DaysLeft <= LicensingDiagnoser.GraceWarningDays)
            {
                attention.Add(new AttentionItem(AttentionLevel.Warning,
                    $"the grace period of this server's session host ends in {grace.DaysLeft} days ({grace.End:yyyy-MM-dd})", UiRoutes.Diagnose, "diagnose"));
            }
            else if (grace.Started)
            {
                attention.Add(new AttentionItem(AttentionLevel.Information,
                    $"the session host on this server is in its grace period: {grace.DaysLeft} days left ({grace.End:yyyy-MM-dd})"));
            }
        }

        foreach (UsageRow row in usage)
        {
            string what = $"{CalTypeName(row.Type)} CALs of {row.Version.Name}";
            if (row.Type == CalType.PerDevice && row.Available == 0)
            {
                attention.Add(new AttentionItem(AttentionLevel.Error, $"no {what} are left: new clients get temporary CALs only", UiRoutes.KeyPackInstall, "install more"));
            }
            else if (row.Type == CalType.PerDevice && row.Available < row.Total * LowShare)
            {
                attention.Add(new AttentionItem(AttentionLevel.Warning, $"only {row.Available} of {row.Total} {what} are left", UiRoutes.KeyPackInstall, "install more"));
            }
            else if (row.OverAllocated > 0)
            {
                attention.Add(new AttentionItem(AttentionLevel.Warning,
                    $"{row.OverAllocated} more {what} are issued than installed (not enforced, but not licensed)", UiRoutes.KeyPackInstall, "install more"));
            }
        }

        foreach (Finding finding in scan.Analysis.Findings.Where(f => f.Kind == FindingKinds.Exhaustion))
        {
            attention.Add(new AttentionItem(AttentionLevel.Warning, finding.Summary, UiRoutes.Reports + "#findings", "see the forecast"));
        }

        int wasted = scan.Analysis.Findings.Where(f => f.Kind != FindingKinds.Exhaustion).Sum(f => f.CalsWasted);
        if (wasted > 0)
        {
            attention.Add(new AttentionItem(AttentionLevel.Warning,
                $"{wasted} per-device CALs are held by devices that no longer use them (duplicate CALs)", UiRoutes.Reports + "#findings", "see the findings"));
        }

        foreach (RevocationRow row in revocation.Where(r => r.Allowance.RevocableCals == 0))
        {
            attention.Add(new AttentionItem(AttentionLevel.Warning,
                $"the revocation limit of {row.Version.Name} per-device CALs is reached ({row.Allowance.RevokedCount} of at most {row.Allowance.Limit}); the next revocation is allowed on {row.Allowance.NextRevokeAllowedOn:yyyy-MM-dd}"));
        }

        foreach (KeyPack pack in packs.Where(p => p.ExpiresOn is { } e && e > now && e - now <= TimeSpan.FromDays(30)))
        {
            attention.Add(new AttentionItem(AttentionLevel.Warning, $"key pack {pack.KeyPackId} ({pack.Total} {pack.TypeAndModel} {pack.Version.Key}) expires on {pack.ExpiresOn:yyyy-MM-dd}", UiRoutes.KeyPacks));
        }

        var since = now - TimeSpan.FromDays(7);
        int recentErrors = events.Count(e => e.Event.Level == EventLevel.Error && e.Event.Time >= since);
        if (recentErrors > 0)
        {
            attention.Add(new AttentionItem(AttentionLevel.Warning, $"{recentErrors} of the latest events are errors", UiRoutes.Overview + "#events", "see the events"));
        }

        var hosts = new Dictionary<string, HostRow>(StringComparer.OrdinalIgnoreCase);
        foreach (ApiKeyRecord key in keys.Where(k => k.Role == Roles.Host))
        {
            hosts[key.Name] = new HostRow(key.Name, true, key.LastSeenOn, 0, null);
        }

        foreach ((string name, HostStats stats) in scan.Hosts)
        {
            hosts[name] = hosts.TryGetValue(name, out HostRow? row)
                ? row with { Cals = stats.Live, LastIssued = stats.LastIssued }
                : new HostRow(name, false, null, stats.Live, stats.LastIssued);
        }

        return new OverviewModel(server, usage, attention, revocation, events,
            [.. hosts.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)], scan.Rows);
    }

    /// <summary>Installed key packs.</summary>
    public Task<IReadOnlyList<KeyPack>> KeyPacksAsync(CancellationToken cancellationToken) => _licensing.KeyPacksAsync(cancellationToken);

    /// <summary>One page of issued CALs for <paramref name="filter"/>; bad filter values are reported by field and ignored.</summary>
    public async Task<LicensesModel> LicensesAsync(LicenseFilter filter, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        HardwareId? hwid = null;
        if (!string.IsNullOrWhiteSpace(filter.Hwid))
        {
            string compact = filter.Hwid.Trim().Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (HardwareId.TryParse(compact, out HardwareId parsed))
            {
                hwid = parsed;
            }
            else
            {
                errors["hwid"] = $"a hardware id is 40 hex digits (20 bytes), got {filter.Hwid.Trim().Length} characters";
            }
        }

        LicenseStatus? status = ParseOptional<LicenseStatus>(filter.Status, "status", errors);
        CalType? type = ParseOptional<CalType>(filter.Type, "type", errors);
        ProductVersion? version = null;
        if (!string.IsNullOrWhiteSpace(filter.Version))
        {
            if (ProductVersions.TryParse(filter.Version, out ProductVersion parsed))
            {
                version = parsed;
            }
            else
            {
                errors["version"] = $"unknown product version '{filter.Version}'";
            }
        }

        int page = Math.Max(1, filter.Page);
        var query = new LicenseQuery(status, type, version, Blank(filter.Computer), Blank(filter.User), hwid, null, Blank(filter.Search),
            Skip: (int)Math.Min(int.MaxValue, (long)(page - 1) * LicenseFilter.PageSize), Take: LicenseFilter.PageSize);
        LicensePage result = await _licensing.LicensesAsync(query, cancellationToken).ConfigureAwait(false);
        if (result.Items.Count == 0 && result.Total > 0 && page > 1)
        {
            // Past the last page (rows went away, or a hand-typed page number): show the last page instead.
            int last = Math.Max(1, (result.Total + LicenseFilter.PageSize - 1) / LicenseFilter.PageSize);
            result = await _licensing.LicensesAsync(query with { Skip = (last - 1) * LicenseFilter.PageSize }, cancellationToken).ConfigureAwait(false);
            filter = filter with { Page = last };
        }

        return new LicensesModel(filter with { Page = page == filter.Page ? page : filter.Page }, result.Items, result.Total, errors);
    }

    /// <summary>A CAL and the 20 % rule of its version, for the revoke confirmation; null when there is no such CAL.</summary>
    public Task<(IssuedLicense License, RevocationAllowance? Allowance)?> RevocationAsync(string licenseId, CancellationToken cancellationToken) =>
        Store.ReadAsync<(IssuedLicense, RevocationAllowance?)?>(
            s => s.FindLicense(licenseId) is { } license
                ? (license, license.Type == CalType.PerDevice ? _engine.Allowance(s, license.Version) : null)
                : null,
            cancellationToken);

    /// <summary>The reports page model (reads every CAL once).</summary>
    public async Task<ReportsModel> ReportsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyPack> packs = await _licensing.KeyPacksAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        Scan scan = await ScanAsync(packs, now, cancellationToken).ConfigureAwait(false);
        List<KeyPackRecord> records = packs.Select(ToRecord).ToList();
        return new ReportsModel(
            KeyPackReport.Build(records),
            PerUserReport.Build(scan.PerUser, records, _time),
            scan.Analysis,
            scan.Series,
            scan.PerDeviceRows);
    }

    /// <summary>
    /// Writes the named CSV report to a temporary file that is deleted when the returned stream is closed (the rows are
    /// read inside one store snapshot, where no await is possible, so they are not written to the response directly).
    /// Null when there is no such report.
    /// </summary>
    public async Task<Stream?> CsvAsync(string name, CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyPack> packs = await _licensing.KeyPacksAsync(cancellationToken).ConfigureAwait(false);
        List<KeyPackRecord> packRecords = packs.Select(ToRecord).ToList();
        DateTimeOffset now = _time.GetUtcNow();
        Action<TextWriter, ILicenseSession>? write = name switch
        {
            UiReports.KeyPacks => (w, _) => KeyPackReport.Build(packRecords).WriteCsv(w),
            UiReports.PerDevice => (w, s) => PerDeviceReport.WriteCsv(w, ReadAll(s, CalType.PerDevice).Select(ToRecord).OfType<IssuedLicenseRecord>()),
            UiReports.PerUser => (w, s) => PerUserReport.Build(PerUserCals(ReadAll(s, CalType.PerUser), now), packRecords, _time).WriteEntriesCsv(w),
            UiReports.PerUserSummary => (w, s) => PerUserReport.Build(PerUserCals(ReadAll(s, CalType.PerUser), now), packRecords, _time).WriteSummaryCsv(w),
            UiReports.Findings => (w, s) => WriteFindingsCsv(w, Analyze(s, packRecords, now)),
            UiReports.IssuedOverTime => (w, s) => WriteSeriesCsv(w, SeriesOf(ReadAll(s, null), now)),
            _ => null,
        };
        if (write is null)
        {
            return null;
        }

        string path = Path.Combine(Path.GetTempPath(), "rdlic-report-" + Guid.NewGuid().ToString("N") + ".csv");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            await Store.ReadAsync(
                s =>
                {
                    using var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
                    write(writer, s);
                    writer.Flush();
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The diagnoser's findings for each known host whose configuration exists here (this server's own session host, in
    /// the data directory), plus the <paramref name="uploaded"/> export if any; the other known hosts are listed as having no data.
    /// </summary>
    public async Task<DiagnoseModel> DiagnoseAsync(IReadOnlyList<string> requestHosts, HostDiagnosis? uploaded, CancellationToken cancellationToken)
    {
        var diagnosed = new List<HostDiagnosis>();
        if (uploaded is not null)
        {
            diagnosed.Add(uploaded);
        }

        if (LocalHostConfiguration() is { } local)
        {
            diagnosed.Add(await DiagnoseAsync(Environment.MachineName, $"this server's session host ({local.Path})", local.Configuration, requestHosts, cancellationToken).ConfigureAwait(false));
        }

        OverviewModel overview = await OverviewAsync(cancellationToken).ConfigureAwait(false);
        var withData = new HashSet<string>(diagnosed.Select(d => d.Host), StringComparer.OrdinalIgnoreCase);
        return new DiagnoseModel(diagnosed, [.. overview.Hosts.Select(h => h.Name).Where(n => !withData.Contains(n))]);
    }

    /// <summary>Runs the diagnoser for one host configuration against this license server (the only one it contacts).</summary>
    public async Task<HostDiagnosis> DiagnoseAsync(string host, string source, HostConfiguration configuration, IReadOnlyList<string> requestHosts, CancellationToken cancellationToken)
    {
        (LicenseServer server, IReadOnlyList<KeyPack> packs) = await Store.ReadAsync(s => (LicensingEngine.GetServer(s), s.KeyPacks()), cancellationToken).ConfigureAwait(false);
        var self = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Environment.MachineName, server.Name, "localhost", "127.0.0.1", "::1", "[::1]" };
        foreach (string name in requestHosts)
        {
            self.Add(name);
        }

        var observations = new List<LicenseServerObservation>();
        var notContacted = new List<string>();
        foreach (string name in configuration.LicenseServers)
        {
            string bare = Uri.TryCreate(name, UriKind.Absolute, out Uri? url) ? url.Host : name.Split(':')[0];
            if (self.Contains(name) || self.Contains(bare))
            {
                observations.Add(LicenseServerObservation.Reached(name,
                    new LicenseServerFacts(server.Version, server.Version.Name, server.ActivationState, server.DiscoveryScope),
                    [.. packs.Select(p => new KeyPackFacts(p.Type, p.Version, p.Version.Key, p.Total, p.Issued, p.Available))]));
            }
            else
            {
                notContacted.Add(name);
            }
        }

        ProductVersion version = configuration.HostVersion ?? ProductVersions.Latest;
        Diagnosis diagnosis = LicensingDiagnoser.Run(new DiagnoserInput(configuration, version, _time.GetUtcNow(), observations));
        return new HostDiagnosis(host, source, diagnosis, notContacted);
    }

    /// <summary>This server's own session-host configuration (data directory), when that file exists and reads.</summary>
    internal (HostConfiguration Configuration, string Path)? LocalHostConfiguration()
    {
        var store = new HostRegistryStore(_options.DataDirectory, _time);
        if (!File.Exists(store.FilePath))
        {
            return null;
        }

        try
        {
            return (store.ReadConfiguration(), store.FilePath);
        }
        catch (RegFileFormatException)
        {
            return null;
        }
    }

    /// <summary>The per-(type, version) usage rows over the installed key packs.</summary>
    internal static List<UsageRow> Usage(IEnumerable<KeyPack> packs) =>
        [.. packs.GroupBy(p => (p.Type, p.Version))
            .OrderBy(g => g.Key.Type).ThenByDescending(g => g.Key.Version.Rank)
            .Select(g => new UsageRow(g.Key.Type, g.Key.Version, g.Sum(p => p.Total), g.Sum(p => p.Issued), g.Sum(p => p.Available), g.Count()))];

    /// <summary>"Per Device" or "Per User".</summary>
    public static string CalTypeName(CalType type) => type == CalType.PerDevice ? "Per Device" : "Per User";

    /// <summary>The <paramref name="count"/> newest events, newest first (the store lists events after a sequence, oldest first).</summary>
    internal static IReadOnlyList<StoredEvent> LatestEvents(ILicenseSession session, int count)
    {
        // The newest sequence is the smallest x with no event after x: grow x until nothing follows, then bisect.
        long low = 0, high = 1;
        while (session.Events(high, 1).Count > 0)
        {
            low = high;
            high *= 2;
        }

        if (session.Events(low, 1).Count == 0)
        {
            return [];
        }

        while (high - low > 1)
        {
            long middle = low + ((high - low) / 2);
            if (session.Events(middle, 1).Count > 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return [.. session.Events(Math.Max(0, high - count), count).Reverse()];
    }

    internal static KeyPackRecord ToRecord(KeyPack pack) => new(
        pack.KeyPackId,
        WireNames.Of(pack.Program),
        pack.Program switch { LicenseProgram.Retail => 1, LicenseProgram.Open => 5, _ => 2 },
        pack.Type == CalType.PerDevice ? KeyPackRecord.PerDeviceProductType : KeyPackRecord.PerUserProductType,
        pack.Version.Name,
        pack.Version.WmiProductVersionId,
        pack.TypeAndModel,
        pack.Total,
        pack.Issued,
        pack.Available,
        pack.ExpiresOn,
        pack.Version);

    /// <summary>A per-device CAL as Win32_TSIssuedLicense lists it; null for expired CALs (Windows no longer lists them).</summary>
    internal static IssuedLicenseRecord? ToRecord(IssuedLicense license)
    {
        WmiLicenseStatus status = license.Status switch
        {
            LicenseStatus.Temporary => WmiLicenseStatus.Temporary,
            LicenseStatus.Permanent => WmiLicenseStatus.Active,
            LicenseStatus.Revoked => WmiLicenseStatus.Revoked,
            _ => WmiLicenseStatus.Unknown,
        };
        return status == WmiLicenseStatus.Unknown
            ? null
            : new IssuedLicenseRecord(
                license.KeyPackId ?? KeyPack.TemporaryKeyPackId, license.LicenseId, license.Machine ?? "", license.User ?? "",
                license.Hwid?.ToString() ?? "", license.IssuedOn, license.ExpiresOn, status, license.Version);
    }

    private static IEnumerable<PerUserCal> PerUserCals(IEnumerable<IssuedLicense> licenses, DateTimeOffset now) =>
        licenses.Where(l => l.IsActive(now) && l.User is not null).Select(l => new PerUserCal(l.User!, l.ExpiresOn, l.Version));

    /// <summary>Every CAL (of <paramref name="type"/>, or all), newest first, read page by page from the store.</summary>
    private static IEnumerable<IssuedLicense> ReadAll(ILicenseSession session, CalType? type)
    {
        for (int skip = 0; ; skip += ScanPageSize)
        {
            LicensePage page = session.QueryLicenses(new LicenseQuery(Type: type, Skip: skip, Take: ScanPageSize));
            foreach (IssuedLicense license in page.Items)
            {
                yield return license;
            }

            if (page.Items.Count < ScanPageSize)
            {
                yield break;
            }
        }
    }

    private AnalysisResult Analyze(ILicenseSession session, IReadOnlyList<KeyPackRecord> packs, DateTimeOffset now) =>
        IssuedLicenseAnalyzer.Analyze(ReadAll(session, CalType.PerDevice).Select(ToRecord).OfType<IssuedLicenseRecord>(), packs, _time, new AnalysisOptions(AsOf: now));

    private async Task<Scan> ScanAsync(IReadOnlyList<KeyPack> packs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<KeyPackRecord> packRecords = packs.Select(ToRecord).ToList();
        return await Store.ReadAsync(
            s =>
            {
                var analyzer = new IssuedLicenseAnalyzer(_time, new AnalysisOptions(AsOf: now));
                var perUser = new List<PerUserCal>();
                var hosts = new Dictionary<string, HostStats>(StringComparer.OrdinalIgnoreCase);
                var series = new SeriesBuilder(now);
                long rows = 0, perDevice = 0;
                foreach (IssuedLicense license in ReadAll(s, null))
                {
                    rows++;
                    series.Add(license);
                    if (license.IssuedToHost is { Length: > 0 } host)
                    {
                        HostStats stats = hosts.GetValueOrDefault(host) ?? new HostStats();
                        stats.Live += license.IsActive(now) ? 1 : 0;
                        stats.LastIssued = stats.LastIssued is { } last && last > license.IssuedOn ? last : license.IssuedOn;
                        hosts[host] = stats;
                    }

                    if (license.Type == CalType.PerUser)
                    {
                        if (license.IsActive(now) && license.User is not null)
                        {
                            perUser.Add(new PerUserCal(license.User, license.ExpiresOn, license.Version));
                        }
                    }
                    else if (ToRecord(license) is { } record)
                    {
                        perDevice++;
                        analyzer.Add(record);
                    }
                }

                return new Scan(rows, perDevice, analyzer.Complete(packRecords), perUser, hosts, series.Build());
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static IssuedSeries SeriesOf(IEnumerable<IssuedLicense> licenses, DateTimeOffset now)
    {
        var builder = new SeriesBuilder(now);
        foreach (IssuedLicense license in licenses)
        {
            builder.Add(license);
        }

        return builder.Build();
    }

    private static void WriteFindingsCsv(TextWriter writer, AnalysisResult analysis)
    {
        var csv = new ExportCsvWriter(writer,
            ["Kind", "Summary", "LicenseId", "KeyPackId", "sIssuedToComputer", "sHardwareId", "ProductVersion", "LicenseStatus", "ExpirationDate", "RevocableNow", "Note"]);
        foreach (Finding finding in analysis.Findings)
        {
            if (finding.WastedCals.Count == 0)
            {
                csv.WriteRecord([finding.Kind, finding.Summary, "", "", string.Join(' ', finding.Devices.Select(d => d.Computer).Distinct()), "", finding.Exhaustion?.Version, "", "", "", ""]);
                continue;
            }

            foreach (WastedCal cal in finding.WastedCals)
            {
                csv.WriteRecord([
                    finding.Kind, finding.Summary, cal.LicenseId, cal.KeyPackId, cal.Computer, cal.HardwareId, cal.Version, cal.Status,
                    WmiDateTime.ToDmtf(cal.ExpiresOn), cal.RevocableNow ? "True" : "False", cal.Note,
                ]);
            }
        }
    }

    private static void WriteSeriesCsv(TextWriter writer, IssuedSeries series)
    {
        var csv = new ExportCsvWriter(writer, ["WeekStarting", .. series.Series.Select(s => s.Name)]);
        for (int i = 0; i < series.Weeks.Count; i++)
        {
            csv.WriteRecord([series.Weeks[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. series.Series.Select(s => s.Counts[i].ToString(CultureInfo.InvariantCulture))]);
        }
    }

    private static T? ParseOptional<T>(string? text, string field, Dictionary<string, string> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (WireNames.TryParse(text, out T value))
        {
            return value;
        }

        errors[field] = $"unknown {field} '{text}'";
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class HostStats
    {
        public int Live { get; set; }

        public DateTimeOffset? LastIssued { get; set; }
    }

    private sealed record Scan(
        long Rows, long PerDeviceRows, AnalysisResult Analysis, List<PerUserCal> PerUser, Dictionary<string, HostStats> Hosts, IssuedSeries Series);

    /// <summary>Counts CALs per week (Monday, UTC) for the last <see cref="ChartWeeks"/> weeks, per series.</summary>
    private sealed class SeriesBuilder
    {
        private readonly DateOnly _firstWeek;
        private readonly int[] _permanent = new int[ChartWeeks];
        private readonly int[] _temporary = new int[ChartWeeks];
        private readonly int[] _perUser = new int[ChartWeeks];

        public SeriesBuilder(DateTimeOffset now)
        {
            DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
            DateOnly monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            _firstWeek = monday.AddDays(-7 * (ChartWeeks - 1));
        }

        public void Add(IssuedLicense license)
        {
            int days = DateOnly.FromDateTime(license.IssuedOn.UtcDateTime).DayNumber - _firstWeek.DayNumber;
            if (days < 0 || days / 7 >= ChartWeeks)
            {
                return;
            }

            int[] counts = license.Type == CalType.PerUser ? _perUser : license.Temporary ? _temporary : _permanent;
            counts[days / 7]++;
        }

        public IssuedSeries Build() => new(
            [.. Enumerable.Range(0, ChartWeeks).Select(i => _firstWeek.AddDays(7 * i))],
            [("Per Device (permanent)", "s-device", _permanent), ("Per Device (temporary)", "s-temporary", _temporary), ("Per User", "s-user", _perUser)]);
    }
}

/// <summary>The CSV reports the reports page offers, by file name.</summary>
public static class UiReports
{
    public const string KeyPacks = "keypacks.csv";
    public const string PerDevice = "per-device-cals.csv";
    public const string PerUser = "per-user-cals.csv";
    public const string PerUserSummary = "per-user-summary.csv";
    public const string Findings = "duplicate-cal-findings.csv";
    public const string IssuedOverTime = "cals-issued-per-week.csv";

    /// <summary>Every report with a line saying what it holds.</summary>
    public static IReadOnlyList<(string File, string Title, string Description)> All { get; } =
    [
        (KeyPacks, "Key packs", "Win32_TSLicenseKeyPack columns: total, issued and available per key pack"),
        (PerDevice, "Per-device CALs", "every issued per-device CAL with the Win32_TSIssuedLicense columns (Export-Csv format)"),
        (PerUser, "Per-user CALs", "every tracked per-user CAL (Win32_TSLicenseReportEntry)"),
        (PerUserSummary, "Per-user summary", "installed and issued per-user CALs per version (Win32_TSLicenseReportSummaryEntry)"),
        (Findings, "Duplicate-CAL findings", "the CALs that devices hold several of, with what the 20% rule lets you revoke now"),
        (IssuedOverTime, "CALs issued per week", "the chart's numbers: CALs issued per week and CAL type"),
    ];
}
