using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Losses;

/// <summary>Loss values and the true output error dE/dz against analytic formulas and finite differences.</summary>
public class LossFunctionsTests
{
    public static TheoryData<LossFunction, Activation, int> Heads()
    {
        var data = new TheoryData<LossFunction, Activation, int>();
        (LossFunction, Activation)[] heads =
        [
            (LossFunction.SquaredError, Activation.Identity),
            (LossFunction.SquaredError, Activation.Sigmoid),
            (LossFunction.SquaredError, Activation.Softmax),
            (LossFunction.CrossEntropy, Activation.Sigmoid),
            (LossFunction.CrossEntropy, Activation.Softmax),
        ];
        foreach ((LossFunction loss, Activation output) in heads)
        {
            foreach (int units in new[] { 1, 2, 3, 5, 8, 9, 17 })
            {
                if (output != Activation.Softmax || units >= 2)
                {
                    data.Add(loss, output, units);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Heads))]
    public void True_output_error_matches_the_analytic_formula(LossFunction loss, Activation output, int units)
    {
        (float[] o, float[] t, _) = Sample(loss, output, units, seed: units);
        var delta = new float[units];

        _ = L1Net.Kernels.OutputKernels.LossAndError(loss, output, o, t, delta);

        for (int k = 0; k < units; k++)
        {
            double expected;
            if (loss == LossFunction.CrossEntropy || output == Activation.Identity)
            {
                expected = (double)o[k] - t[k];
            }
            else if (output == Activation.Sigmoid)
            {
                expected = ((double)o[k] - t[k]) * o[k] * (1 - (double)o[k]);
            }
            else
            {
                // Squared error through softmax, by the full Jacobian: dE/dz_k = sum_j (o_j - t_j) do_j/dz_k,
                // do_j/dz_k = o_j (delta_jk - o_k).
                expected = 0;
                for (int j = 0; j < units; j++)
                {
                    expected += ((double)o[j] - t[j]) * o[j] * ((j == k ? 1 : 0) - (double)o[k]);
                }
            }

            Assert.True(Math.Abs(delta[k] - expected) <= 2e-7 + (1e-6 * Math.Abs(expected)), $"dE/dz[{k}] = {delta[k]:R}, expected {expected:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(Heads))]
    public void True_output_error_matches_finite_differences_of_the_loss(LossFunction loss, Activation output, int units)
    {
        (float[] o, float[] t, double[] z) = Sample(loss, output, units, seed: 100 + units);
        var delta = new float[units];
        _ = L1Net.Kernels.OutputKernels.LossAndError(loss, output, o, t, delta);

        for (int k = 0; k < units; k++)
        {
            const double h = 1e-6;
            double keep = z[k];
            z[k] = keep + h;
            double plus = ReferenceModel.Loss(loss, output, ReferenceModel.Activate(output, z), t);
            z[k] = keep - h;
            double minus = ReferenceModel.Loss(loss, output, ReferenceModel.Activate(output, z), t);
            z[k] = keep;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(delta[k] - numeric) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"dE/dz[{k}] = {delta[k]:R}, numeric {numeric:R}.");
        }
    }

    [Fact]
    public void Squared_error_through_softmax_keeps_the_off_diagonal_terms()
    {
        float[] o = [0.7f, 0.2f, 0.1f];
        float[] t = [0f, 1f, 0f];
        var delta = new float[3];

        _ = L1Net.Kernels.OutputKernels.LossAndError(LossFunction.SquaredError, Activation.Softmax, o, t, delta);

        // g = o - t = (0.7, -0.8, 0.1); s = sum g o = 0.49 - 0.16 + 0.01 = 0.34; dE/dz = o (g - s).
        Assert.Equal(0.7 * (0.7 - 0.34), delta[0], 1e-6);
        Assert.Equal(0.2 * (-0.8 - 0.34), delta[1], 1e-6);
        Assert.Equal(0.1 * (0.1 - 0.34), delta[2], 1e-6);

        // The diagonal-only rule would give 0.7 * 0.3 * 0.7 = 0.147 for the first unit, 0.105 away.
        Assert.True(Math.Abs(delta[0] - 0.147) > 0.1);
    }

    [Fact]
    public void Loss_values_of_hand_computed_rows()
    {
        // 1/2 ((0.2 - 0)^2 + (0.7 - 1)^2) = 0.065
        Assert.Equal(0.065, LossFunctions.Compute(LossFunction.SquaredError, Activation.Identity, [0.2f, 0.7f], [0f, 1f]), 1e-7);
        Assert.Equal(0.065, LossFunctions.Compute(LossFunction.SquaredError, Activation.Softmax, [0.2f, 0.7f], [0f, 1f]), 1e-7);

        // Categorical: -ln 0.75; soft targets: -(0.5 ln 0.25 + 0.5 ln 0.75).
        Assert.Equal(-Math.Log(0.75), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Softmax, [0.25f, 0.75f], [0f, 1f]), 1e-7);
        Assert.Equal(-((0.5 * Math.Log(0.25)) + (0.5 * Math.Log(0.75))), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Softmax, [0.25f, 0.75f], [0.5f, 0.5f]), 1e-7);

        // Binary per unit: -ln 0.75 - ln(1 - 0.25) and a soft target -(0.2 ln 0.6 + 0.8 ln 0.4).
        Assert.Equal(-2 * Math.Log(0.75), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, [0.75f, 0.25f], [1f, 0f]), 1e-7);
        Assert.Equal(-((0.2 * Math.Log(0.6)) + (0.8 * Math.Log(0.4))), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, [0.6f], [0.2f]), 1e-6);

        // A perfect prediction costs nothing.
        Assert.Equal(0.0, LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Softmax, [0f, 1f, 0f], [0f, 1f, 0f]));
        Assert.Equal(0.0, LossFunctions.Compute(LossFunction.SquaredError, Activation.Sigmoid, [0.5f, 0.25f], [0.5f, 0.25f]));
    }

    [Fact]
    public void Cross_entropy_clamps_probabilities_at_the_documented_floor()
    {
        double floor = -Math.Log(1e-12);

        Assert.Equal(floor, LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Softmax, [1f, 0f], [0f, 1f]), 1e-4);
        Assert.Equal(floor, LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, [0f], [1f]), 1e-4);
        Assert.Equal(0.0, LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, [0f], [0f]), 1e-6);
    }

    [Fact]
    public void Binary_cross_entropy_of_a_saturated_sigmoid_is_finite()
    {
        // sigmoid(z) rounds to exactly 1f for z > about 17. The loss must then be 0 for target 1 (not 0 * ln 0 = NaN)
        // and the clamped -ln(1e-12) for target 0 (not infinity).
        var o = new float[1];
        ActivationKernels.Apply(Activation.Sigmoid, [40f], o);
        Assert.Equal(1f, o[0]);

        Assert.Equal(0.0, LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, o, [1f]), 1e-6);
        Assert.Equal(-Math.Log(1e-12), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, o, [0f]), 1e-4);
        Assert.Equal(-0.5 * Math.Log(1e-12), LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, o, [0.5f]), 1e-4);
    }

    [Fact]
    public void Training_with_a_saturated_sigmoid_output_does_not_report_divergence()
    {
        // One output unit with bias 40: its sigmoid is exactly 1f. Cross-entropy against target 1 is finite, so the
        // trainer must complete rather than stop as if the loss were NaN.
        DenseNetwork network = NetworkBuilder.Input(2).Dense(1, Activation.Sigmoid).Build();
        network.GetBiases(0)[0] = 40f;
        Dataset data = Dataset.FromTargets(new float[,] { { 0.5f, -0.5f }, { 1f, 1f } }, new float[,] { { 1f }, { 1f } });

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 3, Loss = LossFunction.CrossEntropy }).Train(network, data);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.True(double.IsFinite(Metrics.CrossEntropy(network, data)));
    }

    /// <summary>Pre-activations z, the float output o = f(z) and a target that fits the loss.</summary>
    private static (float[] O, float[] T, double[] Z) Sample(LossFunction loss, Activation output, int units, int seed)
    {
        var random = new Random(seed);
        float[] zf = Floats.RandomValues(units, seed, scale: 2f);
        var o = new float[units];
        ActivationKernels.Apply(output, zf, o);
        var t = new float[units];
        for (int k = 0; k < units; k++)
        {
            t[k] = output == Activation.Identity ? (2f * random.NextSingle()) - 1f : random.NextSingle();
        }

        if (output == Activation.Softmax)
        {
            float sum = t.Sum();
            for (int k = 0; k < units; k++)
            {
                t[k] /= sum;
            }
        }

        _ = loss;
        return (o, t, ReferenceModel.ToDouble(zf));
    }
}
