using System.Diagnostics;

namespace L1Net.Benchmarks;

/// <summary>
/// Runs every variant of a comparison in <c>[GlobalSetup]</c>, before BenchmarkDotNet measures any of them, so that the
/// code they share reaches its final JIT tier first. Without it the first benchmark of an in-process run pays for the
/// background recompilation of the shared code (on a loaded machine, for many iterations), and so does its ratio.
/// </summary>
public static class Warmup
{
    /// <summary>Calls each action in turn, at least twice and for at least one second, then pauses for the JIT's background thread.</summary>
    public static void Run(IReadOnlyList<Action> variants)
    {
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 2 || clock.Elapsed < TimeSpan.FromSeconds(1); round++)
        {
            foreach (Action variant in variants)
            {
                variant();
            }
        }

        Thread.Sleep(300);
    }
}
