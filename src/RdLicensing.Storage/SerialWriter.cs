using System.Collections.Concurrent;

namespace RdLicensing.Storage;

/// <summary>
/// Runs a store's write units one at a time, in arrival order, on one dedicated thread. A store serializes its writes
/// anyway; doing it on one thread that goes from one unit's commit straight to the next unit's BEGIN keeps the
/// serialized section free of hand-offs (a semaphore waking a waiter, a thread-pool hop) whose scheduling delay, on a
/// busy machine, would otherwise be paid once per unit by everyone queued behind it. Callers' continuations run on the
/// thread pool, never on the writer thread.
/// <para>
/// Units run in batches: the thread takes every unit queued when it looks, runs them one after another, calls the
/// store's <c>settle</c> step once (SQLite flushes its log to disk there: decision 0107), and only then completes the
/// batch's tasks. No caller hears of a unit before the settle step that followed it; a failed settle step fails every
/// unit of its batch that had succeeded. A batch is whatever queued while the previous one ran: nothing waits to fill one.
/// </para>
/// </summary>
internal sealed class SerialWriter : IDisposable
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(60);

    private readonly BlockingCollection<Unit> _queue = new(new ConcurrentQueue<Unit>());
    private readonly string _name;
    private readonly Lock _startLock = new();
    private readonly Action? _settle;
    private Thread? _thread;

    /// <param name="name">The thread's name.</param>
    /// <param name="settle">Run on the writer thread after each batch, before its units' tasks complete.</param>
    public SerialWriter(string name, Action? settle = null)
    {
        _name = name;
        _settle = settle;
    }

    /// <summary>
    /// Queues <paramref name="unit"/>. Cancellation is honoured while it waits; once it has started it runs to its end,
    /// and its result (or exception) is the task's.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Unit<T>(unit, cancellationToken);
        EnsureStarted();
        try
        {
            _queue.Add(item, CancellationToken.None);
        }
        catch (InvalidOperationException exception)
        {
            item.Dispose();
            throw new ObjectDisposedException($"the store's writer ({_name}) is closed", exception);
        }

        return item.Task;
    }

    /// <summary>Stops taking units, runs those already queued, and waits for the thread to end.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        Thread? thread;
        lock (_startLock)
        {
            thread = _thread;
        }

        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join(s_drainTimeout);
        }
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _thread) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_thread is null && !_queue.IsAddingCompleted)
            {
                var thread = new Thread(Loop) { IsBackground = true, Name = _name };
                thread.Start();
                Volatile.Write(ref _thread, thread);
            }
        }
    }

    private void Loop()
    {
        var batch = new List<Unit>();
        while (_queue.TryTake(out Unit? first, Timeout.Infinite))
        {
            batch.Add(first);
            while (_queue.TryTake(out Unit? next))
            {
                batch.Add(next);
            }

            foreach (Unit unit in batch)
            {
                unit.Execute();
            }

            Exception? settleFailure = null;
            try
            {
                _settle?.Invoke();
            }
            catch (Exception exception)
            {
                settleFailure = exception;
            }

            foreach (Unit unit in batch)
            {
                unit.Complete(settleFailure);
            }

            batch.Clear();
        }
    }

    private abstract class Unit : IDisposable
    {
        /// <summary>Runs the work (unless cancelled while queued) and keeps its result; the task is not completed yet.</summary>
        public abstract void Execute();

        /// <summary>Completes the task with the kept result, or with <paramref name="settleFailure"/> if the work succeeded.</summary>
        public abstract void Complete(Exception? settleFailure);

        public abstract void Dispose();
    }

    private sealed class Unit<T> : Unit
    {
        private const int Queued = 0;
        private const int Running = 1;
        private const int Cancelled = 2;

        private readonly Func<T> _work;
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;
        private int _state;
        private T? _result;
        private Exception? _failure;

        public Unit(Func<T> work, CancellationToken cancellationToken)
        {
            _work = work;
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.Register(
                    () =>
                    {
                        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
                        {
                            _completion.TrySetCanceled(cancellationToken);
                        }
                    });
            }
        }

        public Task<T> Task => _completion.Task;

        public override void Execute()
        {
            _registration.Dispose();
            if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued)
            {
                return;
            }

            try
            {
                _result = _work();
            }
            catch (Exception exception)
            {
                _failure = exception;
            }
        }

        public override void Complete(Exception? settleFailure)
        {
            if (Volatile.Read(ref _state) != Running)
            {
                return;
            }

            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else if (settleFailure is not null)
            {
                _completion.TrySetException(settleFailure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }

            _result = default;
            _failure = null;
        }

        public override void Dispose() => _registration.Dispose();
    }
}
