using BenchmarkDotNet.Attributes;
using L1Net.Kernels;

namespace L1Net.Benchmarks;

/// <summary>
/// How fast are the dense layer's three products? Workload (c)'s first layer (784 -> 256) at batch 256, on one thread:
/// forward <c>Z^T = W X^T + b</c>, input error <c>W^T D^T</c>, and the weight gradient (scaled to the mean, into a gradient buffer, as training runs it).
/// Each is 2 * 784 * 256 * 256 = 102.8 MFLOP; GFLOP/s = 0.1028 / (time in ms).
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Inputs = 784, Outputs = 256, Batch = 256, Stride = 272; // Stride: Gemm.PaddedStride(Batch)
    private float[] _weights = null!;
    private float[] _biases = null!;
    private float[] _inputT = null!;
    private float[] _features = null!;
    private int[] _offsets = null!;
    private Memory<float> _batchRows;
    private float[] _output = null!;
    private float[] _errorT = null!;
    private float[] _below = null!;
    private float[] _gradient = null!;

    /// <summary>Floating-point operations of each product.</summary>
    public const double Flops = 2.0 * Inputs * Outputs * Batch;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        _weights = Fill(Inputs * Outputs);
        _biases = Fill(Outputs);
        _inputT = Fill(Inputs * Stride);
        _features = Fill(Inputs * 1000);
        _offsets = Enumerable.Range(0, Batch).Select(i => ((i * 37) % 1000) * Inputs).ToArray();
        _batchRows = AlignedMemory.Allocate(Batch * Inputs);
        for (int m = 0; m < Batch; m++)
        {
            _features.AsSpan(_offsets[m], Inputs).CopyTo(_batchRows.Span[(m * Inputs)..]);
        }
        _output = new float[Outputs * Stride];
        _errorT = Fill(Outputs * Stride).Select(v => v * 1e-3f).ToArray();
        _below = new float[Inputs * Stride];
        _gradient = new float[Outputs * Inputs];
    }

    /// <summary>Forward: <c>Z^T[256, 256] = W[256, 784] X^T[784, 256] + b</c>.</summary>
    [Benchmark(Baseline = true)]
    public void Forward()
    {
        var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref _output[0], Stride, ref _biases[0]);
        Gemm.Multiply(ref _weights[0], Inputs, 1, ref _inputT[0], new StridedRows(Stride), 0, Outputs, Batch, Inputs, ref sink);
    }

    /// <summary>Forward blocked over k (<see cref="Gemm.MultiplyBlocked"/>, what training uses): same result, bit for bit.</summary>
    [Benchmark]
    public void ForwardBlocked()
    {
        var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref _output[0], Stride, ref _biases[0]);
        Gemm.MultiplyBlocked(ref _weights[0], Inputs, 1, ref _inputT[0], new StridedRows(Stride), 0, Outputs, Batch, Inputs, ref _output[0], Stride, ref sink);
    }

    /// <summary>Input error: <c>(W^T D^T)[784, 256]</c> (needed by every layer but the first).</summary>
    [Benchmark]
    public void InputError()
    {
        var sink = new StoreSink(ref _below[0], Stride);
        Gemm.Multiply(ref _weights[0], 1, Inputs, ref _errorT[0], new StridedRows(Stride), 0, Inputs, Batch, Outputs, ref sink);
    }

    /// <summary>Mean weight gradient over data rows gathered from the dataset in place.</summary>
    [Benchmark]
    public void WeightGradient()
    {
        var sink = new ScaledStoreSink(ref _gradient[0], Inputs, 1f / Batch);
        Gemm.Multiply(ref _errorT[0], Stride, 1, ref _features[0], new GatheredRows(_offsets), 0, Outputs, Inputs, Batch, ref sink);
    }

    /// <summary>
    /// The same weight gradient over the batch's rows laid side by side (aligned, 784 floats apart), which is what training
    /// runs since the gather writes that copy from the loads it makes anyway.
    /// </summary>
    [Benchmark]
    public void WeightGradientBatchRows()
    {
        var sink = new ScaledStoreSink(ref _gradient[0], Inputs, 1f / Batch);
        Gemm.Multiply(ref _errorT[0], Stride, 1, ref _batchRows.Span[0], new StridedRows(Inputs), 0, Outputs, Inputs, Batch, ref sink);
    }

    /// <summary><see cref="ForwardBlocked"/> at a given width.</summary>
    internal void ForwardAt(VectorWidth width)
    {
        var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref _output[0], Stride, ref _biases[0]);
        Gemm.MultiplyBlockedAt(ref _weights[0], Inputs, 1, ref _inputT[0], new StridedRows(Stride), 0, Outputs, Batch, Inputs, ref _output[0], Stride, ref sink, width);
    }

    /// <summary><see cref="WeightGradient"/> at a given width.</summary>
    internal void WeightGradientAt(VectorWidth width)
    {
        var sink = new ScaledStoreSink(ref _gradient[0], Inputs, 1f / Batch);
        Gemm.MultiplyAt(ref _errorT[0], Stride, 1, ref _features[0], new GatheredRows(_offsets), 0, Outputs, Inputs, Batch, ref sink, width);
    }
}

/// <summary>
/// Does Vector512 win? The forward and weight-gradient products of <see cref="KernelBenchmarks"/> at each vector width the
/// machine accelerates (same bits at every width; only the speed differs). One thread; 102.8 MFLOP each.
/// </summary>
public class GemmWidthBenchmarks
{
    private readonly KernelBenchmarks _k = new();

    /// <summary>Vector bits of the micro-kernel (32: the scalar kernel).</summary>
    [Params(512, 256, 128, 32)]
    public int Bits { get; set; }

    private VectorWidth Width => (VectorWidth)(Bits / 32);

    [GlobalSetup]
    public void Setup() => _k.Setup();

    /// <summary>Forward, blocked over k as training runs it.</summary>
    [Benchmark]
    public void Forward() => _k.ForwardAt(Width);

    /// <summary>Mean weight gradient.</summary>
    [Benchmark]
    public void WeightGradient() => _k.WeightGradientAt(Width);
}
