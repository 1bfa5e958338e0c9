using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace L1Net.Training;

/// <summary>
/// Work split into numbered parts, one per thread. Which part does which share may depend on timing (parts may claim
/// chunks of work), so implementations must compute every element the same way whichever part computes it.
/// </summary>
internal interface IPartitionedWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void RunPart(int part, int parts);
}

/// <summary>
/// Persistent worker threads for one training call: <see cref="Run"/> forks a job into <see cref="Parts"/> parts (the
/// calling thread runs part 0) and joins them. Workers spin briefly between jobs and then sleep; nothing is allocated
/// per job, so training epochs stay allocation-free on every thread.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 us of spinning before a worker sleeps.

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private IPartitionedWork? _work;
    private int _generation;
    private int _pending;
    private int _sleepers;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _error;
    private static long s_workerAllocatedBytes;
    private static long s_workersStarted;

    public WorkerPool(int parts)
    {
        Parts = parts;
        _threads = new Thread[parts - 1];
        for (int t = 0; t < _threads.Length; t++)
        {
            int part = t + 1;
            _threads[t] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"L1Net worker {part}" };
            _threads[t].Start();
        }
    }

    /// <summary>
    /// Bytes allocated on all worker threads of all pools over their lifetimes, added when a worker exits (for the tests
    /// that prove training allocates nothing per epoch on any thread).
    /// </summary>
    internal static long WorkerAllocatedBytes => Interlocked.Read(ref s_workerAllocatedBytes);

    /// <summary>Worker threads started by all pools so far.</summary>
    internal static long WorkersStarted => Interlocked.Read(ref s_workersStarted);

    /// <summary>Number of parts every job is split into, the calling thread included.</summary>
    public int Parts { get; }

    /// <summary>Runs every part of <paramref name="work"/> and returns when all are done; rethrows a worker's exception.</summary>
    public void Run(IPartitionedWork work)
    {
        _work = work;
        Volatile.Write(ref _pending, Parts - 1);
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        Exception? own = null;
        try
        {
            work.RunPart(0, Parts);
        }
        catch (Exception e)
        {
            own = e;
        }

        int spins = 0;
        while (Volatile.Read(ref _pending) != 0)
        {
            if (++spins < 100_000)
            {
                Thread.SpinWait(8);
            }
            else
            {
                Thread.Yield();
            }
        }

        _work = null;
        if (own is not null)
        {
            ExceptionDispatchInfo.Throw(own);
        }

        ExceptionDispatchInfo? error = Interlocked.Exchange(ref _error, null);
        error?.Throw();
    }

    public void Dispose()
    {
        _stopping = true;
        Interlocked.Increment(ref _generation);
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    private void WorkerLoop(int part)
    {
        Interlocked.Increment(ref s_workersStarted);
        long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Work(part);
        }
        finally
        {
            Interlocked.Add(ref s_workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart);
        }
    }

    private void Work(int part)
    {
        int seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen)
                    {
                        Monitor.Wait(_gate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }
            }

            seen = Volatile.Read(ref _generation);
            if (_stopping)
            {
                return;
            }

            try
            {
                _work!.RunPart(part, Parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }

            Interlocked.Decrement(ref _pending);
        }
    }
}
