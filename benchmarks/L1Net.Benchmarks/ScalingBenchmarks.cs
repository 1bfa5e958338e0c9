using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// How does an epoch grow with the number of rows and with the width of the network? Workload (c)'s shape
/// (784-H-10 ReLU/softmax, cross-entropy, batch 256, learning rate 0.05) with H and the row count varied one at a time
/// around (c) itself (H = 256, 10,000 rows), on two threads. Per epoch the products cost 2 x 784 x H + 3 x H x 10
/// multiply-adds per row.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScalingBenchmarks
{
    private EpochRunner _runner = null!;

    /// <summary>Rows x hidden units, e.g. <c>10000x256</c> (workload c-256).</summary>
    [Params("2500x256", "5000x256", "10000x256", "20000x256", "10000x64", "10000x128", "10000x512")]
    public string Shape { get; set; } = "10000x256";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        int rows = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int hidden = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var workload = new Workload($"c-256 {Shape}", [784, hidden, 10], Activation.ReLU, LossFunction.CrossEntropy, rows, 256, 0.05f);
        _runner = new EpochRunner(workload, Workloads.Regularizer("None"), threads: 2);
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary>One epoch over all rows.</summary>
    [Benchmark]
    public float Epoch() => _runner.RunEpoch();
}
