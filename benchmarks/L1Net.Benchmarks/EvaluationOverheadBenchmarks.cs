using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// What does the public <see cref="BackPropTrainer.Train"/> cost over the epochs it runs? One epoch of c-256 on one
/// thread: a bare epoch (<see cref="EpochRunner"/>, the baseline) against <c>Train</c> with <c>Epochs = 1</c>, which also
/// validates, sets up and proves the final loss finite (<c>LossBound</c>), and against <c>Train</c> followed by a read of
/// <see cref="TrainingResult.Final"/>, which then evaluates the network on all 10,000 rows (the deferred forward pass).
/// </summary>
[MemoryDiagnoser]
public class EvaluationOverheadBenchmarks
{
    private OneEpochComparison _setup = null!;

    [GlobalSetup]
    public void Setup()
    {
        _setup = new OneEpochComparison("c-256");

        // Every variant reaches its final JIT tier before any is measured (needed for --cpu-clock, which counts the JIT's
        // background thread too).
        Warmup.Run([() => BareEpoch(), () => TrainOneEpoch(), () => TrainOneEpochAndFinal()]);
    }

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    /// <summary>One epoch, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public float BareEpoch() => _setup.BareEpoch();

    /// <summary>The public call for one epoch (validation, setup, the epoch, the finiteness proof); its result's <see cref="TrainingResult.Final"/> is not read.</summary>
    [Benchmark]
    public TrainingResult TrainOneEpoch() => _setup.TrainOneEpoch();

    /// <summary>The public call for one epoch, then <see cref="TrainingResult.Final"/> read (the deferred evaluation on all rows).</summary>
    [Benchmark]
    public double TrainOneEpochAndFinal() => _setup.TrainOneEpoch().Final.Loss;
}
