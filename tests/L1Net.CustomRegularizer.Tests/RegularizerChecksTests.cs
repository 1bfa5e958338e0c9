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
