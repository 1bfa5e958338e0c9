using L1Net.Tests.Support;

namespace L1Net.Tests.Regularization;

/// <summary>
/// What one step of each regularizer does when the data gradient is zero, through <see cref="IRegularizer.Update"/> and
/// through the trainer. The step's factors are the float values the convention gives: <c>shrink = rate * l1</c> and
/// <c>decay = 1 - rate * l2</c>; each new weight must be the correctly rounded <c>w * decay - sign(w) * shrink</c> (1 ulp).
/// </summary>
public class RegularizerStepTests
{
    private const float Rate = 0.1f;
    private const float Lambda = 0.05f;

    public static TheoryData<int> Lengths() => Floats.LengthData();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L1_step_with_zero_data_gradient_shrinks_every_nonzero_weight_by_rate_times_lambda(int n)
    {
        float shrink = Rate * Lambda;
        float[] before = Floats.StepWeights(n, shrink, seed: n);
        float[] w = (float[])before.Clone();

        Regularizer.L1(Lambda).Update(w, new float[n], Rate);

        AssertL1Step(before, w, shrink, "L1.Update");
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0f, true)]
    [InlineData(0.5f, false)]
    [InlineData(0.5f, true)]
    public void L1_step_with_zero_data_gradient_shrinks_every_nonzero_weight_by_rate_times_lambda_in_the_trainer(float momentum, bool regularizeBiases)
    {
        (DenseNetwork network, float[] before) = TrainOneZeroGradientStep(Regularizer.L1(Lambda), momentum, regularizeBiases);

        AssertLayers(network, before, regularizeBiases, (b, a, what) => AssertL1Step(b, a, Rate * Lambda, what));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L2_step_with_zero_data_gradient_scales_every_weight_by_one_minus_rate_times_lambda(int n)
    {
        float decay = 1f - (Rate * Lambda);
        float[] before = Floats.StepWeights(n, 0.01f, seed: 100 + n);
        float[] w = (float[])before.Clone();

        Regularizer.L2(Lambda).Update(w, new float[n], Rate);

        AssertElasticNetStep(before, w, decay, 0f, 1, "L2.Update");
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0f, true)]
    [InlineData(0.5f, false)]
    [InlineData(0.5f, true)]
    public void L2_step_with_zero_data_gradient_scales_every_weight_by_one_minus_rate_times_lambda_in_the_trainer(float momentum, bool regularizeBiases)
    {
        (DenseNetwork network, float[] before) = TrainOneZeroGradientStep(Regularizer.L2(Lambda), momentum, regularizeBiases);

        // The momentum path forms v = l2 * w and then w - rate * v without fusing: up to 2 ulp.
        AssertLayers(network, before, regularizeBiases, (b, a, what) => AssertElasticNetStep(b, a, 1f - (Rate * Lambda), 0f, 2, what));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElasticNet_step_with_zero_data_gradient_decays_then_shrinks_every_nonzero_weight(int n)
    {
        const float l1 = 0.05f, l2 = 0.4f;
        float decay = 1f - (Rate * l2), shrink = Rate * l1;
        float[] before = Floats.StepWeights(n, shrink, seed: 200 + n);
        float[] w = (float[])before.Clone();

        Regularizer.ElasticNet(l1, l2).Update(w, new float[n], Rate);

        // Plain SGD applies the declared weight decay as w (1 - rate l2) - rate (l1 sign w): one rounding, as 0.1.
        AssertElasticNetStep(before, w, decay, shrink, 1, "ElasticNet.Update");
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0f, true)]
    [InlineData(0.5f, false)]
    [InlineData(0.5f, true)]
    public void ElasticNet_step_with_zero_data_gradient_decays_then_shrinks_every_nonzero_weight_in_the_trainer(float momentum, bool regularizeBiases)
    {
        const float l1 = 0.05f, l2 = 0.4f;
        (DenseNetwork network, float[] before) = TrainOneZeroGradientStep(Regularizer.ElasticNet(l1, l2), momentum, regularizeBiases);

        // Without momentum the step is w (1 - rate l2) - rate l1 sign(w) in one rounding (IRegularizer.WeightDecay under
        // plain SGD, 0.1's arithmetic). With momentum, v = l2 * w + l1 * sign(w) and w - rate * v are rounded separately;
        // near w ~ shrink the result cancels, so the error is a few ulp of the terms (|w| and the step), not of the small result.
        AssertLayers(network, before, regularizeBiases, (b, a, what) => AssertElasticNetStep(b, a, 1f - (Rate * l2), Rate * l1, momentum == 0f ? 1 : 4, what));
    }

    [Fact]
    public void No_regularizer_with_zero_data_gradient_changes_nothing_in_the_trainer()
    {
        (DenseNetwork network, float[] before) = TrainOneZeroGradientStep(Regularizer.None, 0f, true);

        // Equal as numbers (a -0 may come back as +0 after adding a zero step).
        Assert.Equal(before, network.Parameters.ToArray());
    }

    /// <summary>The L1 step, weight by weight: zeros stay zero; every other weight moves towards zero by exactly the step.</summary>
    private static void AssertL1Step(ReadOnlySpan<float> before, ReadOnlySpan<float> after, float shrink, string what)
    {
        AssertElasticNetStep(before, after, 1f, shrink, 1, what);
        for (int i = 0; i < before.Length; i++)
        {
            float w0 = before[i], w1 = after[i];
            if (w0 == 0f)
            {
                continue;
            }

            // |w| shrinks by rate * lambda: ||w0| - |w1|| = shrink while |w0| >= shrink ...
            if (MathF.Abs(w0) >= shrink)
            {
                Assert.True(MathF.Sign(w1) != -MathF.Sign(w0), $"{what}: weight {i} = {w0:R} crossed zero to {w1:R}.");
                Floats.AssertWithinUlps(MathF.Abs(w0) - (double)shrink, MathF.Abs(w1), 1, $"{what}: |w| of weight {i}", scale: w0);
            }
            else
            {
                // ... and a weight smaller than the step may cross zero, but never by more than the step.
                Assert.True(MathF.Abs(w1) <= shrink, $"{what}: weight {i} = {w0:R} went to {w1:R}, past zero by more than the step {shrink:R}.");
            }
        }
    }

    private static void AssertElasticNetStep(ReadOnlySpan<float> before, ReadOnlySpan<float> after, float decay, float shrink, double ulps, string what)
    {
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            float w0 = before[i];
            if (w0 == 0f)
            {
                Assert.True(after[i] == 0f, $"{what}: weight {i} was 0 and became {after[i]:R}.");
                continue;
            }

            double expected = ((double)w0 * decay) - (Math.Sign(w0) * (double)shrink);
            Floats.AssertWithinUlps(expected, after[i], ulps, $"{what}: weight {i} = {w0:R}", scale: Math.Max(MathF.Abs(w0), shrink));
        }
    }

    private static void AssertLayers(DenseNetwork network, float[] before, bool regularizeBiases, Action<float[], float[], string> assertStep)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            assertStep(before.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), network.GetWeights(l).ToArray(), $"layer {l} weights");
            float[] b0 = before.AsSpan(layer.BiasOffset, layer.OutputSize).ToArray();
            if (regularizeBiases)
            {
                assertStep(b0, network.GetBiases(l).ToArray(), $"layer {l} biases");
            }
            else
            {
                Floats.AssertBitwiseEqual(b0, network.GetBiases(l), $"layer {l} biases (not regularized)");
            }
        }
    }

    /// <summary>
    /// A 20-17-9 network (weight spans of 340 and 153: vector bodies and tails) whose parameters include zeros and
    /// values below, at and above the step, trained for one step with an output rule that zeroes the data gradient.
    /// </summary>
    private static (DenseNetwork Network, float[] Before) TrainOneZeroGradientStep(IRegularizer regularizer, float momentum, bool regularizeBiases)
    {
        DenseNetwork network = NetworkBuilder.Input(20).Dense(17, Activation.Tanh).Dense(9, Activation.Softmax).Build();
        Floats.StepWeights(network.ParameterCount, Rate * Lambda, seed: 7).CopyTo(network.Parameters);
        float[] before = network.Parameters.ToArray();
        Dataset data = RandomProblems.Classification(3, rows: 2, features: 20, classes: 9);
        var options = new TrainerOptions
        {
            Epochs = 1,
            LearningRate = Rate,
            BatchSize = 2,
            Momentum = momentum,
            RegularizeBiases = regularizeBiases,
            OutputErrorRule = new ZeroErrorRule(),
        };

        TrainingResult result = new BackPropTrainer(options, regularizer).Train(network, data);

        Assert.Equal(1, result.Steps);
        return (network, before);
    }

    private sealed class ZeroErrorRule : IOutputErrorRule
    {
        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error) => error.Clear();
    }
}
