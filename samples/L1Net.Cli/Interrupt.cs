namespace L1Net.Cli;

/// <summary>
/// Ctrl+C for the command line. While a stage that can stop cleanly is running (training, cross-validation), the first
/// Ctrl+C signals <see cref="Token"/>, which the library's training observes before every step, and the process goes on to
/// report what was trained; a second Ctrl+C, or one outside such a stage (reading files, saving), ends the process at
/// once as usual (exit code 130).
/// </summary>
internal sealed class Interrupt
{
    private readonly CancellationTokenSource _source;
    private int _armed;

    /// <summary>Creates an interrupt that <paramref name="stop"/> also signals (tests use it in place of Ctrl+C).</summary>
    public Interrupt(CancellationToken stop = default) => _source = CancellationTokenSource.CreateLinkedTokenSource(stop);

    /// <summary>Signalled by the first Ctrl+C during a stage that can stop cleanly.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Marks a stage that can stop cleanly; dispose the result when it ends.</summary>
    public IDisposable Arm()
    {
        Interlocked.Increment(ref _armed);
        return new Disarm(this);
    }

    /// <summary>
    /// Handles Ctrl+C: true when it was taken as a request to stop cleanly (the caller sets
    /// <see cref="ConsoleCancelEventArgs.Cancel"/> to keep the process alive), false to let the process end.
    /// </summary>
    public bool Request()
    {
        if (Volatile.Read(ref _armed) > 0 && !_source.IsCancellationRequested)
        {
            _source.Cancel();
            return true;
        }

        return false;
    }

    /// <summary>Installs <see cref="Request"/> as the process's Ctrl+C handler.</summary>
    public static Interrupt ForConsole()
    {
        var interrupt = new Interrupt();
        Console.CancelKeyPress += (_, e) => e.Cancel = interrupt.Request();
        return interrupt;
    }

    private sealed class Disarm(Interrupt owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref owner._armed);
            }
        }
    }
}
