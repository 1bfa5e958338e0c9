using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Training;

namespace L1Net.Seed;

/// <summary>
/// Runs <see cref="SeedRun"/>s through L1Net's public seams: <see cref="ListingParameterInitializer"/>,
/// <see cref="ListingSampleOrder"/> (sharing one <see cref="PyRandom"/>, as the listing's <c>self.rnd</c>), and for
/// <see cref="GradientRule.Listing"/> the <see cref="DiagonalSoftmaxErrorRule"/>. Nothing else of the trainer is changed.
/// </summary>
public static class SeedRunner
{
    /// <summary>Builds the listing's 10-8-4 network (tanh hidden, softmax output) with the listing's initial parameters.</summary>
    /// <param name="random">The generator to draw the 124 parameters from; it is then used for the shuffles.</param>
    /// <param name="inputCount">Inputs (the article: 10).</param>
    /// <param name="classCount">Outputs (the article: 4).</param>
    /// <returns>The network.</returns>
    public static DenseNetwork CreateNetwork(PyRandom random, int inputCount = SeedData.InputCount, int classCount = SeedData.ClassCount) =>
        NetworkBuilder.Input(inputCount)
            .Dense(SeedRun.HiddenCount, Activation.Tanh)
            .Dense(classCount, Activation.Softmax)
            .Build(new ListingParameterInitializer(random));

    /// <summary>The trainer options of a run: squared error, per-sample SGD, rate 0.01, the run's epochs (the listing: 500), the listing's order.</summary>
    /// <param name="run">The run.</param>
    /// <param name="random">The generator shared with the initializer.</param>
    /// <param name="reportInterval">Epochs between progress reports.</param>
    /// <returns>The options.</returns>
    public static TrainerOptions CreateOptions(SeedRun run, PyRandom random, int reportInterval = 100)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new TrainerOptions
        {
            Epochs = run.Epochs,
            LearningRate = SeedRun.LearningRate,
            BatchSize = 1,
            Loss = LossFunction.SquaredError,
            SampleOrder = new ListingSampleOrder(random),
            OutputErrorRule = run.Rule == GradientRule.Listing ? DiagonalSoftmaxErrorRule.Instance : null,
            ReportInterval = reportInterval,
        };
    }

    /// <summary>Trains a fresh network for <paramref name="run"/> on <paramref name="train"/> and evaluates it.</summary>
    /// <param name="run">The run.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="test">The test rows.</param>
    /// <param name="reportErrors">Whether to record the ms error every 100 epochs (costs one pass over the training rows each time).</param>
    /// <returns>The result.</returns>
    public static SeedRunResult Run(SeedRun run, Dataset train, Dataset test, bool reportErrors = true)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);

        // A fresh generator per run: the listing builds a new NeuralNetwork(seed=0) for its L1 run.
        var random = new PyRandom(run.InitSeed);
        DenseNetwork network = CreateNetwork(random, train.FeatureCount, train.TargetCount);
        var trainer = new BackPropTrainer(CreateOptions(run, random), run.Regularizer);
        var errors = new List<(int, double)>();
        IProgress<EpochReport>? progress = reportErrors
            ? new SynchronousProgress(report => errors.Add((report.Epoch, Metrics.MeanSquaredError(network, train))))
            : null;
        TrainingResult result = trainer.Train(network, train, progress);
        return new SeedRunResult(
            run,
            result.StopReason,
            Metrics.Accuracy(network, train),
            Metrics.Accuracy(network, test),
            WeightStatistics.Compute(network),
            errors,
            network.Parameters.ToArray());
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread.</summary>
    private sealed class SynchronousProgress(Action<EpochReport> handler) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => handler(value);
    }
}
