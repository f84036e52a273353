using System.Globalization;
using RdLicensing.Domain;

namespace RdLicensing.Analysis.Findings;

/// <summary>
/// Finds the CALs that single devices hold several of (seed 002) and forecasts exhaustion, over every issued per-device CAL
/// of one license server: feed it records one at a time with <see cref="Add"/>, then call <see cref="Complete"/>.
/// Memory is bounded by the number of distinct devices: it keeps one compact record per (computer name, hardware id) pair
/// and per CAL (40 bytes each), each distinct name's characters and each hardware id packed into three words, never the
/// rows themselves; the records sit in chunked arrays of structs under open-addressing indexes (about 180 bytes a device
/// with one CAL, and no object per device for the GC to trace).
/// </summary>
public sealed partial class IssuedLicenseAnalyzer
{
    private static readonly long MaxPermanentLifetime = TimeSpan.FromDays(89).Ticks;

    private readonly TimeProvider _time;
    private readonly AnalysisOptions _options;
    private readonly NameTable _names = new();
    private readonly HardwareIdTable _hwids = new();
    private readonly ChunkedArray<Pair> _pairs = new();
    private readonly IdIndex _pairIndex = new();
    private readonly ChunkedArray<Cal> _cals = new();
    private readonly Dictionary<string, int> _keyPackIndex = new(StringComparer.Ordinal);
    private readonly List<string> _keyPackIds = [];
    private readonly Dictionary<string, int> _textLicenseIndex = new(StringComparer.Ordinal);
    private readonly List<string> _textLicenseIds = [];
    private bool _completed;

    /// <summary>Creates an analyzer; <paramref name="time"/> gives "now" unless <see cref="AnalysisOptions.AsOf"/> is set.</summary>
    public IssuedLicenseAnalyzer(TimeProvider time, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? AnalysisOptions.Default;
        if (_options.ChurnThreshold < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the churn threshold is at least 3 hardware ids");
        }
    }

    /// <summary>CALs added so far.</summary>
    public long Rows => _cals.Count;

    /// <summary>
    /// Reads every record of <paramref name="records"/> (a CSV import or pages of our store) and analyses them with
    /// <paramref name="keyPacks"/> (null when not known: then revocation and exhaustion are reported as not evaluated).
    /// </summary>
    public static AnalysisResult Analyze(
        IEnumerable<IssuedLicenseRecord> records,
        IReadOnlyList<KeyPackRecord>? keyPacks,
        TimeProvider time,
        AnalysisOptions? options = null,
        IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var analyzer = new IssuedLicenseAnalyzer(time, options);
        foreach (IssuedLicenseRecord record in records)
        {
            analyzer.Add(record);
            if (progress is not null && analyzer.Rows % 10_000 == 0)
            {
                progress.Report(analyzer.Rows);
            }
        }

        progress?.Report(analyzer.Rows);
        return analyzer.Complete(keyPacks);
    }

    /// <summary>Adds one issued CAL.</summary>
    public void Add(IssuedLicenseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_completed)
        {
            throw new InvalidOperationException("the analysis is complete: create a new analyzer");
        }

        int name = _names.Intern(record.Computer.AsSpan().Trim());
        int hwid = _hwids.Intern(record.HardwareId.Trim());
        int pair = PairOf(name, hwid);
        long issue = record.IssueDate.UtcTicks, expiry = record.ExpirationDate.UtcTicks;
        int cal = _cals.Add(new Cal
        {
            License = LicenseKey(record.LicenseId),
            KeyPack = InternKeyPack(record.KeyPackId),
            Issue = issue,
            Expiry = expiry,
            Status = (byte)record.Status,
            Version = VersionCode(record.Version),
            Next = _pairs[pair].FirstCal,
        });

        ref Pair p = ref _pairs[pair];
        p.FirstCal = cal;
        p.CalCount++;
        p.FirstIssue = Math.Min(p.FirstIssue, issue);

        // A renewal sets the expiry 52 to 89 days ahead, so a permanent CAL was last issued or renewed no earlier than
        // expiry - 89 days; a temporary CAL is never renewed.
        long activity = record.Status == WmiLicenseStatus.Temporary ? issue : Math.Max(issue, expiry - MaxPermanentLifetime);
        p.LastActivity = Math.Max(p.LastActivity, activity);
    }

    /// <summary>Analyses what was added. <paramref name="keyPacks"/> is null when the key packs are not known.</summary>
    public AnalysisResult Complete(IReadOnlyList<KeyPackRecord>? keyPacks)
    {
        _completed = true;
        DateTimeOffset asOf = _options.AsOf ?? _time.GetUtcNow();
        var run = new Run(this, keyPacks, asOf.UtcTicks);
        return run.Build(asOf);
    }

    private int PairOf(int name, int hwid)
    {
        // Not the halves of a long xored: ids interned in step (name n with hardware id n, the common case) would collide.
        int hash = HashCode.Combine(name, hwid);
        int slot = _pairIndex.SlotOf(hash);
        for (; !_pairIndex.IsEmpty(slot); slot = _pairIndex.Next(slot))
        {
            int id = _pairIndex.IdAt(slot);
            if (_pairIndex.HashAt(slot) == hash && _pairs[id].Name == name && _pairs[id].Hwid == hwid)
            {
                return id;
            }
        }

        ref int ofName = ref _names.FirstPair(name);
        ref int ofHwid = ref _hwids.FirstPair(hwid);
        int pair = _pairs.Add(new Pair
        {
            Name = name,
            Hwid = hwid,
            NextOfName = ofName,
            NextOfHwid = ofHwid,
            FirstCal = -1,
            FirstIssue = long.MaxValue,
            LastActivity = long.MinValue,
        });
        ofName = pair;
        ofHwid = pair;
        _pairIndex.Add(slot, hash, pair);
        return pair;
    }

    private int InternKeyPack(string id)
    {
        if (!_keyPackIndex.TryGetValue(id, out int index))
        {
            index = _keyPackIds.Count;
            _keyPackIds.Add(id);
            _keyPackIndex.Add(id, index);
        }

        return index;
    }

    private long LicenseKey(string id)
    {
        // Digits only (NumberStyles.None) and no leading zero: the number's own text, so LicenseText gives the id back.
        if (uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out uint number) && (id.Length == 1 || id[0] != '0'))
        {
            return number;
        }

        if (!_textLicenseIndex.TryGetValue(id, out int index))
        {
            index = _textLicenseIds.Count;
            _textLicenseIds.Add(id);
            _textLicenseIndex.Add(id, index);
        }

        return -(index + 1L);
    }

    private string LicenseText(long key) =>
        key >= 0 ? key.ToString(CultureInfo.InvariantCulture) : _textLicenseIds[(int)(-key - 1)];

    private static byte VersionCode(ProductVersion? version)
    {
        if (version is null)
        {
            return 0;
        }

        for (int i = 0; i < ProductVersions.All.Count; i++)
        {
            if (ProductVersions.All[i].Key == version.Key)
            {
                return (byte)(i + 1);
            }
        }

        return 0;
    }

    private struct Pair
    {
        public int Name;
        public int Hwid;
        public int NextOfName;
        public int NextOfHwid;
        public int FirstCal;
        public int CalCount;
        public long FirstIssue;
        public long LastActivity;
    }

    private struct Cal
    {
        public long License;
        public long Issue;
        public long Expiry;
        public int KeyPack;
        public int Next;
        public byte Status;
        public byte Version;
    }
}
