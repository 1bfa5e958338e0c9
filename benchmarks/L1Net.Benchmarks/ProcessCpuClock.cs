using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace L1Net.Benchmarks;

/// <summary>
/// A BenchmarkDotNet clock that reads the CPU time of this process (all its threads), in nanoseconds, instead of the wall
/// clock: <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c> on Linux. Opt-in with <c>--cpu-clock</c> (see Program.cs).
/// </summary>
/// <remarks>
/// On a machine shared with other busy processes, wall time includes every moment the benchmark's threads wait for a core,
/// which swamps differences of a few percent; CPU time counts only the time the process actually ran. It still includes a
/// worker's spin-waits (the trainer's worker pool spins up to 200 us before sleeping) and is still touched by cache and
/// frequency effects of the neighbours, so use it for ratios within one run, like the wall clock.
/// </remarks>
public sealed class ProcessCpuClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>The one instance.</summary>
    public static ProcessCpuClock Instance { get; } = new();

    /// <inheritdoc />
    public string Title => "Process CPU time";

    /// <inheritdoc />
    public bool IsAvailable => OperatingSystem.IsLinux();

    /// <inheritdoc />
    public Frequency Frequency => Frequency.GHz;

    /// <inheritdoc />
    public long GetTimestamp()
    {
        if (ClockGetTime(ClockProcessCpuTimeId, out TimeSpec now) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
