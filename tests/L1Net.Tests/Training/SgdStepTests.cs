using L1Net.Tests.Support;

namespace L1Net.Tests.Training;

/// <summary>
/// The trainer's steps are exactly <c>w -= rate * dJ/dw</c> with the gradient of <see cref="BackPropTrainer.ComputeGradient"/>
/// (itself checked against finite differences in <see cref="GradientCheckTests"/>).
/// </summary>
public class SgdStepTests
{
    private const float Rate = 0.1f;

    /// <summary>
    /// Float tolerance of one step: the trainer and this test round differently (fused multiply-add, the order of the
    /// regularizer term), a few 1e-8 on parameters of magnitude &lt;= 1. A wrong step (regularizer missing or applied twice,
    /// batch mean wrong) is off by rate * lambda = 3e-3 or more.
    /// </summary>
    private const double StepTolerance = 1e-6;

    public static TheoryData<RegKind, float, bool> StepCases()
    {
        var data = new TheoryData<RegKind, float, bool>();
        // The proximal regularizers' step is not w -= rate * gradient (their L1 part is a proximal step after it); their
        // tests check that step against its formula.
        foreach (RegKind reg in Enum.GetValues<RegKind>().Where(r => !RegSpec.Of(r).IsProximal))
        {
            foreach (float momentum in new[] { 0f, 0.9f })
            {
                data.Add(reg, momentum, false);
                data.Add(reg, momentum, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StepCases))]
    public void One_full_batch_step_moves_parameters_by_minus_rate_times_the_gradient(RegKind reg, float momentum, bool regularizeBiases)
    {
        (DenseNetwork network, Dataset data) = Problem(reg);
        var trainer = new BackPropTrainer(Options(data.Count, 1, momentum, regularizeBiases), RegSpec.Of(reg).Create());
        float[] w0 = network.Parameters.ToArray();
        var g = new float[network.ParameterCount];
        trainer.ComputeGradient(network, data, g);

        TrainingResult result = trainer.Train(network, data);

        Assert.True(result.Completed);
        Assert.Equal(1, result.Steps);
        AssertClose(Expected(w0, g), network.Parameters);
    }

    [Theory]
    [InlineData(RegKind.None)]
    [InlineData(RegKind.L1)]
    [InlineData(RegKind.L2)]
    [InlineData(RegKind.ElasticNet)]
    public void Second_momentum_step_uses_the_velocity_mu_g1_plus_g2(RegKind reg)
    {
        const float mu = 0.9f;
        (DenseNetwork network, Dataset data) = Problem(reg);
        IRegularizer regularizer = RegSpec.Of(reg).Create();
        var gradientOnly = new BackPropTrainer(Options(data.Count, 1, 0f, false), regularizer);
        float[] w0 = network.Parameters.ToArray();
        var g1 = new float[w0.Length];
        gradientOnly.ComputeGradient(network, data, g1);
        float[] w1 = Expected(w0, g1);
        DenseNetwork atW1 = network.Clone();
        w1.CopyTo(atW1.Parameters);
        var g2 = new float[w0.Length];
        gradientOnly.ComputeGradient(atW1, data, g2);
        var velocity = new float[w0.Length];
        for (int i = 0; i < velocity.Length; i++)
        {
            velocity[i] = (mu * g1[i]) + g2[i];
        }

        new BackPropTrainer(Options(data.Count, 2, mu, false), regularizer).Train(network, data);

        AssertClose(Expected(w1, velocity), network.Parameters, 4 * StepTolerance);
    }

    [Theory]
    [InlineData(RegKind.None, 1)]
    [InlineData(RegKind.L1, 1)]
    [InlineData(RegKind.ElasticNet, 1)]
    [InlineData(RegKind.L1, 3)]
    [InlineData(RegKind.L2, 3)]
    [InlineData(RegKind.ElasticNet, 4)]
    public void Sequential_steps_use_the_mean_gradient_of_each_batch_including_a_short_last_one(RegKind reg, int batchSize)
    {
        // 7 rows: batch 1 makes 7 per-sample steps, batch 3 makes 3 + 3 + 1, batch 4 makes 4 + 3. Each step must be
        // -rate * (mean data gradient over its own rows + regularizer gradient), the regularizer once per step.
        (DenseNetwork network, Dataset data) = Problem(reg);
        Assert.Equal(7, data.Count);
        IRegularizer regularizer = RegSpec.Of(reg).Create();
        var gradientOnly = new BackPropTrainer(Options(1, 1, 0f, false), regularizer);
        DenseNetwork expected = network.Clone();
        var g = new float[network.ParameterCount];
        for (int first = 0; first < data.Count; first += batchSize)
        {
            int[] rows = Enumerable.Range(first, Math.Min(batchSize, data.Count - first)).ToArray();
            gradientOnly.ComputeGradient(expected, data.Subset(rows), g);
            Expected(expected.Parameters.ToArray(), g).CopyTo(expected.Parameters);
        }

        TrainingResult result = new BackPropTrainer(Options(batchSize, 1, 0f, false), regularizer).Train(network, data);

        Assert.Equal((data.Count + batchSize - 1) / batchSize, result.Steps);
        AssertClose(expected.Parameters.ToArray(), network.Parameters, 8 * StepTolerance);
    }

    [Fact]
    public void A_step_with_a_wrong_rate_is_detected_by_this_tolerance()
    {
        // Guards the tolerance itself: a step 1% too long must fail the comparison above.
        (DenseNetwork network, Dataset data) = Problem(RegKind.None);
        var trainer = new BackPropTrainer(Options(data.Count, 1, 0f, false));
        float[] w0 = network.Parameters.ToArray();
        var g = new float[w0.Length];
        trainer.ComputeGradient(network, data, g);
        new BackPropTrainer(new TrainerOptions { Epochs = 1, LearningRate = Rate * 1.01f, BatchSize = data.Count, SampleOrder = SequentialSampleOrder.Instance, Loss = LossFunction.CrossEntropy }).Train(network, data);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertClose(Expected(w0, g), network.Parameters));
    }

    private static (DenseNetwork, Dataset) Problem(RegKind reg)
    {
        (DenseNetwork network, _) = RandomProblems.Create(LossFunction.CrossEntropy, Activation.Softmax, [Activation.Tanh], 5000 + (int)reg);
        return (network, RandomProblems.Classification(5100 + (int)reg, 7, network.InputSize, network.OutputSize));
    }

    private static TrainerOptions Options(int batchSize, int epochs, float momentum, bool regularizeBiases) => new()
    {
        Epochs = epochs,
        LearningRate = Rate,
        BatchSize = batchSize,
        Momentum = momentum,
        Loss = LossFunction.CrossEntropy,
        SampleOrder = SequentialSampleOrder.Instance,
        RegularizeBiases = regularizeBiases,
    };

    private static float[] Expected(float[] w, float[] g)
    {
        var result = new float[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            result[i] = (float)(w[i] - ((double)Rate * g[i]));
        }

        return result;
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, double tolerance = StepTolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"Parameter {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance}).");
            }
        }
    }
}
