using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;

namespace L1Net.Benchmarks;

/// <summary>
/// How much slower is training where wide vectors are missing? One epoch of a-1, b-32 and c-256 on one thread, through
/// the public <see cref="BackPropTrainer.Train"/> (<c>Epochs = 1</c>: per-call setup, the epoch, the final evaluation) and
/// as a bare epoch on a prepared workspace, in four jobs back to back in one BenchmarkDotNet run: the default (baseline),
/// <c>DOTNET_EnableAVX512=0</c> (256-bit, an AVX2 machine's default), <c>DOTNET_EnableAVX=0</c> (128-bit SSE, no FMA: the
/// Vector128 kernels) and <c>DOTNET_EnableHWIntrinsic=0</c> (the scalar kernels). The Ratio column is each setting's time
/// over the default's for the same workload and method. Run with benchmarks/isa-ratios.sh.
/// </summary>
[Config(typeof(IsaJobs))]
public class IsaRatioBenchmarks
{
    private OneEpochComparison _setup = null!;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>).</summary>
    [Params("a-1", "b-32", "c-256")]
    public string Workload { get; set; } = "a-1";

    [GlobalSetup]
    public void Setup() => _setup = new OneEpochComparison(Workload);

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    /// <summary>One public <c>Train</c> call of one epoch, one thread.</summary>
    [Benchmark]
    public TrainingResult Train() => _setup.TrainOneEpoch();

    /// <summary>One bare epoch over all rows, one thread.</summary>
    [Benchmark]
    public float Epoch() => _setup.BareEpoch();
}

/// <summary>The four instruction-set settings as jobs of one run (short runs: 3 warm-ups, 3 measured iterations each).</summary>
internal sealed class IsaJobs : ManualConfig
{
    public IsaJobs()
    {
        Job job = Job.ShortRun;
        AddJob(job.WithId("default").AsBaseline());
        AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX512", "0").WithId("AVX512=0"));
        AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX", "0").WithId("AVX=0"));
        AddJob(job.WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").WithId("HWIntrinsic=0"));
        AddColumn(StatisticColumn.Median);

        // Raw measurements (nanoseconds, no units, no culture) for benchmarks/isa-ratios.sh's table of medians.
        AddExporter(new CsvMeasurementsExporter(CsvSeparator.Semicolon));
    }
}
