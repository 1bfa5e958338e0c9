using BenchmarkDotNet.Attributes;
using L1Net.Benchmarks;

namespace L1Net.Benchmarks.Peers;

/// <summary>
/// L1Net against TorchSharp on the same workload, in the same run; one epoch per operation, TorchSharp without a
/// regularizer as the baseline, so each ratio is a speed-up (below 1) or a slow-down (above 1) against it.
/// </summary>
[MemoryDiagnoser]
public class PeerComparisonBenchmarks
{
    private EpochRunner _l1NetNone = null!;
    private EpochRunner _l1NetL1 = null!;
    private TorchTrainer _torchNone = null!;
    private TorchTrainer _torchL1Loss = null!;
    private TorchTrainer _torchL1Gradient = null!;

    [ParamsSource(nameof(WorkloadNames))]
    public string Workload { get; set; } = "a-1";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> WorkloadNames => Workloads.All;

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get(Workload);
        _l1NetNone = new EpochRunner(workload, Workloads.Regularizer("None"), Threads);
        _l1NetL1 = new EpochRunner(workload, Workloads.Regularizer("L1"), Threads);
        _torchNone = new TorchTrainer(workload, TorchRegularization.None, Threads);
        _torchL1Loss = new TorchTrainer(workload, TorchRegularization.L1AsLoss, Threads);
        _torchL1Gradient = new TorchTrainer(workload, TorchRegularization.L1AsGradient, Threads);
        Warmup.Run([
            () => _torchNone.RunEpoch(),
            () => _torchL1Loss.RunEpoch(),
            () => _torchL1Gradient.RunEpoch(),
            () => _l1NetNone.RunEpoch(),
            () => _l1NetL1.RunEpoch(),
        ]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _l1NetNone.Dispose();
        _l1NetL1.Dispose();
        _torchNone.Dispose();
        _torchL1Loss.Dispose();
        _torchL1Gradient.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float TorchSharp_None() => _torchNone.RunEpoch();

    [Benchmark]
    public float TorchSharp_L1AsLoss() => _torchL1Loss.RunEpoch();

    [Benchmark]
    public float TorchSharp_L1AsGradient() => _torchL1Gradient.RunEpoch();

    [Benchmark]
    public float L1Net_None() => _l1NetNone.RunEpoch();

    [Benchmark]
    public float L1Net_L1() => _l1NetL1.RunEpoch();
}
