using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Reliability;

/// <summary>
/// Whatever way training ends (completed, cancelled, diverged, early-stopped), the network it leaves is finite, has a finite
/// loss on the training data unless the caller's own network did not, and the result counts exactly the steps it holds.
/// </summary>
public class TrainingOutcomeTests
{
    /// <summary>The repro of a cancelled run with infinite weights: 1 feature in [500, 1500], 1-16 sigmoid-3 softmax, rate 1e30.</summary>
    private static (DenseNetwork Network, Dataset Data) Saturating(int rows)
    {
        var random = new Random(3);
        var features = new float[rows];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            features[r] = 500f + (float)(random.NextDouble() * 1000);
            labels[r] = (int)((features[r] - 500f) / 334f);
        }

        DenseNetwork network = NetworkBuilder.Input(1).Dense(16, Activation.Sigmoid).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(5));
        return (network, Dataset.FromLabels(features, featureCount: 1, labels, classCount: 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(150)]
    [InlineData(700)]
    public void A_run_cancelled_while_weights_overflow_returns_a_finite_network(int cancelAfter)
    {
        (DenseNetwork network, Dataset data) = Saturating(2000);
        uint[] original = Fixtures.Bits(network);
        using var cts = new CancellationTokenSource();
        var options = new TrainerOptions { Epochs = 3, LearningRate = 1e30f, BatchSize = 1, Loss = LossFunction.CrossEntropy, Seed = 1, OutputErrorRule = new CancellingRule(cancelAfter, cts) };

        TrainingResult result = new BackPropTrainer(options).Train(network, data, cancellationToken: cts.Token);

        // Weights overflow to infinity within a few steps while the steps' losses stay finite (saturated sigmoids); the
        // cancelled path used to return before the finiteness scan at the end of the epoch.
        Assert.True(network.Parameters.ToArray().All(float.IsFinite), $"{result.StopReason} after {result.Steps} steps left a non-finite parameter");
        Assert.True(double.IsFinite(result.Final.Loss));
        if (result.StopReason == TrainingStopReason.Cancelled)
        {
            Assert.Equal(cancelAfter, result.Steps);
        }
        else
        {
            // Reported as the divergence it is, rolled back to the start of the epoch (here: the caller's network).
            Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
            Assert.Equal(cancelAfter, result.StopStep);
            Assert.Equal(0, result.Steps);
            Assert.True(result.RestoredOriginal);
            Fixtures.AssertBitIdentical(original, network);
        }
    }

    /// <summary>The repro of an unusable rollback: 256 rows of 3 Gaussian blobs in 8 features (std 1.5), 8-16 ReLU-3 softmax.</summary>
    internal static (DenseNetwork Network, Dataset Data) Blobs(int seed)
    {
        var random = new Random(seed);
        const int rows = 256, features = 8;
        var centers = new double[3, features];
        for (int c = 0; c < 3; c++)
        {
            for (int f = 0; f < features; f++)
            {
                centers[c, f] = (random.NextDouble() * 20) - 10;
            }
        }

        var x = new float[rows * features];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % 3;
            for (int f = 0; f < features; f++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                x[(r * features) + f] = (float)(centers[labels[r], f] + (1.5 * gaussian));
            }
        }

        DenseNetwork network = NetworkBuilder.Input(features).Dense(16, Activation.ReLU).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed));
        return (network, Dataset.FromLabels(x, features, labels, classCount: 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(47)]
    public void A_rollback_whose_state_predicts_NaN_restores_the_callers_network_and_says_so(int seed)
    {
        // Rate 10 with momentum 0.9: after an epoch the weights are finite but about 1e21, so some rows predict NaN. The
        // start of the diverging epoch used to be returned as it was.
        (DenseNetwork network, Dataset data) = Blobs(seed);
        uint[] original = Fixtures.Bits(network);
        var logger = new CapturingLogger();
        var options = new TrainerOptions { Epochs = 5, LearningRate = 10f, BatchSize = 1, Momentum = 0.9f, Loss = LossFunction.CrossEntropy, Seed = seed };

        TrainingResult result = new BackPropTrainer(options, logger: logger).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.True(result.StopEpoch > 1, $"stopped in epoch {result.StopEpoch}");
        Assert.True(result.RestoredOriginal);
        Assert.Equal(0, result.Steps);
        Assert.Equal(0, result.EpochsCompleted);
        Fixtures.AssertBitIdentical(original, network);
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.Equal(Metrics.CrossEntropy(network, data), result.Final.DataLoss, 6);

        LogRecord unusable = Assert.Single(logger.Records, e => e.EventId.Id == 6);
        Assert.Equal("DivergedStateUnusable", unusable.EventId.Name);
        Assert.Equal(LogLevel.Warning, unusable.Level);
        Assert.Equal(result.StopEpoch, unusable.Values["Epoch"]);
        Assert.Single(logger.Records, e => e.EventId.Id == 5);

        // The network returned is usable: it predicts finite values for every row and trains at a sane rate.
        var output = new float[3];
        for (int r = 0; r < data.Count; r++)
        {
            network.Predict(data.GetFeatures(r), output);
            Assert.True(output.All(float.IsFinite), $"row {r} predicts a non-finite value");
        }

        options = new TrainerOptions { Epochs = 1, LearningRate = 0.01f, BatchSize = 1, Loss = LossFunction.CrossEntropy, Seed = seed };
        Assert.Equal(TrainingStopReason.Completed, new BackPropTrainer(options).Train(network, data).StopReason);
    }

    [Fact]
    public void A_completed_run_stops_in_its_last_epoch_after_its_last_step()
    {
        (DenseNetwork network, Dataset data) = Blobs(1);
        var options = new TrainerOptions { Epochs = 3, LearningRate = 0.01f, BatchSize = 10, Loss = LossFunction.CrossEntropy, Seed = 1 };

        TrainingResult result = new BackPropTrainer(options).Train(network, data);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(26, result.StopStep); // 256 rows in batches of 10
        Assert.Equal(3 * 26, result.Steps);
        Assert.Equal(3, result.EpochsCompleted);
        Assert.False(result.RestoredOriginal);
    }

    /// <summary>The true output error of cross-entropy with softmax (o - t); cancels the token on its <c>n</c>-th sample.</summary>
    private sealed class CancellingRule(int n, CancellationTokenSource cts) : IOutputErrorRule
    {
        private int _calls;

        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
        {
            for (int k = 0; k < output.Length; k++)
            {
                error[k] = output[k] - target[k];
            }

            if (++_calls == n)
            {
                cts.Cancel();
            }
        }
    }
}
