using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// Does the public <see cref="BackPropTrainer.Train"/> allocate per epoch? Its per-call setup (buffers, worker threads,
/// result) allocates; an epoch must not, so 1 and 4 epochs show the same allocated bytes.
/// </summary>
[MemoryDiagnoser]
public class PublicTrainBenchmarks
{
    private DenseNetwork _network = null!;
    private Dataset _data = null!;
    private BackPropTrainer _trainer = null!;

    [Params("a-1", "c-256")]
    public string Workload { get; set; } = "a-1";

    [Params(1, 4)]
    public int Epochs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get(Workload);
        _network = workload.MakeNetwork();
        _data = workload.MakeDataset();
        _trainer = new BackPropTrainer(
            new TrainerOptions { Epochs = Epochs, BatchSize = workload.BatchSize, LearningRate = workload.LearningRate, Loss = workload.Loss, ReportInterval = 1000 },
            Workloads.Regularizer("L1"));
    }

    [Benchmark]
    public TrainingResult Train() => _trainer.Train(_network, _data);
}
