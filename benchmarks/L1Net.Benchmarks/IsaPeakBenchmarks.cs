using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using L1Net.Kernels;

namespace L1Net.Benchmarks;

/// <summary>
/// How close does the GEMM get to each instruction-set setting's own fp32 peak? Under the default,
/// <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> (four jobs of one run), at
/// the width the library picks for its GEMM (<see cref="KernelWidths.Gemm"/>: 512, 256, 128 and 32 bits on an AVX-512
/// machine):
/// <list type="bullet">
/// <item><see cref="Peak"/>: twelve independent multiply-add chains through the kernels' own multiply-add
/// (<c>MultiplyAddEstimate</c>: one FMA where the hardware has it, a multiply then an add where it does not), no memory
/// traffic; <see cref="PeakIterations"/> x 12 x lanes x 2 flop per call (lanes 16, 8, 4, 1 for the four jobs).</item>
/// <item><see cref="GemmForward"/>: the forward product of c-256's first layer at batch 256 (784 x 256 x 256, blocked as
/// training runs it), 102.8 MFLOP.</item>
/// <item><see cref="PredictBatch256"/>: <c>PredictBatch</c> of 256 rows on 784-256-10, 104.1 MFLOP.</item>
/// </list>
/// GFLOP/s = flop / time; a job's efficiency is its GEMM GFLOP/s over its own peak GFLOP/s (both from this run).
/// </summary>
[Config(typeof(Jobs))]
public class IsaPeakBenchmarks
{
    /// <summary>Iterations of the peak loop per call.</summary>
    public const int PeakIterations = 1_000_000;

    private readonly KernelBenchmarks _kernels = new();
    private DenseNetwork _network = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _kernels.Setup();
        Workload workload = Workloads.Get("c-256");
        _network = workload.MakeNetwork();
        _inputs = workload.MakeData().Features.AsSpan(0, 256 * 784).ToArray();
        _outputs = new float[256 * 10];
    }

    /// <summary>Twelve multiply-add chains at the GEMM's width.</summary>
    [Benchmark]
    public float Peak() => KernelWidths.Gemm switch
    {
        VectorWidth.Vector512 => Chains<Vec512Ops, Vector512<float>>(PeakIterations),
        VectorWidth.Vector256 => Chains<Vec256Ops, Vector256<float>>(PeakIterations),
        VectorWidth.Vector128 => Chains<Vec128Ops, Vector128<float>>(PeakIterations),
        _ => Chains<ScalarOps, float>(PeakIterations),
    };

    /// <summary>The forward product of c-256's first layer at batch 256, at the GEMM's width.</summary>
    [Benchmark]
    public void GemmForward() => _kernels.ForwardAt(KernelWidths.Gemm);

    /// <summary><c>PredictBatch</c> of 256 rows on 784-256-10.</summary>
    [Benchmark]
    public void PredictBatch256() => _network.PredictBatch(_inputs, _outputs);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains<TOps, TVec>(int iterations)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec a0 = TOps.Broadcast(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        TVec m = TOps.Broadcast(0.9999999f);
        TVec c = TOps.Broadcast(1e-7f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, c);
            a1 = TOps.MultiplyAdd(a1, m, c);
            a2 = TOps.MultiplyAdd(a2, m, c);
            a3 = TOps.MultiplyAdd(a3, m, c);
            a4 = TOps.MultiplyAdd(a4, m, c);
            a5 = TOps.MultiplyAdd(a5, m, c);
            a6 = TOps.MultiplyAdd(a6, m, c);
            a7 = TOps.MultiplyAdd(a7, m, c);
            a8 = TOps.MultiplyAdd(a8, m, c);
            a9 = TOps.MultiplyAdd(a9, m, c);
            a10 = TOps.MultiplyAdd(a10, m, c);
            a11 = TOps.MultiplyAdd(a11, m, c);
        }

        TVec sum = TOps.Add(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), TOps.Add(TOps.Add(a4, a5), TOps.Add(a6, a7)));
        return TOps.Sum(TOps.Add(sum, TOps.Add(TOps.Add(a8, a9), TOps.Add(a10, a11))));
    }

    /// <summary>The four settings as jobs of one run (short runs: 3 warm-ups, 3 measured iterations).</summary>
    private sealed class Jobs : ManualConfig
    {
        public Jobs()
        {
            Job job = Job.ShortRun;
            AddJob(job.WithId("default"));
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX512", "0").WithId("AVX512=0"));
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableAVX", "0").WithId("AVX=0"));
            AddJob(job.WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").WithId("HWIntrinsic=0"));
        }
    }
}
