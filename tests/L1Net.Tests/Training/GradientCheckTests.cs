using L1Net.Tests.Support;

namespace L1Net.Tests.Training;

/// <summary>
/// Finite-difference checks of <see cref="BackPropTrainer.ComputeGradient"/>: the analytic float32 gradient against central
/// differences of an independent double-precision objective (<see cref="ReferenceModel"/>), for every valid
/// loss x output activation x hidden activation x regularizer combination, every built-in regularizer included. For the
/// proximal ones (<see cref="ProximalL1Regularizer"/>, <see cref="CumulativeL1Regularizer"/>,
/// <see cref="ProximalElasticNetRegularizer"/>) the gradient is that of the smooth part (data loss + <c>l2/2 sum w^2</c>): their
/// <c>l1 sum |w|</c> is applied by the proximal step, checked against its formula in the regularizer step tests; the objective
/// returned is still the whole <c>J</c>, penalty included.
/// </summary>
public class GradientCheckTests
{
    /// <summary>
    /// Bound: |analytic - numeric| &lt;= RelativeTolerance * max(|analytic|, |numeric|) + AbsoluteTolerance.
    /// The numeric side is double: with h = 1e-5 on parameters of magnitude &lt;= 1, the central difference's truncation
    /// error (h^2/6 * J''') and rounding error (1e-16 * |J| / h) are both about 1e-11, negligible. The analytic side is
    /// float32 (unit roundoff 6e-8): a gradient entry is a sum over at most 6 rows of products of a few float terms of
    /// magnitude &lt;= about 5, so its rounding error is a few 1e-7 absolute. Measured once over 800 random problems of
    /// these shapes: largest |error| 6e-7, largest entry at 1.5% of this bound. So 1e-5 absolute plus 1e-4 relative
    /// leaves a margin of more than 10x for float rounding, while any real
    /// mistake (a dropped Jacobian term, a wrong sign, a missing 1/N) moves entries of magnitude 1e-2 .. 1 by a
    /// comparable amount and is caught; <see cref="Diagonal_softmax_rule_is_detected"/> proves the check can fail.
    /// </summary>
    internal const double RelativeTolerance = 1e-4;

    /// <summary>See <see cref="RelativeTolerance"/>.</summary>
    internal const double AbsoluteTolerance = 1e-5;

    /// <summary>Central-difference step, in the double-precision reference.</summary>
    internal const double Step = 1e-5;

    private static readonly Activation[] HiddenActivations = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];
    /// <summary>Every built-in regularizer (<see cref="Every_built_in_regularizer_is_gradient_checked"/> keeps this list complete).</summary>
    private static readonly RegKind[] RegKinds = Enum.GetValues<RegKind>();

    /// <summary>Every (loss, output) pair the trainer accepts: cross-entropy is not defined for an identity output.</summary>
    private static readonly (LossFunction Loss, Activation Output)[] ValidHeads =
    [
        (LossFunction.SquaredError, Activation.Identity),
        (LossFunction.SquaredError, Activation.Sigmoid),
        (LossFunction.SquaredError, Activation.Softmax),
        (LossFunction.CrossEntropy, Activation.Sigmoid),
        (LossFunction.CrossEntropy, Activation.Softmax),
    ];

    public static TheoryData<LossFunction, Activation, Activation, RegKind, int> HiddenCases()
    {
        var data = new TheoryData<LossFunction, Activation, Activation, RegKind, int>();
        foreach ((LossFunction loss, Activation output) in ValidHeads)
        {
            foreach (Activation hidden in HiddenActivations)
            {
                foreach (RegKind reg in RegKinds)
                {
                    foreach (int depth in new[] { 1, 2 })
                    {
                        data.Add(loss, output, hidden, reg, depth);
                    }
                }
            }
        }

        return data;
    }

    public static TheoryData<LossFunction, Activation, RegKind> OutputOnlyCases()
    {
        var data = new TheoryData<LossFunction, Activation, RegKind>();
        foreach ((LossFunction loss, Activation output) in ValidHeads)
        {
            foreach (RegKind reg in RegKinds)
            {
                data.Add(loss, output, reg);
            }
        }

        return data;
    }

    public static TheoryData<LossFunction, Activation, Activation, RegKind> BiasCases()
    {
        var data = new TheoryData<LossFunction, Activation, Activation, RegKind>();
        foreach ((LossFunction loss, Activation output) in ValidHeads)
        {
            foreach (Activation hidden in HiddenActivations)
            {
                foreach (RegKind reg in RegKinds.Where(r => r != RegKind.None))
                {
                    data.Add(loss, output, hidden, reg);
                }
            }
        }

        return data;
    }

    public static TheoryData<LossFunction, Activation, bool> PerLayerCases()
    {
        var data = new TheoryData<LossFunction, Activation, bool>();
        foreach ((LossFunction loss, Activation output) in ValidHeads)
        {
            data.Add(loss, output, false);
            data.Add(loss, output, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HiddenCases))]
    public void Gradient_matches_finite_differences(LossFunction loss, Activation output, Activation hidden, RegKind reg, int hiddenLayers)
    {
        Activation[] hiddenStack = Enumerable.Repeat(hidden, hiddenLayers).ToArray();
        int seed = Seed(loss, output, hidden, reg, hiddenLayers, 0);
        (DenseNetwork network, Dataset data) = RandomProblems.Create(loss, output, hiddenStack, seed);
        RegSpec spec = RegSpec.Of(reg);

        CheckGradient(network, data, loss, Enumerable.Repeat(spec, network.Layers.Count).ToArray(), regularizeBiases: false, layerRegularizers: false);
    }

    [Theory]
    [MemberData(nameof(OutputOnlyCases))]
    public void Gradient_matches_finite_differences_without_hidden_layer(LossFunction loss, Activation output, RegKind reg)
    {
        (DenseNetwork network, Dataset data) = RandomProblems.Create(loss, output, [], Seed(loss, output, Activation.Identity, reg, 0, 1));
        Assert.Single(network.Layers);

        CheckGradient(network, data, loss, [RegSpec.Of(reg)], regularizeBiases: false, layerRegularizers: false);
    }

    [Theory]
    [MemberData(nameof(BiasCases))]
    public void Gradient_matches_finite_differences_with_regularized_biases(LossFunction loss, Activation output, Activation hidden, RegKind reg)
    {
        (DenseNetwork network, Dataset data) = RandomProblems.Create(loss, output, [hidden, hidden], Seed(loss, output, hidden, reg, 2, 2));
        RegSpec spec = RegSpec.Of(reg);

        CheckGradient(network, data, loss, Enumerable.Repeat(spec, network.Layers.Count).ToArray(), regularizeBiases: true, layerRegularizers: false);
    }

    [Theory]
    [MemberData(nameof(PerLayerCases))]
    public void Gradient_matches_finite_differences_with_per_layer_regularizers(LossFunction loss, Activation output, bool regularizeBiases)
    {
        // Mixed hidden activations and a different regularizer and strength on each of the three layers.
        (DenseNetwork network, Dataset data) = RandomProblems.Create(loss, output, [Activation.Tanh, Activation.ReLU], Seed(loss, output, Activation.Tanh, RegKind.ElasticNet, 2, regularizeBiases ? 4 : 3));
        RegSpec[] specs = [RegSpec.Of(RegKind.L1, l1: 0.07f), RegSpec.Of(RegKind.None), RegSpec.Of(RegKind.ElasticNet, l1: 0.02f, l2: 0.2f)];

        CheckGradient(network, data, loss, specs, regularizeBiases, layerRegularizers: true);
    }

    [Fact]
    public void Per_layer_regularizers_override_the_trainer_regularizer()
    {
        (DenseNetwork network, Dataset data) = RandomProblems.Create(LossFunction.CrossEntropy, Activation.Softmax, [Activation.Sigmoid], 99);
        var options = new TrainerOptions { Loss = LossFunction.CrossEntropy, LayerRegularizers = [Regularizer.None, Regularizer.L2(0.3f)] };

        // The trainer-wide L1 must be ignored: the objective is the one with the per-layer regularizers only.
        var gradient = new float[network.ParameterCount];
        double j = new BackPropTrainer(options, Regularizer.L1(5f)).ComputeGradient(network, data, gradient);
        double expected = ReferenceModel.Objective(network.Layers, ReferenceModel.ToDouble(network.Parameters), data, LossFunction.CrossEntropy, [RegSpec.Of(RegKind.None), RegSpec.Of(RegKind.L2, l2: 0.3f)], false);

        Assert.Equal(expected, j, 1e-5);
    }

    [Theory]
    [InlineData(Activation.Identity, 0)]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.ReLU, 2)]
    public void Cross_entropy_with_identity_output_is_rejected(Activation hidden, int hiddenLayers)
    {
        NetworkBuilder builder = NetworkBuilder.Input(3);
        for (int l = 0; l < hiddenLayers; l++)
        {
            builder.Dense(4, hidden);
        }

        DenseNetwork network = builder.Dense(2, Activation.Identity).Build();
        Dataset data = Dataset.FromTargets(new float[,] { { 0.1f, 0.2f, 0.3f } }, new float[,] { { 0.5f, 0.5f } });
        var trainer = new BackPropTrainer(new TrainerOptions { Loss = LossFunction.CrossEntropy }, Regularizer.L1(0.01f));
        float[] before = network.Parameters.ToArray();

        ArgumentException e1 = Assert.ThrowsAny<ArgumentException>(() => trainer.ComputeGradient(network, data, new float[network.ParameterCount]));
        ArgumentException e2 = Assert.ThrowsAny<ArgumentException>(() => trainer.Train(network, data));

        Assert.Equal("network", e1.ParamName);
        Assert.Equal("network", e2.ParamName);
        Assert.Contains("CrossEntropy", e1.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Every_built_in_regularizer_is_gradient_checked()
    {
        // docs/math.md says every regularizer is gradient-checked: every built-in IRegularizer class of the library (internal
        // since 0.2, made by the Regularizer factories; per-matrix bound state is nested and excluded) must be built by one
        // of the kinds the checks above run over.
        Type[] builtIn = typeof(IRegularizer).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false } && typeof(IRegularizer).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
        Type[] checkedTypes = RegKinds.Select(k => RegSpec.Of(k).Create().GetType()).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(builtIn);
        Assert.Equal(builtIn, checkedTypes);
    }

    [Fact]
    public void A_proximal_regularizers_gradient_is_the_smooth_parts_and_its_objective_the_whole()
    {
        // The check above would also pass if ComputeGradient left the penalty out entirely for a proximal regularizer with
        // only an L1 part; here the smooth L2 part must be present and the L1 part must not.
        (DenseNetwork network, Dataset data) = RandomProblems.Create(LossFunction.CrossEntropy, Activation.Softmax, [Activation.Tanh], 4242);
        var gradient = new float[network.ParameterCount];
        var plain = new float[network.ParameterCount];
        var options = new TrainerOptions { Loss = LossFunction.CrossEntropy };
        double j = new BackPropTrainer(options, Regularizer.ProximalElasticNet(0.5f, 0.25f)).ComputeGradient(network, data, gradient);
        double data0 = new BackPropTrainer(options).ComputeGradient(network, data, plain);

        double l1 = 0, l2 = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            ReadOnlySpan<float> w = network.Parameters.Slice(layer.WeightOffset, layer.WeightCount);
            for (int i = 0; i < w.Length; i++)
            {
                l1 += Math.Abs(w[i]);
                l2 += (double)w[i] * w[i];
                Assert.Equal(plain[layer.WeightOffset + i] + (0.25f * w[i]), gradient[layer.WeightOffset + i], 1e-6f);
            }
        }

        Assert.Equal(data0 + (0.5 * l1) + (0.125 * l2), j, 1e-5);
    }

    [Fact]
    public void Diagonal_softmax_rule_is_detected()
    {
        // The seed listing's output signal keeps only the diagonal of the softmax Jacobian. It is not the gradient of
        // squared error through softmax, and the check must say so: this is the proof the check can fail.
        (DenseNetwork network, Dataset data) = RandomProblems.Create(LossFunction.SquaredError, Activation.Softmax, [Activation.Tanh], 12345);
        var specs = new[] { RegSpec.Of(RegKind.None), RegSpec.Of(RegKind.None) };

        CheckResult honest = Check(network, data, LossFunction.SquaredError, specs, false, false, outputRule: null, customRegularizer: null);
        CheckResult diagonal = Check(network, data, LossFunction.SquaredError, specs, false, false, new DiagonalSoftmaxRule(), customRegularizer: null);

        Assert.True(honest.Passed, honest.Describe());
        Assert.False(diagonal.Passed, "The diagonal-only softmax rule passed the gradient check: " + diagonal.Describe());
        Assert.True(diagonal.WorstExcess > 10, diagonal.Describe());
    }

    [Fact]
    public void Sign_flipped_l1_gradient_is_detected()
    {
        // The published "L1" adds -lambda * sign(w) to the gradient while the penalty is +lambda * sum |w|.
        (DenseNetwork network, Dataset data) = RandomProblems.Create(LossFunction.CrossEntropy, Activation.Softmax, [Activation.Tanh], 777);
        var specs = new[] { RegSpec.Of(RegKind.L1), RegSpec.Of(RegKind.L1) };

        CheckResult honest = Check(network, data, LossFunction.CrossEntropy, specs, false, false, outputRule: null, customRegularizer: null);
        CheckResult flipped = Check(network, data, LossFunction.CrossEntropy, specs, false, false, outputRule: null, new SignFlippedL1(specs[0].L1));

        Assert.True(honest.Passed, honest.Describe());
        Assert.False(flipped.Passed, "A sign-flipped L1 gradient passed the gradient check: " + flipped.Describe());
    }

    private static void CheckGradient(DenseNetwork network, Dataset data, LossFunction loss, RegSpec[] specs, bool regularizeBiases, bool layerRegularizers)
    {
        CheckResult result = Check(network, data, loss, specs, regularizeBiases, layerRegularizers, outputRule: null, customRegularizer: null);
        Assert.True(result.ObjectiveError <= 1e-5 * Math.Max(1, Math.Abs(result.ReferenceObjective)), $"Objective {result.Objective} differs from the reference {result.ReferenceObjective}.");
        Assert.True(result.Passed, result.Describe());
    }

    private static CheckResult Check(DenseNetwork network, Dataset data, LossFunction loss, RegSpec[] specs, bool regularizeBiases, bool layerRegularizers, IOutputErrorRule? outputRule, IRegularizer? customRegularizer)
    {
        var options = new TrainerOptions
        {
            Loss = loss,
            RegularizeBiases = regularizeBiases,
            OutputErrorRule = outputRule,
            LayerRegularizers = layerRegularizers ? specs.Select(s => s.Create()).ToArray() : null,
        };
        IRegularizer regularizer = customRegularizer ?? (layerRegularizers ? Regularizer.L1(123f) : specs[0].Create());
        var trainer = new BackPropTrainer(options, regularizer);
        float[] before = network.Parameters.ToArray();
        var analytic = new float[network.ParameterCount];
        double j = trainer.ComputeGradient(network, data, analytic);
        Assert.Equal(before, network.Parameters.ToArray());

        double[] numeric = ReferenceModel.NumericGradient(network.Layers, network.Parameters, data, loss, specs.Select(s => s.Smooth).ToArray(), regularizeBiases, Step);
        double reference = ReferenceModel.Objective(network.Layers, ReferenceModel.ToDouble(network.Parameters), data, loss, specs, regularizeBiases);
        return CheckResult.Compare(analytic, numeric, j, reference, network.ToString());
    }

    private static int Seed(LossFunction loss, Activation output, Activation hidden, RegKind reg, int depth, int family) =>
        (((((((int)loss * 8) + (int)output) * 8) + (int)hidden) * 8 + (int)reg) * 8 + depth) * 8 + family;

    internal sealed record CheckResult(double WorstExcess, int WorstIndex, double WorstAnalytic, double WorstNumeric, double MaxAbsError, double Objective, double ReferenceObjective, string Network)
    {
        public bool Passed => WorstExcess <= 1;

        public double ObjectiveError => Math.Abs(Objective - ReferenceObjective);

        /// <summary>Compares entry by entry; excess = |a - n| / (bound), so an entry passes when its excess is at most 1.</summary>
        public static CheckResult Compare(ReadOnlySpan<float> analytic, ReadOnlySpan<double> numeric, double objective, double reference, string network)
        {
            double worst = 0, maxAbs = 0;
            int index = -1;
            for (int i = 0; i < analytic.Length; i++)
            {
                double a = analytic[i], n = numeric[i];
                double error = Math.Abs(a - n);
                double excess = error / ((RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(n))) + AbsoluteTolerance);
                maxAbs = Math.Max(maxAbs, error);
                if (!(excess <= worst))
                {
                    worst = excess;
                    index = i;
                }
            }

            return new CheckResult(worst, index, index >= 0 ? analytic[index] : 0, index >= 0 ? numeric[index] : 0, maxAbs, objective, reference, network);
        }

        public string Describe() =>
            $"{Network}: worst parameter {WorstIndex}: analytic {WorstAnalytic:R}, numeric {WorstNumeric:R} (error {WorstExcess:F2}x the bound); max |error| {MaxAbsError:E2}";
    }

    /// <summary>delta_k = (o_k - t_k) o_k (1 - o_k): the softmax Jacobian's diagonal only.</summary>
    private sealed class DiagonalSoftmaxRule : IOutputErrorRule
    {
        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
        {
            for (int k = 0; k < output.Length; k++)
            {
                error[k] = (output[k] - target[k]) * output[k] * (1f - output[k]);
            }
        }
    }

    /// <summary>L1's penalty (<see cref="AddedL1"/>'s) with its subgradient's sign flipped.</summary>
    private sealed class SignFlippedL1(float lambda) : IRegularizer
    {
        private readonly AddedL1 _l1 = new(lambda);

        public string Name => "SignFlippedL1";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => _l1.Penalty(weights, shape);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                gradient[i] -= weights[i] == 0f ? 0f : MathF.CopySign(lambda, weights[i]);
            }
        }
    }
}
