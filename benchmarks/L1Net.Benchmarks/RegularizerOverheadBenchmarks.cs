using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>What does a regularizer cost over none? One epoch per operation, None as the baseline.</summary>
[MemoryDiagnoser]
public class RegularizerOverheadBenchmarks
{
    private EpochRunner _none = null!;
    private EpochRunner _l1 = null!;
    private EpochRunner _l2 = null!;
    private EpochRunner _elasticNet = null!;
    private EpochRunner _proximalL1 = null!;
    private EpochRunner _cumulativeL1 = null!;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>).</summary>
    [Params("a-1", "b-32", "c-256")]
    public string Workload { get; set; } = "a-1";

    /// <summary>Most threads per step.</summary>
    [Params(2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get(Workload);
        _none = new EpochRunner(workload, Workloads.Regularizer("None"), Threads);
        _l1 = new EpochRunner(workload, Workloads.Regularizer("L1"), Threads);
        _l2 = new EpochRunner(workload, Workloads.Regularizer("L2"), Threads);
        _elasticNet = new EpochRunner(workload, Workloads.Regularizer("ElasticNet"), Threads);
        _proximalL1 = new EpochRunner(workload, Workloads.Regularizer("ProximalL1"), Threads);
        _cumulativeL1 = new EpochRunner(workload, Workloads.Regularizer("CumulativeL1"), Threads);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _none.Dispose();
        _l1.Dispose();
        _l2.Dispose();
        _elasticNet.Dispose();
        _proximalL1.Dispose();
        _cumulativeL1.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float None() => _none.RunEpoch();

    [Benchmark]
    public float L1() => _l1.RunEpoch();

    [Benchmark]
    public float L2() => _l2.RunEpoch();

    [Benchmark]
    public float ElasticNet() => _elasticNet.RunEpoch();

    /// <summary>Proximal L1: the data step, then its soft-threshold on the rows just updated.</summary>
    [Benchmark]
    public float ProximalL1() => _proximalL1.RunEpoch();

    /// <summary>Cumulative-penalty L1 (stateful, per-weight totals).</summary>
    [Benchmark]
    public float CumulativeL1() => _cumulativeL1.RunEpoch();
}
