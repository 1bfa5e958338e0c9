using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>How many samples per second does training process? One epoch per operation; samples/s = rows / time.</summary>
[MemoryDiagnoser]
public class TrainingThroughputBenchmarks
{
    private EpochRunner _runner = null!;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>).</summary>
    [ParamsSource(nameof(WorkloadNames))]
    public string Workload { get; set; } = "a-1";

    /// <summary>Most threads per step (per-sample SGD always uses one).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> WorkloadNames => Workloads.All;

    [GlobalSetup]
    public void Setup() => _runner = new EpochRunner(Workloads.Get(Workload), Workloads.Regularizer("None"), Threads);

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary>One epoch over all rows.</summary>
    [Benchmark]
    public float Epoch() => _runner.RunEpoch();
}
