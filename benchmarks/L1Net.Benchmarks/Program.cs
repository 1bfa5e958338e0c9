using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using L1Net.Benchmarks;

// The entry point of both benchmark projects (L1Net.Benchmarks, and L1Net.Benchmarks.Peers, which links this file).
// Run from the repository root: dotnet run -c Release --project benchmarks/<project> -- --filter '*'   (see docs/benchmarks.md)
// --cpu-clock (ours, not BenchmarkDotNet's): measure every job with the process's CPU time instead of the wall clock.
IConfig? config = null;
if (args.Contains("--cpu-clock"))
{
    if (!ProcessCpuClock.Instance.IsAvailable)
    {
        Console.Error.WriteLine("--cpu-clock needs Linux (clock_gettime(CLOCK_PROCESS_CPUTIME_ID)).");
        return 2;
    }

    args = [.. args.Where(a => a != "--cpu-clock")];
    config = DefaultConfig.Instance.AddJob(Job.Default.WithClock(ProcessCpuClock.Instance).AsMutator());
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
