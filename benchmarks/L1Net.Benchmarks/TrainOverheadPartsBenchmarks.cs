using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// What do the parts of <see cref="BackPropTrainer.Train"/> outside its epochs cost, against one bare epoch of c-256 (one
/// thread)? The workspace setup, the parameter copies and scan, the finiteness proof of a completed run
/// (<see cref="LossBound"/>), and the feature statistics of the feature-scale warning (computed once per data set).
/// </summary>
[MemoryDiagnoser]
public class TrainOverheadPartsBenchmarks
{
    private OneEpochComparison _setup = null!;
    private Workload _workload = null!;
    private DenseNetwork _network = null!;
    private Dataset _data = null!;
    private LayerInfo[] _layers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _setup = new OneEpochComparison("c-256");
        (_workload, _network, _data) = (_setup.Workload, _setup.Network, _setup.Data);
        _layers = [.. _network.Layers];
        Warmup.Run([() => BareEpoch(), () => WorkspaceSetup(), () => ParameterCopies(), () => FinitenessProof(), () => FeatureStatistics()]);
    }

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    /// <summary>One epoch, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public float BareEpoch() => _setup.BareEpoch();

    /// <summary>The workspace of a one-thread c-256 call: bound regularizers and optimizer, the mini-batch engine's buffers.</summary>
    [Benchmark]
    public int WorkspaceSetup()
    {
        using var workspace = new TrainingWorkspace(_layers, _network.ParameterCount, [Regularizer.None, Regularizer.None], _workload.Loss, null, false);
        workspace.PrepareTraining(_workload.BatchSize, Optimizer.Sgd(_workload.LearningRate), 1);
        return workspace.Threads;
    }

    /// <summary>The caller's original parameters and the epoch-start buffer, one epoch-start copy and one finiteness scan.</summary>
    [Benchmark]
    public int ParameterCopies()
    {
        float[] original = _network.Parameters.ToArray();
        var epochStart = new float[original.Length];
        _network.Parameters.CopyTo(epochStart);
        return Guard.IndexOfNonFinite(_network.Parameters) + epochStart.Length;
    }

    /// <summary>The proof that every row's loss is finite (the data's per-feature magnitudes are cached after the first call).</summary>
    [Benchmark]
    public bool FinitenessProof() => LossBound.ProvesFinite(_layers, _network.Parameters, _data, _workload.Loss);

    /// <summary>The per-feature mean and standard deviation behind the feature-scale warning (uncached: what a data set's first check costs).</summary>
    [Benchmark]
    public double FeatureStatistics() => Standardizer.Statistics(_data).StandardDeviation[0];
}
