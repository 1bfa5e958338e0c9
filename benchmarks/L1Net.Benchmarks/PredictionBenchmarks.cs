using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// How fast is prediction? <see cref="DenseNetwork.Predict"/> of one row and <see cref="DenseNetwork.PredictBatch"/> of 256
/// and 10,000 rows on workload (c)'s 784-256-10 network, one thread. A row is 2 x (784 x 256 + 256 x 10) = 406,528
/// floating-point operations: GFLOP/s = rows x 406,528 / time.
/// </summary>
[MemoryDiagnoser]
public class PredictionBenchmarks
{
    /// <summary>Floating-point operations of one row.</summary>
    public const double FlopsPerRow = 2.0 * ((784 * 256) + (256 * 10));

    private DenseNetwork _network = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;

    /// <summary>Rows per call (1 calls <see cref="DenseNetwork.Predict"/>).</summary>
    [Params(1, 256, 10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get("c-256");
        _network = workload.MakeNetwork();
        _inputs = workload.MakeData().Features.AsSpan(0, Rows * 784).ToArray();
        _outputs = new float[Rows * 10];
    }

    /// <summary>One call.</summary>
    [Benchmark]
    public void Predict()
    {
        if (Rows == 1)
        {
            _network.Predict(_inputs, _outputs);
        }
        else
        {
            _network.PredictBatch(_inputs, _outputs);
        }
    }
}
