namespace L1Net.Cli;

/// <summary>A problem the user can fix (a bad option value, a file that does not fit the model): printed as one line, no stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.DataError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The process exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input data or model file, training diverged, or an I/O failure.</summary>
    public const int DataError = 1;

    /// <summary>The command line itself is wrong: unknown option, bad option value, missing argument.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Training ran, but its result failed a sanity check (a training loss worse than predicting the class frequencies,
    /// a training accuracy no better than always predicting the most frequent class, or exploded weights); the model was saved.
    /// </summary>
    public const int TrainingUnusable = 3;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as a shell reports a process ended by it).</summary>
    public const int Interrupted = 130;
}
