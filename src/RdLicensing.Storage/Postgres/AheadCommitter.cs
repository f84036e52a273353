using System.Threading.Channels;
using Npgsql;

namespace RdLicensing.Storage.Postgres;

/// <summary>The statements that commit one unit decided ahead, and how to read a failure of one of them.</summary>
/// <param name="Commands">BEGIN, the lock, the checks, the writes, COMMIT (<see cref="PostgresLicenseSession.PrepareCommitAhead"/>).</param>
/// <param name="Failure">
/// For the failure of one of <paramref name="Commands"/>: null when a check found a read changed (nothing of the unit was
/// written, and it must be decided again under the lock), otherwise the exception its caller gets.
/// </param>
internal sealed record AheadCommit(IReadOnlyList<NpgsqlBatchCommand> Commands, Func<PostgresException, Exception?> Failure);

/// <summary>
/// Sends the commits of a node's units decided ahead of the lock (decision 0106) several to a round trip (decision
/// 0108). One loop per store takes every commit queued when it looks (at most <see cref="MaxUnitsPerBatch"/>), sends
/// them as one batch on one connection — each unit still its own transaction that takes the deployment lock, checks its
/// reads, writes and commits — and waits for the answer before it takes the next group. A unit's transaction thus
/// follows the one before it in the same backend, which takes the lock again at once, instead of a wake-up of another
/// backend per unit. PostgreSQL runs a batch in order and skips what follows a failed statement, so the units before a
/// failure committed, the failed one is told apart by its statement (a changed read or an error of its own) and those
/// after it were not run: they are decided again under the lock, like a unit whose read changed.
/// </summary>
internal sealed class AheadCommitter : IAsyncDisposable
{
    /// <summary>The most units one round trip carries: bounds a batch's size whatever the queue.</summary>
    public const int MaxUnitsPerBatch = 64;

    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>();
    private readonly Func<CancellationToken, ValueTask<NpgsqlConnection>> _open;
    private readonly SemaphoreSlim _gate;
    private readonly Task _loop;
    private long _batches;
    private long _units;

    /// <param name="open">Opens a pooled connection.</param>
    /// <param name="gate">The node's bound on connections at the lock; one slot is held while a batch is out.</param>
    public AheadCommitter(Func<CancellationToken, ValueTask<NpgsqlConnection>> open, SemaphoreSlim gate)
    {
        _open = open;
        _gate = gate;
        _loop = Task.Run(SendLoopAsync);
    }

    /// <summary>Round trips that carried commits.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Units those round trips carried.</summary>
    public long Units => Interlocked.Read(ref _units);

    /// <summary>Commits waiting for the next round trip (tests).</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>
    /// Commits a unit decided ahead. True: committed and durable. False: nothing of it was written; decide it again under
    /// the lock. Cancellation is honoured while the commit waits in the queue, not once it is sent.
    /// </summary>
    public async Task<bool> CommitAsync(AheadCommit commit, CancellationToken cancellationToken)
    {
        var entry = new Entry(commit);
        if (!_queue.Writer.TryWrite(entry))
        {
            throw new ObjectDisposedException(nameof(PostgresLicenseStore), "the store is closed");
        }

        try
        {
            return await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (entry.TryCancel())
            {
                throw;
            }

            // Already sent: its batch runs to its end, and so does this unit.
            return await entry.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        var group = new List<Entry>(MaxUnitsPerBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxUnitsPerBatch && _queue.Reader.TryRead(out Entry? entry))
            {
                if (entry.TryTake())
                {
                    group.Add(entry);
                }
            }

            if (group.Count > 0)
            {
                await SendAsync(group).ConfigureAwait(false);
                group.Clear();
            }
        }
    }

    /// <summary>Sends one group; completes every entry of it, whatever happens (the loop must go on).</summary>
    private async Task SendAsync(List<Entry> group)
    {
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await using NpgsqlConnection connection = await _open(CancellationToken.None).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection);
                var owner = new Dictionary<NpgsqlBatchCommand, int>(ReferenceEqualityComparer.Instance);
                for (int i = 0; i < group.Count; i++)
                {
                    foreach (NpgsqlBatchCommand command in group[i].Commit.Commands)
                    {
                        batch.BatchCommands.Add(command);
                        owner[command] = i;
                    }
                }

                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _units, group.Count);
                try
                {
                    // Not cancellable: every unit in it ends with its COMMIT, whose outcome must not be left unknown.
                    await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (PostgresException failure) when (failure.BatchCommand is { } failed && owner.TryGetValue(failed, out int stopped))
                {
                    await PostgresLicenseSession.RollbackAsync(connection, sync: false).ConfigureAwait(false);
                    for (int i = 0; i < group.Count; i++)
                    {
                        if (i < stopped)
                        {
                            group[i].Succeed(true);
                        }
                        else if (i > stopped || group[i].Commit.Failure(failure) is not { } own)
                        {
                            group[i].Succeed(false);
                        }
                        else
                        {
                            group[i].Fail(own);
                        }
                    }

                    return;
                }
                catch
                {
                    await PostgresLicenseSession.RollbackAsync(connection, sync: false).ConfigureAwait(false);
                    throw;
                }

                foreach (Entry entry in group)
                {
                    entry.Succeed(true);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception exception)
        {
            // The connection, the gate or the server failed: each unit's outcome is as unknown as a lone unit's would be.
            foreach (Entry entry in group)
            {
                entry.Fail(exception);
            }
        }
    }

    private sealed class Entry(AheadCommit commit)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;

        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public AheadCommit Commit { get; } = commit;

        public Task<bool> Task => _completion.Task;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

        public void Succeed(bool committed) => _completion.TrySetResult(committed);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
