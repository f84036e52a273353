using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using RdLicensing.Domain;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Tests;

/// <summary>The store contract on an SQLite file in a temporary directory.</summary>
public sealed class SqliteLicenseStoreTests : LicenseStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rdlic-store-" + Guid.NewGuid().ToString("N"));

    protected override ILicenseStore OpenStore()
    {
        Directory.CreateDirectory(_directory);
        return new SqliteLicenseStore(SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlicensing.db")));
    }

    protected override ValueTask DropAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_database_is_in_wal_mode()
    {
        ILicenseStore store = OpenStore();
        await using (store)
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlicensing.db")));
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
    }

    [Fact]
    public async Task A_statement_that_fails_leaves_the_writer_connection_usable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ILicenseStore store = OpenStore();
        await store.InitializeAsync(ct);
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        IssuedLicense Cal(string id, int device) => IssuedLicense.Restore(
            id, null, CalType.PerDevice, LicenseStatus.Temporary, true, ProductVersions.V2022, "PC" + device, "u",
            HardwareId.Parse(device.ToString("X40", System.Globalization.CultureInfo.InvariantCulture)), now, now.AddDays(90), false, null, null);

        await store.WriteAsync(s => { s.AddLicense(Cal("L1", 1)); return true; }, ct);

        // The same prepared INSERT fails on the duplicate key; the unit rolls back, including its first insert.
        await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(
            s =>
            {
                s.AddLicense(Cal("L2", 2));
                s.AddLicense(Cal("L1", 1));
                return true;
            },
            ct));

        // The same statement works in the next unit, and the store holds exactly what committed.
        await store.WriteAsync(s => { s.AddLicense(Cal("L3", 3)); return true; }, ct);
        Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L1"), ct));
        Assert.Null(await store.ReadAsync(s => s.FindLicense("L2"), ct));
        Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L3"), ct));
    }

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static IssuedLicense Cal(string id, int device)
    {
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        return IssuedLicense.Restore(
            id, null, CalType.PerDevice, LicenseStatus.Temporary, true, ProductVersions.V2022, "PC" + device, "u",
            HardwareId.Parse(device.ToString("X40", System.Globalization.CultureInfo.InvariantCulture)), now, now.AddDays(90), false, null, null);
    }

    /// <summary>A store whose log flushes go through <paramref name="flush"/> (which may hold them), then to the disk.</summary>
    private async Task<SqliteLicenseStore> OpenFlushedThroughAsync(Action<SafeFileHandle> flush)
    {
        Directory.CreateDirectory(_directory);
        var store = new SqliteLicenseStore(
            SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlicensing.db")),
            handle =>
            {
                flush(handle);
                RandomAccess.FlushToDisk(handle);
            });
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    [Fact]
    public async Task A_unit_is_answered_only_after_the_log_is_flushed_to_disk()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var flushing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        await using SqliteLicenseStore store = await OpenFlushedThroughAsync(
            handle =>
            {
                Assert.False(handle.IsInvalid);
                flushing.Release();
                Assert.True(release.Wait(s_bound));
            });

        Task<bool> write = store.WriteAsync(s => { s.AddLicense(Cal("L1", 1)); return true; }, ct);
        Assert.True(await flushing.WaitAsync(s_bound, ct));

        // Committed (another connection sees it), not answered: the flush has not returned.
        Assert.False(write.IsCompleted);
        Assert.Equal((1L, 0L), (store.UnitsCommitted, store.LogFlushes));
        release.Release();
        Assert.True(await write);
        Assert.Equal(1L, store.LogFlushes);
    }

    [Fact]
    public async Task Units_queued_while_the_log_flushes_share_the_next_flush()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var flushing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        int flushes = 0;
        await using SqliteLicenseStore store = await OpenFlushedThroughAsync(
            _ =>
            {
                if (Interlocked.Increment(ref flushes) == 1)
                {
                    flushing.Release();
                    Assert.True(release.Wait(s_bound));
                }
            });

        Task<bool> first = store.WriteAsync(s => { s.AddLicense(Cal("L0", 100)); return true; }, ct);
        Assert.True(await flushing.WaitAsync(s_bound, ct));
        Task<bool>[] queued = [.. Enumerable.Range(1, 5).Select(i => store.WriteAsync(s => { s.AddLicense(Cal("L" + i, 100 + i)); return true; }, ct))];
        release.Release();
        await first;
        await Task.WhenAll(queued);

        // Six units, two flushes: the five that queued behind the first flush were committed one by one (one
        // transaction each) and made durable together.
        Assert.Equal((6L, 2L, 2), (store.UnitsCommitted, store.LogFlushes, flushes));
        foreach (int i in Enumerable.Range(0, 6))
        {
            Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L" + i), ct));
        }
    }

    [Fact]
    public async Task A_read_that_saw_a_commit_not_yet_flushed_waits_for_the_flush()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var flushing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        bool hold = false;
        await using SqliteLicenseStore store = await OpenFlushedThroughAsync(
            _ =>
            {
                if (Volatile.Read(ref hold))
                {
                    flushing.Release();
                    Assert.True(release.Wait(s_bound));
                }
            });
        await store.WriteAsync(s => { s.AddLicense(Cal("L1", 1)); return true; }, ct);
        Volatile.Write(ref hold, true);

        Task<bool> write = store.WriteAsync(s => { s.AddLicense(Cal("L2", 2)); return true; }, ct);
        Assert.True(await flushing.WaitAsync(s_bound, ct));
        var seen = new TaskCompletionSource<IssuedLicense?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<IssuedLicense?> read = store.ReadAsync(
            s =>
            {
                IssuedLicense? found = s.FindLicense("L2");
                seen.SetResult(found);
                return found;
            },
            ct);

        // The read found the committed CAL; it is held, not answered, while that commit could still be lost.
        Assert.NotNull(await seen.Task.WaitAsync(s_bound, ct));
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            deadline.CancelAfter(s_bound);
            while (store.ReadsHeldForFlush == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        Assert.False(read.IsCompleted);

        release.Release();
        Assert.Equal("L2", (await read)!.LicenseId);
        Assert.True(await write);
    }

    [Fact]
    public async Task A_failed_flush_fails_the_units_it_covered_and_the_next_flush_covers_their_commits()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        int flushes = 0;
        await using SqliteLicenseStore store = await OpenFlushedThroughAsync(
            _ =>
            {
                if (Interlocked.Increment(ref flushes) == 1)
                {
                    throw new IOException("the disk refused the flush");
                }
            });

        IOException failed = await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(s => { s.AddLicense(Cal("L1", 1)); return true; }, ct));
        Assert.Equal("the disk refused the flush", failed.Message);
        Assert.Equal(0L, store.LogFlushes);

        // The failed unit's commit stands in the database (its caller heard of a failure, not of a CAL); the next flush
        // makes it durable with the next unit.
        await store.WriteAsync(s => { s.AddLicense(Cal("L2", 2)); return true; }, ct);
        Assert.Equal((2L, 1L, 2), (store.UnitsCommitted, store.LogFlushes, flushes));
        Assert.NotNull(await store.ReadAsync(s => s.FindLicense("L1"), ct));
    }
}
