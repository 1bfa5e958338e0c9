using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using L1Net.Kernels;

namespace L1Net.Benchmarks;

/// <summary>
/// What do eight independent chains buy the one-row forward product? 784 -> 256 (c-256's first layer, 401,408 flop) for one
/// input row at the per-sample width (Vector256 on AVX2 and AVX-512 machines): four rows of W per pass (four chains, the
/// former kernel) against eight (<see cref="SampleKernels.Dot1x8{TOps, TVec}"/>, what <c>Predict</c> and per-sample
/// training use now). Both give each output the same bits. GFLOP/s = 401,408 / time.
/// </summary>
public class OneRowKernelBenchmarks
{
    private const int Inputs = 784, Outputs = 256;
    private readonly float[] _weights = Values(Inputs * Outputs, 1);
    private readonly float[] _biases = Values(Outputs, 2);
    private readonly float[] _x = Values(Inputs, 3);
    private readonly float[] _z = new float[Outputs];

    /// <summary>Rows of W per pass.</summary>
    [Params(4, 8)]
    public int Chains { get; set; }

    [Benchmark]
    public float Forward()
    {
        int step = Chains;
        for (int o = 0; o < Outputs; o += step)
        {
            if (step == 8)
            {
                SampleKernels.Dot1x8<Vec256Ops, Vector256<float>>(ref _weights[o * Inputs], ref _x[0], Inputs, ref _biases[o], ref _z[o]);
            }
            else
            {
                SampleKernels.Dot1x4<Vec256Ops, Vector256<float>>(ref _weights[o * Inputs], ref _x[0], Inputs, ref _biases[o], ref _z[o]);
            }
        }

        return _z[0];
    }

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}

/// <summary>
/// What does one pass per optimizer step save? Adam on 200,704 values (784 x 256) and on 2,570 (256 x 10 + 10): the former
/// nine TensorPrimitives passes (baseline) against <see cref="OptimizerKernels.Adam(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, in AdamCoefficients)"/>
/// (same bits); and plain SGD with weight decay (the elastic-net kernel with <c>l1 = 0</c>), for scale.
/// </summary>
public class OptimizerStepBenchmarks
{
    private float[] _w = null!, _g = null!, _m = null!, _v = null!, _eta = null!, _scratch = null!;

    [Params(2_570, 200_704)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        float[] Fill(float scale) => Enumerable.Range(0, Length).Select(_ => scale * (float)(random.NextDouble() - 0.5)).ToArray();
        _w = Fill(1f);
        _g = Fill(0.01f);
        _m = Fill(0.001f);
        _v = Fill(0.001f).Select(MathF.Abs).ToArray();
        _eta = new float[Length];
        _scratch = new float[Length];
    }

    /// <summary>Adam as nine TensorPrimitives passes (the former form; the gradient copy stands for the overwritten buffer).</summary>
    [Benchmark(Baseline = true)]
    public void AdamPasses()
    {
        const float Lr = 1e-6f, B1 = 0.9f, B2 = 0.999f, Eps = 1e-8f;
        Span<float> g = _scratch;
        _g.CopyTo(g);
        TensorPrimitives.Multiply(_m, B1, _m);
        TensorPrimitives.MultiplyAdd(g, 1f - B1, _m, _m);
        TensorPrimitives.Multiply(g, g, g);
        TensorPrimitives.Multiply(_v, B2, _v);
        TensorPrimitives.MultiplyAdd(g, 1f - B2, _v, _v);
        TensorPrimitives.Sqrt(_v, _eta);
        TensorPrimitives.Divide(_eta, 0.5f, _eta);
        TensorPrimitives.Add(_eta, Eps, _eta);
        TensorPrimitives.Divide(Lr, _eta, _eta);
        TensorPrimitives.Multiply(_eta, _m, g);
        TensorPrimitives.MultiplyAdd(g, -1f / 0.3f, _w, _w);
    }

    /// <summary>Adam in one pass.</summary>
    [Benchmark]
    public void AdamOnePass() =>
        OptimizerKernels.Adam(_w, _g, _m, _v, _eta, new AdamCoefficients(1e-6f, 0.9f, 0.999f, 1e-8f, 0f, false, 3));

    /// <summary>Plain SGD with decay through the elastic-net kernel (l1 = 0).</summary>
    [Benchmark]
    public void SgdDecayElasticNet() => UpdateKernels.ElasticNet(_w, _g, 1e-6f, 0f, 1e-4f);
}
