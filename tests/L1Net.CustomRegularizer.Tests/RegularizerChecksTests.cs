namespace L1Net.CustomRegularizer.Tests;

/// <summary>The sample's checks pass for the guide's regularizers and fail for broken ones.</summary>
public class RegularizerChecksTests
{
    private static readonly ParameterShape Shape = ParameterShape.ForWeights(0, inputs: 13, outputs: 8);

    [Fact]
    public void Gradient_check_passes_for_correct_gradients_and_fails_for_a_wrong_one()
    {
        float[] w = Reference.Values(Shape.Length, seed: 70);
        Assert.True(RegularizerChecks.GradientError(new SmoothL1(0.002f, 0.01f), w, Shape, 1e-4f) < 1e-4);
        Assert.True(RegularizerChecks.GradientError(new FanInGroupPenalty(0.01f, 0.01f), w, Shape, 1e-4f) < 1e-4);

        // 10 % too much gradient, or a declared part that the penalty does not have.
        Assert.True(RegularizerChecks.GradientError(new Scaled(new SmoothL1(0.002f, 0.01f), 1.1f), w, Shape, 1e-4f) > 0.05);
        Assert.True(RegularizerChecks.GradientError(new Scaled(new SmoothL1(0.002f, 0.01f), 1f, weightDecay: 0.01f), w, Shape, 1e-4f) > 0.05);
    }

    [Fact]
    public void Proximal_check_passes_for_the_soft_threshold_and_fails_when_the_step_size_is_ignored()
    {
        float[] w = Reference.Values(Shape.Length, seed: 71);
        var random = new Random(72);
        float[] perValue = [.. w.Select(_ => (float)(0.001 + (0.05 * random.NextDouble())))];
        var proximal = new LayerwiseProximalL1([0.5f, 0.1f]);
        Assert.True(RegularizerChecks.ProximalError(proximal, w, [0.02f], Shape, 1e-3f) <= 1e-12);
        Assert.True(RegularizerChecks.ProximalError(proximal, w, perValue, Shape, 1e-3f) <= 1e-12);

        Assert.True(RegularizerChecks.ProximalError(new IgnoresStepSizes(0.5f), w, perValue, Shape, 1e-3f) > 1e-6);
    }

    [Theory]
    [InlineData(1e-3f)]
    [InlineData(0.1f)]
    public void Proximal_check_fails_for_a_per_value_soft_threshold_of_a_group_norm_that_moving_one_value_cannot_expose(float move)
    {
        // R(u) = ||u||, w = (0.8, 0.8), lambda = eta = 1. The per-value soft threshold returns (0, 0), where F = 0.64 and no
        // move of a single value lowers F; the true operator (the block soft threshold) gives F = ||w|| - 1/2 = 0.631.
        ParameterShape shape = ParameterShape.ForWeights(0, inputs: 2, outputs: 1);
        float[] w = [0.8f, 0.8f];
        float[] u = (float[])w.Clone();
        new GroupNorm(1f, perValue: true).ApplyProximal(u, [1f], shape);
        Assert.Equal([0f, 0f], u);
        float[] right = (float[])w.Clone();
        new GroupNorm(1f, perValue: false).ApplyProximal(right, [1f], shape);
        Assert.Equal(Math.Sqrt(2d * 0.8f * 0.8f) - 0.5, GroupNorm.Objective(right, w, 1f, 1f, shape), 1e-6);
        Assert.Equal((double)0.8f * 0.8f, GroupNorm.Objective(u, w, 1f, 1f, shape), 1e-12);

        Assert.True(RegularizerChecks.ProximalError(new GroupNorm(1f, perValue: true), w, [1f], shape, move) > 1e-4);
        Assert.True(RegularizerChecks.ProximalError(new GroupNorm(1f, perValue: false), w, [1f], shape, move) <= 1e-12);
    }

    [Fact]
    public void Proximal_check_passes_for_the_block_soft_threshold_of_a_group_norm_per_row_and_fails_for_a_per_value_one()
    {
        // One group per row (a unit's fan-in). Every value is below the threshold lambda * eta = 0.02, so the per-value soft
        // threshold clears them all, but every row's norm is above it, so the true operator keeps every row, shrunk.
        var random = new Random(73);
        float[] w = [.. Enumerable.Range(0, Shape.Length).Select(_ => (float)((random.Next(2) == 0 ? -0.02 : 0.02) * (0.3 + (0.65 * random.NextDouble()))))];
        var wrong = new GroupNorm(1f, perValue: true);
        var right = new GroupNorm(1f, perValue: false);
        float[] cleared = (float[])w.Clone();
        wrong.ApplyProximal(cleared, [0.02f], Shape);
        Assert.All(cleared, v => Assert.Equal(0f, v));

        foreach (float move in new[] { 1e-3f, 1e-2f })
        {
            Assert.True(RegularizerChecks.ProximalError(right, w, [0.02f], Shape, move) <= 1e-12);
            Assert.True(RegularizerChecks.ProximalError(wrong, w, [0.02f], Shape, move) > 1e-4);
        }
    }

    [Fact]
    public void Trainer_gradient_check_passes_for_the_penalty_and_fails_for_a_wrong_gradient()
    {
        DenseNetwork network = NetworkBuilder.Input(6).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        Dataset data = Reference.RandomData(12, 6, 3, seed: 5);
        var options = new TrainerOptions { RegularizeBiases = true };
        var right = new BackPropTrainer(options, new FanInGroupPenalty(0.05f, 0.01f));
        var wrong = new BackPropTrainer(options, new Scaled(new FanInGroupPenalty(0.05f, 0.01f), 1.5f));

        Assert.True(RegularizerChecks.TrainerGradientError(right, network, data, 1e-3f) < 1e-3);
        Assert.True(RegularizerChecks.TrainerGradientError(wrong, network, data, 1e-3f) > 2e-2);
    }

    /// <summary>A regularizer whose AddGradient adds <c>factor</c> times the inner one's, optionally declaring a weight decay it does not have.</summary>
    private sealed class Scaled(IRegularizer inner, float factor, float weightDecay = 0f) : IRegularizer
    {
        public string Name => inner.Name;

        public float WeightDecay => weightDecay;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            var own = new float[values.Length];
            inner.AddGradient(values, own, shape);
            for (int k = 0; k < own.Length; k++)
            {
                gradient[k] += factor * own[k];
            }
        }
    }

    /// <summary>
    /// A group norm, <c>R(W) = lambda * sum_o ||W[o, :]||</c> (one group per row), with one step size. Its proximal operator
    /// is the block soft threshold <c>W[o, :] * max(1 - lambda eta / ||W[o, :]||, 0)</c>; with <c>perValue</c> it applies
    /// the (wrong) per-value soft threshold instead.
    /// </summary>
    private sealed class GroupNorm(float lambda, bool perValue) : IRegularizer
    {
        public string Name => perValue ? "GroupNorm (per-value soft threshold)" : "GroupNorm";

        public bool HasProximalStep => true;

        public bool HasGradient => false;

        /// <summary><c>R(u) + sum (u - w)^2 / (2 eta)</c>, in double.</summary>
        public static double Objective(float[] u, float[] w, float lambda, float eta, ParameterShape shape) =>
            new GroupNorm(lambda, false).Penalty(u, shape) + u.Zip(w, (a, b) => ((double)a - b) * ((double)a - b) / (2d * eta)).Sum();

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            for (int row = 0; row < shape.RowCount; row++)
            {
                double squares = 0;
                foreach (float v in values.Slice(row * shape.Columns, shape.Columns))
                {
                    squares += (double)v * v;
                }

                sum += Math.Sqrt(squares);
            }

            return lambda * sum;
        }

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }

        public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
        {
            double threshold = lambda * (double)stepSizes[0];
            for (int row = 0; row < shape.RowCount; row++)
            {
                Span<float> group = values.Slice(row * shape.Columns, shape.Columns);
                double squares = 0;
                foreach (float v in group)
                {
                    squares += (double)v * v;
                }

                double scale = Math.Max(1d - (threshold / Math.Sqrt(squares)), 0d);
                for (int k = 0; k < group.Length; k++)
                {
                    group[k] = perValue
                        ? (float)(Math.Sign(group[k]) * Math.Max(Math.Abs((double)group[k]) - threshold, 0d))
                        : (float)(group[k] * scale);
                }
            }
        }
    }

    /// <summary>A wrong proximal L1: thresholds by lambda times the first step size, whatever the others.</summary>
    private sealed class IgnoresStepSizes(float lambda) : IRegularizer
    {
        public string Name => "IgnoresStepSizes";

        public bool HasProximalStep => true;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => lambda * values.ToArray().Sum(v => Math.Abs((double)v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }

        public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
        {
            float threshold = lambda * stepSizes[0];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = MathF.Abs(values[k]) <= threshold ? 0f : values[k] - MathF.CopySign(threshold, values[k]);
            }
        }
    }
}
