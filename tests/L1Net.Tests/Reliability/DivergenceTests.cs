using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Reliability;

/// <summary>
/// When a loss or parameter becomes non-finite, training stops, the network is restored to the parameters at the start of
/// the diverging epoch (checked bit for bit against a fresh run of one epoch fewer), a warning (event 5) is logged, and the
/// result states the epoch and step.
/// </summary>
public class DivergenceTests
{
    private const int Rows = 12;

    private static DenseNetwork Regression(int seed = 4) =>
        NetworkBuilder.Input(3).Dense(5, Activation.ReLU).Dense(1, Activation.Identity).Build(new GlorotUniformInitializer(seed));

    private static Dataset RegressionData()
    {
        var features = new float[Rows, 3];
        var targets = new float[Rows, 1];
        var random = new Random(9);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                features[r, c] = (float)((random.NextDouble() * 2) - 1);
            }

            targets[r, 0] = features[r, 0] - (2 * features[r, 2]) + 0.5f;
        }

        return Dataset.FromTargets(features, targets);
    }

    private static TrainerOptions Options(float rate, int epochs = 6, IOutputErrorRule? rule = null) => new()
    {
        Epochs = epochs,
        LearningRate = rate,
        Loss = LossFunction.SquaredError,
        Seed = 7,
        ReportInterval = 1,
        OutputErrorRule = rule,
    };

    [Fact]
    public void A_too_large_rate_stops_in_a_later_epoch_restores_that_epochs_start_and_logs_a_warning()
    {
        // Rate 3 on this problem grows slowly and overflows after a few epochs (epoch 6 here).
        DenseNetwork network = Regression();
        Dataset data = RegressionData();
        var logger = new CapturingLogger();
        var reports = new List<EpochReport>();

        TrainingResult result = new BackPropTrainer(Options(3f, 40), logger: logger).Train(network, data, new SyncProgress(reports.Add));

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.False(result.Completed);
        Assert.InRange(result.StopEpoch, 2, 40);
        Assert.InRange(result.StopStep, 1, Rows);
        Assert.Equal(result.StopEpoch - 1, result.EpochsCompleted);
        Assert.Equal((long)result.EpochsCompleted * Rows, result.Steps);
        Assert.False(result.RestoredOriginal);

        // The parameters are exactly those a run of the completed epochs ends with.
        DenseNetwork reference = Regression();
        Assert.Equal(TrainingStopReason.Completed, new BackPropTrainer(Options(3f, result.EpochsCompleted)).Train(reference, data).StopReason);

        Fixtures.AssertBitIdentical(Fixtures.Bits(reference), network);
        Assert.True(network.Parameters.ToArray().All(float.IsFinite));
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.Equal(result.EpochsCompleted, reports.Count);

        LogRecord warning = Assert.Single(logger.Records, e => e.EventId.Id == 5);
        Assert.Equal("TrainingDiverged", warning.EventId.Name);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(result.StopEpoch, warning.Values["Epoch"]);
        Assert.Equal(result.StopStep, warning.Values["Step"]);
        Assert.DoesNotContain(logger.Records, e => e.EventId.Id == 3);
    }

    [Fact]
    public void A_learning_rate_of_1e6_diverges_in_the_first_epoch_and_leaves_the_network_as_it_was()
    {
        DenseNetwork network = Regression();
        uint[] before = Fixtures.Bits(network);
        var logger = new CapturingLogger();

        TrainingResult result = new BackPropTrainer(Options(1e6f), logger: logger).Train(network, RegressionData());

        // The first steps already overflow: nothing of epoch 1 may be kept.
        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.StopEpoch);
        Assert.Equal(0, result.EpochsCompleted);
        Assert.Equal(0, result.Steps);
        Assert.InRange(result.StopStep, 1, Rows);
        Fixtures.AssertBitIdentical(before, network);
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.Single(logger.Records, e => e.EventId.Id == 5 && (int)e.Values["Step"]! == result.StopStep);
    }

    [Fact]
    public void A_regularizer_writing_NaN_mid_epoch_is_caught_at_the_next_step()
    {
        // Two layers, so two Update calls per step; NaN goes into layer 1's weights during step 5 of epoch 3.
        int failCall = (2 * ((2 * 12) + 4)) + 2;
        var poisoning = new PoisoningRegularizer(Regularizer.L1(1e-3f), failCall, float.NaN);
        DenseNetwork network = Fixtures.Network();
        Dataset data = Fixtures.Data();
        var options = new TrainerOptions { Epochs = 5, LearningRate = 0.1f, SampleOrder = SequentialSampleOrder.Instance };
        var logger = new CapturingLogger();

        TrainingResult result = new BackPropTrainer(options, poisoning, logger).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(6, result.StopStep); // the loss of step 6 is the first computed with the NaN weight
        Assert.Equal(2, result.EpochsCompleted);
        Assert.Equal(24, result.Steps);

        DenseNetwork reference = Fixtures.Network();
        // The reference takes the same (custom-regularizer) code path, never poisoning: fused and general paths may round differently.
        new BackPropTrainer(new TrainerOptions { Epochs = 2, LearningRate = 0.1f, SampleOrder = SequentialSampleOrder.Instance }, new PoisoningRegularizer(Regularizer.L1(1e-3f), -1, 0f)).Train(reference, data);
        Fixtures.AssertBitIdentical(Fixtures.Bits(reference), network);
        Assert.Single(logger.Records, e => e.EventId.Id == 5 && (int)e.Values["Epoch"]! == 3 && (int)e.Values["Step"]! == 6);
    }

    [Fact]
    public void An_infinite_hidden_weight_hidden_by_tanh_saturation_is_caught_by_the_check_after_the_epoch()
    {
        // +inf in a tanh layer's weight saturates that unit (tanh(+-inf) = +-1): every loss stays finite, so only the
        // parameter check after the epoch can see it. The per-sample engine updates the top layer first, so layer 0's
        // proximal call is the even one; poison step 5 of epoch 3.
        int failCall = (2 * ((2 * 12) + 4)) + 2;
        var poisoning = new PoisoningRegularizer(Regularizer.None, failCall, float.PositiveInfinity);
        DenseNetwork network = Fixtures.Network();
        Dataset data = Fixtures.Data();
        var options = new TrainerOptions { Epochs = 5, LearningRate = 0.1f, Seed = 3 };

        TrainingResult result = new BackPropTrainer(options, poisoning).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(12, result.StopStep);
        Assert.Equal(24, result.Steps);
        DenseNetwork reference = Fixtures.Network();
        new BackPropTrainer(new TrainerOptions { Epochs = 2, LearningRate = 0.1f, Seed = 3 }, new PoisoningRegularizer(Regularizer.None, -1, 0f)).Train(reference, data);
        Fixtures.AssertBitIdentical(Fixtures.Bits(reference), network);
    }

    [Fact]
    public void An_output_error_rule_producing_NaN_stops_training_in_that_epoch()
    {
        DenseNetwork network = Regression();
        uint[] before = Fixtures.Bits(network);
        var rule = new NaNOutputRule(failAt: 3);

        TrainingResult result = new BackPropTrainer(Options(0.01f, rule: rule)).Train(network, RegressionData());

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.StopEpoch);
        Assert.Equal(4, result.StopStep);
        Assert.Equal(0, result.Steps);
        Fixtures.AssertBitIdentical(before, network);
    }

    [Fact]
    public void Momentum_with_a_huge_rate_diverges_the_same_way()
    {
        DenseNetwork network = Regression();
        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 50, LearningRate = 10f, Momentum = 0.99f, Loss = LossFunction.SquaredError, BatchSize = 4 })
            .Train(network, RegressionData());

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.True(network.Parameters.ToArray().All(float.IsFinite));
        Assert.Equal((long)result.EpochsCompleted * 3, result.Steps);
    }

    [Fact]
    public void A_stable_run_never_reports_divergence()
    {
        DenseNetwork network = Regression();
        var logger = new CapturingLogger();
        TrainingResult result = new BackPropTrainer(Options(0.05f, 20), logger: logger).Train(network, RegressionData());

        // A completed run stops in its last epoch, after that epoch's last step.
        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(20, result.StopEpoch);
        Assert.Equal(Rows, result.StopStep);
        Assert.Equal(20L * Rows, result.Steps);
        Assert.False(result.RestoredOriginal);
        Assert.DoesNotContain(logger.Records, e => e.EventId.Id == 5);
    }

    /// <summary>Delegates to a regularizer but writes <c>value</c> into the weights on its n-th proximal call (once per layer and step).</summary>
    private sealed class PoisoningRegularizer(IRegularizer inner, int poisonCall, float value) : IRegularizer
    {
        private int _calls;

        public string Name => "Poisoning";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => inner.Penalty(weights, shape);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape) => inner.AddGradient(weights, gradient, shape);

        public RegularizerCoupling Coupling => inner.Coupling;

        public float WeightDecay => inner.WeightDecay;

        public float SignCoefficient => inner.SignCoefficient;

        public bool HasGradient => inner.HasGradient;

        public bool HasProximalStep => true;

        public void ApplyProximal(Span<float> weights, ReadOnlySpan<float> stepSizes, ParameterShape shape)
        {
            if (inner.HasProximalStep)
            {
                inner.ApplyProximal(weights, stepSizes, shape);
            }

            if (++_calls == poisonCall)
            {
                weights[0] = value;
            }
        }
    }

    private sealed class NaNOutputRule(int failAt) : IOutputErrorRule
    {
        private int _calls;

        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
        {
            for (int k = 0; k < error.Length; k++)
            {
                error[k] = ++_calls == failAt ? float.NaN : output[k] - target[k];
            }
        }
    }
}
