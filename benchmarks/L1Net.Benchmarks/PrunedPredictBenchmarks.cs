using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// Is the pruned network's <c>PredictBatch</c> faster in proportion to the weights removed? A 64-128-128-10 network in which
/// only <see cref="Kept"/> of the inputs and of each hidden layer's units carry nonzero weights (as a group penalty leaves
/// it), predicting 1,024 rows: the original network (baseline), the pruned one from full rows (it picks the kept columns),
/// and the pruned one from rows that hold only the kept columns.
/// </summary>
[MemoryDiagnoser]
public class PrunedPredictBenchmarks
{
    private const int Rows = 1024;
    private const int Inputs = 64;
    private const int Hidden = 128;
    private const int Classes = 10;

    private DenseNetwork _full = null!;
    private PrunedNetwork _pruned = null!;
    private float[] _rows = null!;
    private float[] _keptRows = null!;
    private float[] _outputs = null!;

    /// <summary>The share of inputs and hidden units left alive.</summary>
    [Params(1.0, 0.5, 0.25)]
    public double Kept { get; set; } = 1.0;

    [GlobalSetup]
    public void Setup()
    {
        _full = Create(Kept);
        _pruned = NetworkPruner.Prune(_full);
        var random = new Random(7);
        _rows = new float[Rows * Inputs];
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = (float)((random.NextDouble() * 2) - 1);
        }

        _keptRows = new float[Rows * _pruned.Network.InputSize];
        _pruned.SelectInputs(_rows, _keptRows);
        _outputs = new float[Rows * Classes];
        Console.WriteLine($"// kept {Kept}: weights {Weights(_pruned.Network)} of {Weights(_full)} ({(double)Weights(_pruned.Network) / Weights(_full):P1})");
    }

    /// <summary>The original network, dead weights included.</summary>
    [Benchmark(Baseline = true)]
    public float Original()
    {
        _full.PredictBatch(_rows, _outputs);
        return _outputs[0];
    }

    /// <summary>The pruned network from full rows (copies the kept columns, then predicts).</summary>
    [Benchmark]
    public float PrunedFullRows()
    {
        _pruned.PredictBatch(_rows, _outputs);
        return _outputs[0];
    }

    /// <summary>The pruned network from rows of the kept columns only.</summary>
    [Benchmark]
    public float PrunedKeptColumns()
    {
        _pruned.Network.PredictBatch(_keptRows, _outputs);
        return _outputs[0];
    }

    internal static int Weights(DenseNetwork network) => network.Layers.Sum(l => l.WeightCount);

    /// <summary>A trained-looking network whose dead inputs and units (all but a share <paramref name="kept"/>) have zero fan-out.</summary>
    internal static DenseNetwork Create(double kept)
    {
        DenseNetwork network = NetworkBuilder.Input(Inputs).Dense(Hidden, Activation.Tanh).Dense(Hidden, Activation.Tanh)
            .Dense(Classes, Activation.Softmax).Build(new GlorotUniformInitializer(11));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            int live = (int)Math.Round(layer.InputSize * kept);
            Span<float> w = network.GetWeights(l);
            for (int o = 0; o < layer.OutputSize; o++)
            {
                // Every other column is dead first, so the live ones are spread over the row.
                for (int i = 0; i < layer.InputSize; i++)
                {
                    if (!IsLive(i, layer.InputSize, live))
                    {
                        w[(o * layer.InputSize) + i] = 0f;
                    }
                }
            }
        }

        return network;
    }

    private static bool IsLive(int column, int columns, int live) => live >= columns || (column * live / columns) != ((column + 1) * live / columns);
}
