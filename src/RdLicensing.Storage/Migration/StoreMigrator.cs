namespace RdLicensing.Storage.Migration;

/// <summary>Where a migration is: which phase, which table, how many rows of how many.</summary>
public sealed record StoreMigrationProgress(StoreMigrationPhase Phase, string Table, long Done, long Total);

/// <summary>The phases of <see cref="StoreMigrator.MigrateAsync"/>.</summary>
public enum StoreMigrationPhase
{
    /// <summary>Rows are copied into the target, in one transaction.</summary>
    Copy = 1,

    /// <summary>The committed target is compared with the source, row by row.</summary>
    Verify = 2,
}

/// <summary>One table after the migration: rows on each side and rows that differ (missing, extra or changed).</summary>
public sealed record TableVerification(string Table, long SourceRows, long TargetRows, long DifferentRows, string? FirstDifference)
{
    public bool Equal => SourceRows == TargetRows && DifferentRows == 0;
}

/// <summary>What <see cref="StoreMigrator"/> found: per table, and per key pack (the stored counters against the CAL rows).</summary>
public sealed record StoreMigrationReport(
    IReadOnlyList<TableVerification> Tables,
    IReadOnlyList<KeyPackConsistency> SourceKeyPacks,
    IReadOnlyList<KeyPackConsistency> TargetKeyPacks)
{
    /// <summary>Every table holds equal rows and both stores report the same, agreeing key pack counters.</summary>
    public bool Verified =>
        Tables.All(t => t.Equal)
        && SourceKeyPacks.SequenceEqual(TargetKeyPacks)
        && TargetKeyPacks.All(k => k.Agrees);
}

/// <summary>Thrown when a migration cannot start (the target is not empty) or its copy fails; nothing is committed then.</summary>
public sealed class StoreMigrationException : Exception
{
    public StoreMigrationException()
    {
    }

    public StoreMigrationException(string message)
        : base(message)
    {
    }

    public StoreMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Moves a license server's data from one store to another (the "migrate RDS CALs" wizard's job; typically a SQLite
/// file to a PostgreSQL database before the first node starts on it):
/// <list type="number">
/// <item>both schemas are brought to the current version; the target must be empty (no server, key pack, CAL, event,
/// key or certificate), else nothing is written;</item>
/// <item>every table is copied row for row from one snapshot of the source, in one target transaction that holds the
/// target's write lock (PostgreSQL: the deployment advisory lock), so no node sees half a migration;</item>
/// <item>after the commit, every table is read back from both sides in key order and compared value by value, and the
/// key pack counters are checked through the store API on both sides.</item>
/// </list>
/// </summary>
public static class StoreMigrator
{
    /// <summary>Copies <paramref name="source"/> into the empty <paramref name="target"/> and verifies the result.</summary>
    public static async Task<StoreMigrationReport> MigrateAsync(
        StoreLocation source, StoreLocation target, IProgress<StoreMigrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.FilePath is { } file && !File.Exists(file))
        {
            throw new StoreMigrationException($"the source {source.Display} does not exist");
        }

        if (source.Display == target.Display)
        {
            throw new StoreMigrationException("the source and the target are the same store");
        }

        await InitializeAsync(source, cancellationToken).ConfigureAwait(false);
        await InitializeAsync(target, cancellationToken).ConfigureAwait(false);

        await using (ITableReader reader = await TableAccess.OpenReaderAsync(source, cancellationToken).ConfigureAwait(false))
        await using (ITableWriter writer = await TableAccess.OpenWriterAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var occupied = new List<string>();
            foreach (TableSpec table in StoreTables.DataTables)
            {
                long rows = await writer.CountAsync(table, cancellationToken).ConfigureAwait(false);
                if (rows > 0)
                {
                    occupied.Add($"{table.Name} ({rows})");
                }
            }

            if (occupied.Count > 0)
            {
                throw new StoreMigrationException($"the target {target.Display} is not empty: {string.Join(", ", occupied)}; migrate into a new database");
            }

            await writer.ClearSeedRowsAsync(cancellationToken).ConfigureAwait(false);
            foreach (TableSpec table in StoreTables.All)
            {
                long total = await reader.CountAsync(table, cancellationToken).ConfigureAwait(false);
                progress?.Report(new StoreMigrationProgress(StoreMigrationPhase.Copy, table.Name, 0, total));
                await writer.InsertAsync(
                    table,
                    reader.RowsAsync(table, cancellationToken),
                    copied => progress?.Report(new StoreMigrationProgress(StoreMigrationPhase.Copy, table.Name, copied, total)),
                    cancellationToken).ConfigureAwait(false);
            }

            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await VerifyAsync(source, target, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compares two stores table by table and row by row, and their key pack counters; writes nothing.</summary>
    public static async Task<StoreMigrationReport> VerifyAsync(
        StoreLocation source, StoreLocation target, IProgress<StoreMigrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var tables = new List<TableVerification>();
        await using (ITableReader left = await TableAccess.OpenReaderAsync(source, cancellationToken).ConfigureAwait(false))
        await using (ITableReader right = await TableAccess.OpenReaderAsync(target, cancellationToken).ConfigureAwait(false))
        {
            foreach (TableSpec table in StoreTables.All)
            {
                long sourceRows = await left.CountAsync(table, cancellationToken).ConfigureAwait(false);
                long targetRows = await right.CountAsync(table, cancellationToken).ConfigureAwait(false);
                progress?.Report(new StoreMigrationProgress(StoreMigrationPhase.Verify, table.Name, 0, sourceRows));
                (long different, string? first) = await CompareAsync(
                    table,
                    left.RowsAsync(table, cancellationToken),
                    right.RowsAsync(table, cancellationToken),
                    done => progress?.Report(new StoreMigrationProgress(StoreMigrationPhase.Verify, table.Name, done, sourceRows)),
                    cancellationToken).ConfigureAwait(false);
                tables.Add(new TableVerification(table.Name, sourceRows, targetRows, different, first));
            }
        }

        IReadOnlyList<KeyPackConsistency> sourcePacks = await ConsistencyAsync(source, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<KeyPackConsistency> targetPacks = await ConsistencyAsync(target, cancellationToken).ConfigureAwait(false);
        return new StoreMigrationReport(tables, sourcePacks, targetPacks);
    }

    private static async Task InitializeAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        await using ILicenseStore store = location.Open();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<KeyPackConsistency>> ConsistencyAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        await using ILicenseStore store = location.Open();
        return await store.ReadAsync(s => s.CheckConsistency(), cancellationToken).ConfigureAwait(false);
    }

    // A merge over two key-ordered row streams: a key on one side only is one different row, as is a changed row.
    private static async Task<(long Different, string? First)> CompareAsync(
        TableSpec table, IAsyncEnumerable<object?[]> source, IAsyncEnumerable<object?[]> target, Action<long> done, CancellationToken cancellationToken)
    {
        int key = table.KeyOrdinal;
        long different = 0;
        long compared = 0;
        string? first = null;
        void Differ(string what)
        {
            different++;
            first ??= what;
        }

        await using IAsyncEnumerator<object?[]> left = source.GetAsyncEnumerator(cancellationToken);
        await using IAsyncEnumerator<object?[]> right = target.GetAsyncEnumerator(cancellationToken);
        bool hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
        bool hasRight = await right.MoveNextAsync().ConfigureAwait(false);
        while (hasLeft || hasRight)
        {
            int order = !hasLeft ? 1 : !hasRight ? -1 : CompareKeys(left.Current[key], right.Current[key]);
            if (order < 0)
            {
                Differ($"{table.Name} {table.Key}={left.Current[key]}: missing in the target");
                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
            }
            else if (order > 0)
            {
                Differ($"{table.Name} {table.Key}={right.Current[key]}: only in the target");
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
            }
            else
            {
                for (int i = 0; i < table.Columns.Count; i++)
                {
                    if (!StoreTables.ValueEquals(left.Current[i], right.Current[i]))
                    {
                        Differ($"{table.Name} {table.Key}={left.Current[key]}: {table.Columns[i].Name} differs");
                        break;
                    }
                }

                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
            }

            if (++compared % 5000 == 0)
            {
                done(compared);
            }
        }

        done(compared);
        return (different, first);
    }

    // Keys are text (ordered by UTF-8 bytes: SQLite BINARY, PostgreSQL COLLATE "C") or integers.
    private static int CompareKeys(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal) ? 0 : Utf8Compare(x, y),
        (int x, int y) => x.CompareTo(y),
        (long x, long y) => x.CompareTo(y),
        _ => throw new InvalidOperationException($"keys of different kinds: {a} and {b}"),
    };

    private static int Utf8Compare(string x, string y) =>
        System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
}
