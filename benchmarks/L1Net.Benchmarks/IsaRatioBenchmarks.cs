using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace L1Net.Benchmarks;

/// <summary>
/// How much slower is training where wide vectors are missing? One epoch of a-1, b-32 and c-256 (one thread, and c-256 on
/// two), run in four jobs back to back in one BenchmarkDotNet run: the default (baseline), <c>DOTNET_EnableAVX512=0</c>
/// (256-bit), <c>DOTNET_EnableAVX=0</c> (128-bit SSE, no FMA: the Vector128 kernels) and <c>DOTNET_EnableHWIntrinsic=0</c>
/// (the scalar kernels). The Ratio column is each setting's time over the default's for the same workload.
/// Run with benchmarks/isa-ratios.sh.
/// </summary>
[Config(typeof(IsaJobs))]
public class IsaRatioBenchmarks
{
    private EpochRunner _runner = null!;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>).</summary>
    [Params("a-1", "b-32", "c-256")]
    public string Workload { get; set; } = "a-1";

    /// <summary>Most threads per step.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _runner = new EpochRunner(Workloads.Get(Workload), Workloads.Regularizer("None"), Threads);

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary>One epoch over all rows.</summary>
    [Benchmark]
    public float Epoch() => _runner.RunEpoch();

    /// <summary>The four instruction-set settings as jobs of one run (short runs: 3 warm-ups, 3 measured iterations each).</summary>
    private sealed class IsaJobs : ManualConfig
    {
        public IsaJobs()
        {
            Job job = Job.ShortRun;
            AddJob(job.WithId("default").AsBaseline());
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX512", "0").WithId("AVX512=0"));
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX", "0").WithId("AVX=0"));
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").WithId("HWIntrinsic=0"));
        }
    }
}
