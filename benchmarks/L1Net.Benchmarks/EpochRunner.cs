
namespace L1Net.Benchmarks;

/// <summary>
/// One training epoch exactly as <see cref="BackPropTrainer.Train"/> runs it (shuffle, then one step per batch), on a
/// workspace prepared once, so that <c>[MemoryDiagnoser]</c> sees what an epoch allocates and nothing of the per-call setup.
/// </summary>
public sealed class EpochRunner : IDisposable
{
    private readonly TrainingWorkspace _workspace;
    private readonly DenseNetwork _network;
    private readonly Dataset _data;
    private readonly int[] _order;
    private readonly ShuffledSampleOrder _shuffle = new(7);
    private readonly Workload _workload;
    private int _epoch;

    public EpochRunner(Workload workload, IRegularizer regularizer, int threads, IOptimizer? optimizer = null)
    {
        _workload = workload;
        _network = workload.MakeNetwork();
        _data = workload.MakeDataset();
        _order = Enumerable.Range(0, _data.Count).ToArray();
        LayerInfo[] layers = _network.Layers.ToArray();
        _workspace = new TrainingWorkspace(layers, _network.ParameterCount, Enumerable.Repeat(regularizer, layers.Length).ToArray(), workload.Loss, null, regularizeBiases: false);
        _workspace.PrepareTraining(workload.BatchSize, optimizer ?? Optimizer.Sgd(workload.LearningRate), threads);
    }

    /// <summary>Threads a step actually uses.</summary>
    public int Threads => _workspace.Threads;

    /// <summary>Runs one epoch; returns the summed loss.</summary>
    public float RunEpoch()
    {
        _shuffle.Arrange(_order, ++_epoch);
        float loss = 0f;
        int batch = _workload.BatchSize;
        for (int first = 0; first < _order.Length; first += batch)
        {
            int count = Math.Min(batch, _order.Length - first);
            loss += _workspace.Step(_network, _data, _order.AsSpan(first, count));
        }

        return loss;
    }

    public void Dispose() => _workspace.Dispose();
}
