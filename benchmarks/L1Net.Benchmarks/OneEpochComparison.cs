namespace L1Net.Benchmarks;

/// <summary>
/// The setup of the benchmarks that set one epoch of the public <see cref="BackPropTrainer.Train"/> (or its parts)
/// against a bare epoch: one workload on one thread, without a regularizer, as a bare-epoch runner (the baseline), a
/// network and data set of the workload, and a trainer of one epoch that trains that network on that data. Written once
/// so the compared benchmarks cannot drift apart in what they set up.
/// </summary>
public sealed class OneEpochComparison : IDisposable
{
    /// <summary>Sets up workload <paramref name="workloadName"/> (see <see cref="Workloads"/>).</summary>
    public OneEpochComparison(string workloadName)
    {
        Workload = Workloads.Get(workloadName);
        Runner = new EpochRunner(Workload, Workloads.Regularizer("None"), threads: 1);
        Network = Workload.MakeNetwork();
        Data = Workload.MakeDataset();
        Trainer = new BackPropTrainer(
            new TrainerOptions { Epochs = 1, BatchSize = Workload.BatchSize, LearningRate = Workload.LearningRate, Loss = Workload.Loss, ReportInterval = 1000, MaxDegreeOfParallelism = 1 },
            Workloads.Regularizer("None"));
    }

    /// <summary>The workload.</summary>
    public Workload Workload { get; }

    /// <summary>Bare epochs on a workspace prepared once (one thread, no regularizer).</summary>
    public EpochRunner Runner { get; }

    /// <summary>The network <see cref="Trainer"/> trains (its own, not the runner's).</summary>
    public DenseNetwork Network { get; }

    /// <summary>The workload's rows.</summary>
    public Dataset Data { get; }

    /// <summary>The public trainer: one epoch, one thread, no regularizer, no per-epoch reports.</summary>
    public BackPropTrainer Trainer { get; }

    /// <summary>One bare epoch over all rows.</summary>
    public float BareEpoch() => Runner.RunEpoch();

    /// <summary>One public <c>Train</c> call of one epoch.</summary>
    public TrainingResult TrainOneEpoch() => Trainer.Train(Network, Data);

    /// <inheritdoc />
    public void Dispose() => Runner.Dispose();
}
