using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using L1Net.Onnx;
using L1Net.Seed;
using Microsoft.ML.OnnxRuntime;

namespace L1Net.Benchmarks;

/// <summary>
/// Is L1Net's inference as fast as ONNX Runtime running the same weights? (issue 16) One thread each: L1Net's
/// <c>Predict</c> (batch 1) or <c>PredictBatch</c> (batch 256), plus the class of each row (<c>IndexOfMax</c>), against
/// <c>InferenceSession.RunWithBinding</c> on the model <see cref="OnnxExporter"/> writes (probabilities and class), with
/// the input and both outputs pre-bound as OrtValues over pinned arrays (<c>OrtIoBinding</c>), <c>IntraOpNumThreads = 1</c>,
/// sequential execution, all graph optimizations. Networks: the seed demo's 10-8(tanh)-4(softmax), trained as its
/// "L1Net, L1(0.001)" row, and 784-256(relu)-10(softmax) with Glorot weights. Rows: uniform in [-1, 1), fixed seed.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private DenseNetwork _network = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private int[] _classes = null!;
    private InferenceSession _session = null!;
    private OrtIoBinding _binding = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _ortValues = null!;

    /// <summary>The network being benchmarked (built by <see cref="Setup"/>), for peers in derived classes.</summary>
    protected DenseNetwork Model => _network;

    /// <summary>The input rows, <c>Batch</c> rows of the network's input size.</summary>
    protected float[] Inputs => _inputs;

    /// <summary>The network: <c>seed</c> (10-8-4) or <c>784-256-10</c>.</summary>
    [Params("seed", "784-256-10")]
    public string Network { get; set; } = "seed";

    /// <summary>Rows per call.</summary>
    [Params(1, 256)]
    public int Batch { get; set; }

    /// <summary>Builds the network, the rows and the ONNX Runtime session with its bindings.</summary>
    [GlobalSetup]
    public virtual void Setup()
    {
        _network = Network == "seed" ? SeedNetwork() : NetworkBuilder.Input(784).Dense(256, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var random = new Random(1);
        _inputs = Enumerable.Range(0, Batch * _network.InputSize).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        _outputs = new float[Batch * _network.OutputSize];
        _classes = new int[Batch];

        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(OnnxExporter.ExportToArray(_network), options);
        _runOptions = new RunOptions();
        _ortValues =
        [
            OrtValue.CreateTensorValueFromMemory(_inputs, [Batch, _network.InputSize]),
            OrtValue.CreateTensorValueFromMemory(new float[Batch * _network.OutputSize], [Batch, _network.OutputSize]),
            OrtValue.CreateTensorValueFromMemory(new long[Batch], [Batch]),
        ];
        _binding = _session.CreateIoBinding();
        _binding.BindInput("features", _ortValues[0]);
        _binding.BindOutput("probabilities", _ortValues[1]);
        _binding.BindOutput("class", _ortValues[2]);
        _session.RunWithBinding(_runOptions, _binding);
    }

    /// <summary>Releases the ONNX Runtime objects.</summary>
    [GlobalCleanup]
    public virtual void Cleanup()
    {
        _binding.Dispose();
        foreach (OrtValue value in _ortValues)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>L1Net: <c>Predict</c> at batch 1, <c>PredictBatch</c> otherwise, then the class of each row.</summary>
    [Benchmark(Baseline = true)]
    public int L1Net()
    {
        if (Batch == 1)
        {
            _network.Predict(_inputs, _outputs);
        }
        else
        {
            _network.PredictBatch(_inputs, _outputs);
        }

        int k = _network.OutputSize;
        for (int r = 0; r < _classes.Length; r++)
        {
            _classes[r] = TensorPrimitives.IndexOfMax(_outputs.AsSpan(r * k, k));
        }

        return _classes[0];
    }

    /// <summary>ONNX Runtime on the exported model, everything pre-bound.</summary>
    [Benchmark]
    public void OnnxRuntime() => _session.RunWithBinding(_runOptions, _binding);

    private static DenseNetwork SeedNetwork()
    {
        SeedRunResult result = SeedRunner.Run(new SeedRun("L1Net, L1(0.001)", GradientRule.True, Regularizer.L1(0.001f)), SeedData.Train().ToDataset(), SeedData.Test().ToDataset(), reportErrors: false);
        DenseNetwork network = NetworkBuilder.Input(SeedData.InputCount).Dense(SeedRun.HiddenCount, Activation.Tanh).Dense(SeedData.ClassCount, Activation.Softmax).Build();
        result.Parameters.ToArray().CopyTo(network.Parameters);
        return network;
    }
}
