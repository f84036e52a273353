using System.Collections.Concurrent;

namespace RdLicensing.Storage;

/// <summary>
/// Runs a store's write units one at a time, in arrival order, on one dedicated thread. A store serializes its writes
/// anyway; doing it on one thread that goes from one unit's commit straight to the next unit's BEGIN keeps the
/// serialized section free of hand-offs (a semaphore waking a waiter, a thread-pool hop) whose scheduling delay, on a
/// busy machine, would otherwise be paid once per unit by everyone queued behind it. Callers' continuations run on the
/// thread pool, never on the writer thread.
/// </summary>
internal sealed class SerialWriter : IDisposable
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(60);

    private readonly BlockingCollection<Unit> _queue = new(new ConcurrentQueue<Unit>());
    private readonly string _name;
    private readonly Lock _startLock = new();
    private Thread? _thread;

    public SerialWriter(string name)
    {
        _name = name;
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
        foreach (Unit unit in _queue.GetConsumingEnumerable())
        {
            unit.Execute();
        }
    }

    private abstract class Unit : IDisposable
    {
        public abstract void Execute();

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
                _completion.TrySetResult(_work());
            }
            catch (Exception exception)
            {
                _completion.TrySetException(exception);
            }
        }

        public override void Dispose() => _registration.Dispose();
    }
}
