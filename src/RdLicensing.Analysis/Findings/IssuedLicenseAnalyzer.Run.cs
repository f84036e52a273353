using System.Globalization;
using RdLicensing.Domain;

namespace RdLicensing.Analysis.Findings;

public sealed partial class IssuedLicenseAnalyzer
{
    /// <summary>One evaluation of the collected devices at one moment.</summary>
    private sealed class Run
    {
        private const int MaxNamesInSummary = 5;

        private readonly IssuedLicenseAnalyzer _a;
        private readonly IReadOnlyList<KeyPackRecord>? _keyPacks;
        private readonly Dictionary<string, KeyPackRecord> _packById = new(StringComparer.Ordinal);
        private readonly long _now;
        private readonly List<Draft> _drafts = [];
        private readonly List<string> _limitations = [];

        public Run(IssuedLicenseAnalyzer analyzer, IReadOnlyList<KeyPackRecord>? keyPacks, long now)
        {
            _a = analyzer;
            _keyPacks = keyPacks;
            _now = now;
            foreach (KeyPackRecord pack in keyPacks ?? [])
            {
                _packById.TryAdd(pack.KeyPackId, pack);
            }
        }

        public AnalysisResult Build(DateTimeOffset asOf)
        {
            long live = 0;
            for (int c = 0; c < _a._cals.Count; c++)
            {
                live += IsLive(c) ? 1 : 0;
            }

            FindSharedHardwareIds();
            FindNameProblems();
            (IReadOnlyList<RevocationBudget> budgets, Dictionary<int, (bool Now, string? Note)> plan, bool revocationEvaluated) = PlanRevocations();
            List<Finding> findings = [.. ForecastExhaustion()];
            var wastedAll = new HashSet<int>();
            foreach (Draft draft in _drafts.OrderByDescending(d => d.Wasted.Count).ThenBy(d => KindOrder(d.Kind)).ThenBy(d => d.Summary, StringComparer.Ordinal))
            {
                wastedAll.UnionWith(draft.Wasted);
                findings.Add(Materialize(draft, plan));
            }

            int revocableNow = plan.Count(p => p.Value.Now);
            return new AnalysisResult(
                asOf, _a._cals.Count, live, _a._pairs.Count, revocationEvaluated, _keyPacks is not null, _limitations, findings, budgets,
                wastedAll.Count, revocableNow);
        }

        private void FindSharedHardwareIds()
        {
            for (int h = 0; h < _a._hwids.Count; h++)
            {
                if (!HasTwoRecentPairs(_a._hwids.FirstPair(h), ofName: false))
                {
                    continue; // the common case, decided without allocating
                }

                List<int> pairs = PairsOfHwid(h).Where(IsRecent).ToList();
                if (pairs.Count < 2 || _a._hwids.IsEmpty(h) || pairs.All(p => LiveCals(p).Count == 0))
                {
                    continue;
                }

                var draft = new Draft(FindingKinds.SharedHardwareId);
                int liveTotal = 0;
                foreach (int p in pairs.OrderBy(p => _a._pairs[p].FirstIssue))
                {
                    List<int> cals = LiveCals(p);
                    liveTotal += cals.Count;
                    draft.Devices.Add((p, "sharing"));

                    // Each machine of the image holds at most the newest CAL issued under its name; older ones are held by none.
                    draft.Wasted.AddRange(cals.OrderByDescending(c => _a._cals[c].Issue).Skip(1));
                }

                draft.Summary = string.Create(CultureInfo.InvariantCulture,
                    $"hardware id {_a._hwids.Text(h)} holds {liveTotal} CAL{Plural(liveTotal)} under {pairs.Count} computer names ({Names(pairs)})");
                _drafts.Add(draft);
            }
        }

        private void FindNameProblems()
        {
            for (int n = 0; n < _a._names.Count; n++)
            {
                if (_a._names.IsEmpty(n) || !HasTwoRecentPairs(_a._names.FirstPair(n), ofName: true))
                {
                    continue;
                }

                List<int> pairs = PairsOfName(n).Where(IsRecent).ToList();
                if (pairs.Count < 2)
                {
                    continue;
                }

                pairs.Sort((x, y) => _a._pairs[x].FirstIssue.CompareTo(_a._pairs[y].FirstIssue));
                int current = pairs[^1];
                long currentSince = _a._pairs[current].FirstIssue;
                var stale = pairs.Where(p => p != current && _a._pairs[p].LastActivity < currentSince).ToHashSet();
                var renewing = pairs.Where(p => p == current || _a._pairs[p].LastActivity >= currentSince).Where(p => LiveCals(p).Count > 0).ToList();
                List<int> wasted = [.. stale.SelectMany(LiveCals)];
                string name = _a._names.Text(n);
                string Role(int p) => p == current ? "current" : stale.Contains(p) ? "stale" : "renewing";

                if (pairs.Count >= _a._options.ChurnThreshold)
                {
                    var churn = new Draft(FindingKinds.HardwareIdChurn)
                    {
                        Summary = string.Create(CultureInfo.InvariantCulture,
                            $"computer {name} received CALs under {pairs.Count} hardware ids; {wasted.Count} CAL{Plural(wasted.Count)} of {(stale.Count == 1 ? "a lost one" : "lost ones")} still held"),
                    };
                    churn.Devices.AddRange(pairs.Select(p => (p, Role(p))));
                    churn.Wasted.AddRange(wasted);
                    _drafts.Add(churn);
                }
                else if (wasted.Count > 0)
                {
                    var rebuilt = new Draft(FindingKinds.RebuiltDevice)
                    {
                        Summary = string.Create(CultureInfo.InvariantCulture,
                            $"computer {name} got a new hardware id on {Day(currentSince)}; {wasted.Count} CAL{Plural(wasted.Count)} of the old one{(stale.Count > 1 ? "s" : "")} no longer renewed"),
                    };
                    rebuilt.Devices.AddRange(pairs.Select(p => (p, Role(p))));
                    rebuilt.Wasted.AddRange(wasted);
                    _drafts.Add(rebuilt);
                }

                if (renewing.Count >= 2)
                {
                    var duplicate = new Draft(FindingKinds.DuplicateComputerName)
                    {
                        Summary = string.Create(CultureInfo.InvariantCulture,
                            $"computer name {name} is used by {renewing.Count} machines (hardware ids) that all still renew their CALs"),
                    };
                    duplicate.Devices.AddRange(renewing.Select(p => (p, p == current ? "current" : "renewing")));
                    _drafts.Add(duplicate);
                }
            }
        }

        private (IReadOnlyList<RevocationBudget>, Dictionary<int, (bool Now, string? Note)>, bool) PlanRevocations()
        {
            var plan = new Dictionary<int, (bool Now, string? Note)>();
            var candidates = _drafts.SelectMany(d => d.Wasted).Distinct()
                .OrderByDescending(c => _a._cals[c].Expiry).ThenBy(c => _a._cals[c].License).ToList();

            // Per version: installed per-device CALs, revoked ones not yet expired (they count until their expiry).
            var installed = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyPackRecord pack in _keyPacks ?? [])
            {
                if (pack.IsInstalledPerDevice && pack.Version is not null)
                {
                    installed[pack.Version.Key] = installed.GetValueOrDefault(pack.Version.Key) + pack.TotalLicenses;
                }
            }

            var revoked = new Dictionary<string, List<long>>(StringComparer.Ordinal);
            for (int c = 0; c < _a._cals.Count; c++)
            {
                if (_a._cals[c].Status == (byte)WmiLicenseStatus.Revoked && _a._cals[c].Expiry > _now && VersionOf(c) is { } v)
                {
                    (revoked.TryGetValue(v.Key, out List<long>? list) ? list : revoked[v.Key] = []).Add(_a._cals[c].Expiry);
                }
            }

            var planned = new Dictionary<string, List<long>>(StringComparer.Ordinal);
            bool evaluated = true;
            int unknownVersion = 0;
            foreach (int c in candidates)
            {
                Cal cal = _a._cals[c];
                string freeOn = Day(cal.Expiry);
                if (cal.Status != (byte)WmiLicenseStatus.Active)
                {
                    plan[c] = (false, $"only permanent CALs can be revoked: free on {freeOn}");
                    continue;
                }

                if (_keyPacks is null && cal.Version == 0)
                {
                    plan[c] = (false, $"not evaluated: the 20% rule needs the key packs (--keypacks); free on {freeOn} without revocation");
                    evaluated = false;
                    continue;
                }

                if (VersionOf(c) is not { } version)
                {
                    plan[c] = (false, $"not evaluated: key pack {_a._keyPackIds[cal.KeyPack]} is not in the key pack export; free on {freeOn} without revocation");
                    evaluated = false;
                    unknownVersion++;
                    continue;
                }

                List<long> mine = planned.TryGetValue(version.Key, out List<long>? list) ? list : planned[version.Key] = [];
                long limit = Limit(installed.GetValueOrDefault(version.Key));
                int already = revoked.GetValueOrDefault(version.Key)?.Count ?? 0;
                if (already + mine.Count < limit)
                {
                    mine.Add(cal.Expiry);
                    plan[c] = (true, null);
                }
                else
                {
                    plan[c] = (false, $"the 20% limit for {version.Key} is used up: free on {freeOn}, or revoke it once earlier revoked CALs expire");
                }
            }

            if (!evaluated)
            {
                _limitations.Add(_keyPacks is null
                    ? "revocation not evaluated: the 20% rule needs the installed per-device CALs of each product version (give the key pack export)"
                    : string.Create(CultureInfo.InvariantCulture, $"revocation not evaluated for {unknownVersion} CAL{Plural(unknownVersion)} whose key pack is not in the key pack export"));
            }

            var budgets = new List<RevocationBudget>();
            if (_keyPacks is not null || planned.Count > 0)
            {
                foreach (string version in installed.Keys.Union(revoked.Keys).Union(planned.Keys).OrderBy(VersionRank))
                {
                    long limit = Limit(installed.GetValueOrDefault(version));
                    List<long> already = revoked.GetValueOrDefault(version) ?? [];
                    List<long> mine = planned.GetValueOrDefault(version) ?? [];
                    long room = Math.Max(0, limit - already.Count);
                    DateTimeOffset? next = already.Count + mine.Count >= limit && already.Count + mine.Count > 0
                        ? new DateTimeOffset(already.Concat(mine).Min(), TimeSpan.Zero)
                        : null;
                    budgets.Add(new RevocationBudget(version, installed.GetValueOrDefault(version), limit, already.Count, room, mine.Count, next));
                }
            }

            return (budgets, plan, evaluated);
        }

        private IEnumerable<Finding> ForecastExhaustion()
        {
            if (_keyPacks is null)
            {
                _limitations.Add("exhaustion not evaluated: it needs the available CALs of each key pack (give the key pack export)");
                yield break;
            }

            long windowStart = _now - _a._options.Window.Ticks;
            var issued = new Dictionary<string, int>(StringComparer.Ordinal);
            var temporary = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < _a._cals.Count; c++)
            {
                Cal cal = _a._cals[c];
                if (VersionOf(c) is not { } v)
                {
                    continue;
                }

                if (cal.Status == (byte)WmiLicenseStatus.Temporary)
                {
                    temporary[v.Key] = temporary.GetValueOrDefault(v.Key) + (IsLive(c) ? 1 : 0);
                }
                else if (cal.Issue > windowStart && cal.Issue <= _now)
                {
                    issued[v.Key] = issued.GetValueOrDefault(v.Key) + 1;
                }
            }

            foreach (IGrouping<string, KeyPackRecord> group in _keyPacks.Where(p => p.IsInstalledPerDevice && p.Version is not null)
                         .GroupBy(p => p.Version!.Key).OrderBy(g => VersionRank(g.Key)))
            {
                long total = group.Sum(p => p.TotalLicenses), available = group.Sum(p => p.AvailableLicenses);
                int recent = issued.GetValueOrDefault(group.Key);
                double days = _a._options.Window.TotalDays;
                double perDay = recent / days;
                DateTimeOffset now = new(_now, TimeSpan.Zero);
                DateTimeOffset on;
                if (available <= 0)
                {
                    on = now;
                }
                else if (perDay > 0 && available / perDay <= _a._options.Horizon.TotalDays)
                {
                    on = now.AddDays(available / perDay);
                }
                else
                {
                    continue;
                }

                var forecast = new ExhaustionForecast(group.Key, total, available, recent, days, Math.Round(perDay, 3), on, temporary.GetValueOrDefault(group.Key));
                string name = ProductVersions.Parse(group.Key).Name;
                string summary = available <= 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{name} per-device CALs are used up: 0 of {total} available")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{name} per-device CALs run out around {Day(on.UtcTicks)}: {available} of {total} available, {perDay:0.##} issued per day over the last {days:0} days");
                yield return new Finding(FindingKinds.Exhaustion, summary, FindingKinds.CauseOf(FindingKinds.Exhaustion),
                    FindingKinds.ResolutionOf(FindingKinds.Exhaustion), [], [], 0, [], null, forecast);
            }
        }

        private Finding Materialize(Draft draft, Dictionary<int, (bool Now, string? Note)> plan)
        {
            var pairOfCal = new Dictionary<int, int>();
            foreach ((int p, _) in draft.Devices)
            {
                for (int c = _a._pairs[p].FirstCal; c >= 0; c = _a._cals[c].Next)
                {
                    pairOfCal[c] = p;
                }
            }

            var devices = new List<FindingDevice>();
            var licenseIds = new List<string>();
            foreach ((int p, string role) in draft.Devices)
            {
                Pair pair = _a._pairs[p];
                List<string> ids = [.. LiveCals(p).OrderBy(c => _a._cals[c].Issue).Select(c => _a.LicenseText(_a._cals[c].License))];
                licenseIds.AddRange(ids);
                devices.Add(new FindingDevice(
                    _a._names.Text(pair.Name), _a._hwids.Text(pair.Hwid), role, new DateTimeOffset(pair.FirstIssue, TimeSpan.Zero),
                    new DateTimeOffset(pair.LastActivity, TimeSpan.Zero), ids.Count, ids));
            }

            var wasted = new List<WastedCal>();
            foreach (int c in draft.Wasted.OrderBy(c => _a._cals[c].Expiry).ThenBy(c => _a._cals[c].License))
            {
                Cal cal = _a._cals[c];
                Pair pair = _a._pairs[pairOfCal[c]];
                (bool now, string? note) = plan[c];
                wasted.Add(new WastedCal(
                    _a.LicenseText(cal.License), _a._keyPackIds[cal.KeyPack], _a._names.Text(pair.Name), _a._hwids.Text(pair.Hwid),
                    VersionOf(c)?.Key, StatusName(cal.Status), new DateTimeOffset(cal.Expiry, TimeSpan.Zero), now, note));
            }

            DateTimeOffset? freeOn = wasted.Count == 0 ? null : wasted.Max(w => w.ExpiresOn);
            return new Finding(draft.Kind, draft.Summary, FindingKinds.CauseOf(draft.Kind), FindingKinds.ResolutionOf(draft.Kind),
                devices, licenseIds, wasted.Count, wasted, freeOn);
        }

        /// <summary>
        /// A device that held a CAL within the last 89 days (one CAL lifetime). Older history — our store keeps expired
        /// CALs, Windows does not list them — says nothing about today's waste and would make every machine rebuilt over
        /// the years look like churn.
        /// </summary>
        private bool IsRecent(int pair)
        {
            long since = _now - MaxPermanentLifetime;
            for (int c = _a._pairs[pair].FirstCal; c >= 0; c = _a._cals[c].Next)
            {
                if (_a._cals[c].Expiry > since)
                {
                    return true;
                }
            }

            return false;
        }

        private bool HasTwoRecentPairs(int first, bool ofName)
        {
            int recent = 0;
            for (int p = first; p >= 0; p = ofName ? _a._pairs[p].NextOfName : _a._pairs[p].NextOfHwid)
            {
                if (IsRecent(p) && ++recent == 2)
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsLive(int c) => _a._cals[c].Status != (byte)WmiLicenseStatus.Revoked && _a._cals[c].Expiry > _now;

        private List<int> LiveCals(int pair)
        {
            var result = new List<int>();
            for (int c = _a._pairs[pair].FirstCal; c >= 0; c = _a._cals[c].Next)
            {
                if (IsLive(c))
                {
                    result.Add(c);
                }
            }

            return result;
        }

        private List<int> PairsOfName(int name)
        {
            var result = new List<int>();
            for (int p = _a._names.FirstPair(name); p >= 0; p = _a._pairs[p].NextOfName)
            {
                result.Add(p);
            }

            return result;
        }

        private List<int> PairsOfHwid(int hwid)
        {
            var result = new List<int>();
            for (int p = _a._hwids.FirstPair(hwid); p >= 0; p = _a._pairs[p].NextOfHwid)
            {
                result.Add(p);
            }

            return result;
        }

        private ProductVersion? VersionOf(int c)
        {
            Cal cal = _a._cals[c];
            if (cal.Version > 0)
            {
                return ProductVersions.All[cal.Version - 1];
            }

            return _packById.TryGetValue(_a._keyPackIds[cal.KeyPack], out KeyPackRecord? pack) ? pack.Version : null;
        }

        private string Names(List<int> pairs)
        {
            var names = pairs.Select(p => _a._names.Text(_a._pairs[p].Name)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
            return names.Count <= MaxNamesInSummary
                ? string.Join(", ", names)
                : string.Join(", ", names.Take(MaxNamesInSummary)) + string.Create(CultureInfo.InvariantCulture, $" and {names.Count - MaxNamesInSummary} more");
        }

        private static int KindOrder(string kind)
        {
            for (int i = 0; i < FindingKinds.All.Count; i++)
            {
                if (FindingKinds.All[i] == kind)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        private static long Limit(long installed) => Math.Max(installed / 5, 1);

        private static int VersionRank(string key) => ProductVersions.TryParse(key, out ProductVersion v) ? v.Rank : int.MaxValue;

        private static string Plural(int count) => count == 1 ? "" : "s";

        private static string Day(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string StatusName(byte status) => ((WmiLicenseStatus)status).ToString().ToLowerInvariant();
    }

    private sealed class Draft(string kind)
    {
        public string Kind { get; } = kind;

        public string Summary { get; set; } = "";

        public List<(int Pair, string Role)> Devices { get; } = [];

        public List<int> Wasted { get; } = [];
    }
}
