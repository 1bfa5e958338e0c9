using System.Runtime.InteropServices;
using L1Net.Tests.Reliability;
using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Training;

/// <summary>
/// A completed run's <see cref="TrainingResult.Final"/> is computed on first read from a copy of the final parameters:
/// bit for bit the report the evaluation at the end of <c>Train</c> gives (the progress callback's last report, evaluated
/// inside <c>Train</c> with the same parameters, is that evaluation), whatever happens to the network afterwards, once,
/// from any thread.
/// </summary>
public class DeferredFinalTests
{
    public static TheoryData<Activation, Activation, LossFunction, RegKind, int> Cases() => new()
    {
        { Activation.Tanh, Activation.Softmax, LossFunction.CrossEntropy, RegKind.L1, 1 },
        { Activation.Tanh, Activation.Softmax, LossFunction.CrossEntropy, RegKind.None, 16 },
        { Activation.ReLU, Activation.Sigmoid, LossFunction.CrossEntropy, RegKind.L2, 16 },
        { Activation.Sigmoid, Activation.Identity, LossFunction.SquaredError, RegKind.ElasticNet, 1 },
        { Activation.Tanh, Activation.Sigmoid, LossFunction.SquaredError, RegKind.ProximalL1, 8 },
        { Activation.ReLU, Activation.Softmax, LossFunction.SquaredError, RegKind.CumulativeL1, 1 },
        { Activation.Identity, Activation.Identity, LossFunction.SquaredError, RegKind.ProximalElasticNet, 16 },
        { Activation.ReLU, Activation.Softmax, LossFunction.CrossEntropy, RegKind.GroupLasso, 4 },
    };

    /// <summary>A 6-10(hidden)-3(output) problem: labels for softmax (one-hot targets), targets fitting the output otherwise.</summary>
    internal static (DenseNetwork Network, Dataset Data) Problem(Activation hidden, Activation output, int seed = 3, int rows = 40)
    {
        var random = new Random(seed);
        var x = new float[rows, 6];
        var t = new float[rows, 3];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < 6; i++)
            {
                x[r, i] = (float)((random.NextDouble() * 4) - 2);
            }

            labels[r] = random.Next(3);
            for (int k = 0; k < 3; k++)
            {
                t[r, k] = output switch
                {
                    Activation.Identity => (float)((random.NextDouble() * 6) - 3),
                    _ => (float)random.NextDouble(),
                };
            }
        }

        DenseNetwork network = NetworkBuilder.Input(6).Dense(10, hidden).Dense(3, output).Build(new GlorotUniformInitializer(seed));
        Dataset data = output == Activation.Softmax ? Dataset.FromLabels(x, labels, 3) : Dataset.FromTargets(x, t);
        return (network, data);
    }

    private static BackPropTrainer Trainer(LossFunction loss, RegKind reg, int batchSize, int epochs = 4, ILogger? logger = null) =>
        new(new TrainerOptions { Epochs = epochs, LearningRate = 0.05f, BatchSize = batchSize, Loss = loss, Seed = 7, ReportInterval = 1000 }, RegSpec.Of(reg, l1: 1e-3f, l2: 1e-3f).Create(), logger);

    private static void AssertBitIdentical(EpochReport expected, EpochReport actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Epochs, actual.Epochs);
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.DataLoss), BitConverter.DoubleToInt64Bits(actual.DataLoss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Penalty), BitConverter.DoubleToInt64Bits(actual.Penalty));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Accuracy), BitConverter.DoubleToInt64Bits(actual.Accuracy));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.WeightL1), BitConverter.DoubleToInt64Bits(actual.WeightL1));
        Assert.Equal(expected.ZeroWeights, actual.ZeroWeights);
    }

    private sealed class LastReport : IProgress<EpochReport>
    {
        public EpochReport? Last { get; private set; }

        public void Report(EpochReport value) => Last = value;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_deferred_Final_is_the_eager_evaluation_bit_for_bit(Activation hidden, Activation output, LossFunction loss, RegKind reg, int batchSize)
    {
        (DenseNetwork deferredNet, Dataset data) = Problem(hidden, output);
        (DenseNetwork eagerNet, _) = Problem(hidden, output);
        var progress = new LastReport();

        TrainingResult deferred = Trainer(loss, reg, batchSize).Train(deferredNet, data);
        TrainingResult eager = Trainer(loss, reg, batchSize).Train(eagerNet, data, progress);

        Assert.Equal(TrainingStopReason.Completed, deferred.StopReason);
        Assert.Equal(Fixtures.Bits(eagerNet), Fixtures.Bits(deferredNet));
        Assert.False(deferred.FinalEvaluated, "a completed run proven finite must not evaluate inside Train");
        Assert.True(eager.FinalEvaluated, "the last progress report must be reused, not evaluated again");

        EpochReport evaluatedInTrain = Assert.NotNull(progress.Last);
        AssertBitIdentical(evaluatedInTrain, eager.Final);
        AssertBitIdentical(evaluatedInTrain, deferred.Final);
        Assert.True(deferred.FinalEvaluated);
        AssertBitIdentical(evaluatedInTrain, deferred.Final); // cached: the same value again
    }

    [Fact]
    public void The_deferred_Final_matches_an_independent_evaluation_of_the_returned_network()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.Tanh, Activation.Softmax);
        TrainingResult result = Trainer(LossFunction.CrossEntropy, RegKind.L1, 16).Train(network, data);

        Assert.Equal(Metrics.CrossEntropy(network, data), result.Final.DataLoss, 6);
        Assert.Equal(Metrics.Accuracy(network, data), result.Final.Accuracy, 12);
        double l1 = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (float w in network.GetWeights(l))
            {
                l1 += Math.Abs(w);
            }
        }

        Assert.Equal(l1, result.Final.WeightL1, 3);
        Assert.Equal(1e-3 * l1, result.Final.Penalty, 6);
    }

    [Fact]
    public void Final_describes_the_state_Train_returned_even_after_the_network_changes()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.ReLU, Activation.Softmax);
        (DenseNetwork twin, _) = Problem(Activation.ReLU, Activation.Softmax);
        var progress = new LastReport();
        TrainingResult result = Trainer(LossFunction.CrossEntropy, RegKind.ElasticNet, 8).Train(network, data);
        Trainer(LossFunction.CrossEntropy, RegKind.ElasticNet, 8).Train(twin, data, progress);
        Assert.False(result.FinalEvaluated);

        // Change the network every way a caller can: train it further, then overwrite its parameters.
        Trainer(LossFunction.CrossEntropy, RegKind.None, 1, epochs: 3).Train(network, data);
        network.Parameters.Fill(1e30f);

        AssertBitIdentical(progress.Last!.Value, result.Final);
    }

    [Fact]
    public void The_first_read_of_Final_is_thread_safe_and_gives_every_reader_the_same_report()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.Tanh, Activation.Softmax, rows: 2000);
        (DenseNetwork twin, _) = Problem(Activation.Tanh, Activation.Softmax, rows: 2000);
        var progress = new LastReport();
        TrainingResult result = Trainer(LossFunction.CrossEntropy, RegKind.L1, 16, epochs: 1).Train(network, data);
        Trainer(LossFunction.CrossEntropy, RegKind.L1, 16, epochs: 1).Train(twin, data, progress);
        Assert.False(result.FinalEvaluated);

        const int readers = 8;
        var reports = new EpochReport[readers];
        using var start = new Barrier(readers);
        Parallel.For(0, readers, new ParallelOptions { MaxDegreeOfParallelism = readers }, i =>
        {
            start.SignalAndWait();
            reports[i] = result.Final;
        });

        foreach (EpochReport report in reports)
        {
            AssertBitIdentical(progress.Last!.Value, report);
        }
    }

    [Fact]
    public void A_logger_at_Information_makes_the_last_epoch_report_the_Final_and_the_completion_event_quotes_it()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.Tanh, Activation.Softmax);
        var logger = new CapturingLogger(LogLevel.Information);

        TrainingResult result = Trainer(LossFunction.CrossEntropy, RegKind.L1, 16, logger: logger).Train(network, data);

        Assert.True(result.FinalEvaluated);
        LogRecord last = Assert.Single(logger.Records, r => r.EventId.Id == 2); // ReportInterval 1000: only the last epoch
        Assert.Equal(4, last.Get<int>("Epoch"));
        Assert.Equal(result.Final.Loss, last.Get<double>("Loss"));
        Assert.Equal(result.Final.DataLoss, last.Get<double>("DataLoss"));
        LogRecord completed = Assert.Single(logger.Records, r => r.EventId.Id == 3);
        Assert.Equal(result.Final.Loss, completed.Get<double>("Loss"));
    }

    [Fact]
    public void A_logger_at_Warning_only_leaves_Final_deferred()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.Tanh, Activation.Softmax);
        var logger = new CapturingLogger(LogLevel.Warning);

        TrainingResult result = Trainer(LossFunction.CrossEntropy, RegKind.L1, 16, logger: logger).Train(network, data);

        Assert.False(result.FinalEvaluated);
        Assert.DoesNotContain(logger.Records, r => r.EventId.Id == 3);
        Assert.True(double.IsFinite(result.Final.Loss));
    }

    [Fact]
    public void Early_stopping_that_restores_an_earlier_epoch_defers_Final_for_the_restored_parameters()
    {
        (DenseNetwork network, Dataset data) = Problem(Activation.Tanh, Activation.Softmax, rows: 60);
        Dataset validation = Problem(Activation.Tanh, Activation.Softmax, seed: 9, rows: 30).Data;
        var options = new TrainerOptions
        {
            Epochs = 6,
            LearningRate = 0.05f,
            BatchSize = 8,
            Loss = LossFunction.CrossEntropy,
            Seed = 7,
            EarlyStopping = new EarlyStoppingOptions { Validation = validation, Patience = 100 },
        };

        TrainingResult result = new BackPropTrainer(options).Train(network, data);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.True(result.BestEpoch > 0);
        uint[] returned = Fixtures.Bits(network);
        network.Parameters.Clear();
        Assert.Equal(result.BestEpoch * 8L, result.Steps);
        MemoryMarshal.Cast<uint, float>(returned).CopyTo(network.Parameters);
        Assert.Equal(Metrics.CrossEntropy(network, data), result.Final.DataLoss, 6);
    }

    [Fact]
    public void A_completed_run_whose_final_weights_overflow_the_forward_pass_is_rolled_back_as_diverged()
    {
        // One step of rate 1e25 on the whole data set: its loss (with the initial weights) is finite and the weights stay
        // finite, but about 1e23 in both layers, so the second layer's pre-activations (beyond 1e40) overflow and the final
        // loss is NaN. The bound cannot prove that run finite; the evaluation finds the NaN and the run is rolled back.
        (DenseNetwork network, Dataset data) = Problem(Activation.ReLU, Activation.Softmax, rows: 40);
        uint[] original = Fixtures.Bits(network);
        var logger = new CapturingLogger();
        var options = new TrainerOptions { Epochs = 1, LearningRate = 1e25f, BatchSize = 40, Loss = LossFunction.CrossEntropy, Seed = 1 };

        // The step itself leaves finite weights (so neither the step's loss nor the scan of the parameters catches it: only
        // the check of the completed run can): w - rate * gradient stays far below float.MaxValue.
        var gradient = new float[network.ParameterCount];
        new BackPropTrainer(options).ComputeGradient(network, data, gradient);
        double largest = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(network.Parameters[i] - (1e25 * gradient[i])));
        }

        Assert.InRange(largest, 1e21, 1e36);

        TrainingResult result = new BackPropTrainer(options, logger: logger).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.StopEpoch);
        Assert.Equal(1, result.StopStep); // the checks after the epoch's last (here only) step
        Assert.True(result.RestoredOriginal);
        Fixtures.AssertBitIdentical(original, network);
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.Single(logger.Records, r => r.EventId.Id == 5);
        Assert.DoesNotContain(logger.Records, r => r.EventId.Id == 3);
    }
}
