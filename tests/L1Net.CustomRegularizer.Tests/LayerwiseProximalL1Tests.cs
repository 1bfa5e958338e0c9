namespace L1Net.CustomRegularizer.Tests;

public class LayerwiseProximalL1Tests
{
    private static readonly float[] Lambdas = [0.3f, 0.05f];

    public static TheoryData<string> StepKinds() => new("one step size (SGD)", "one per value (Adam)");

    private static float[] StepSizes(string kind, int length, int seed)
    {
        var random = new Random(seed);
        return kind.StartsWith("one step", StringComparison.Ordinal)
            ? [0.07f]
            : [.. Enumerable.Range(0, length).Select(_ => (float)Math.Pow(10, -4 + (4.5 * random.NextDouble())))]; // 1e-4 to 3e0
    }

    private static double Eta(float[] stepSizes, int k) => stepSizes.Length == 1 ? stepSizes[0] : stepSizes[k];

    [Theory]
    [MemberData(nameof(StepKinds))]
    public void Proximal_step_is_the_closed_form_soft_threshold_in_double(string kind)
    {
        foreach (int layer in new[] { 0, 1 })
        {
            ParameterShape shape = ParameterShape.ForWeights(layer, inputs: 9, outputs: 12);
            float[] w = Reference.Values(shape.Length, seed: 20 + layer, scale: 0.5f);
            float[] eta = StepSizes(kind, w.Length, seed: 30 + layer);
            float[] u = (float[])w.Clone();
            new LayerwiseProximalL1(Lambdas).ApplyProximal(u, eta, shape);

            for (int k = 0; k < w.Length; k++)
            {
                double threshold = Lambdas[layer] * Eta(eta, k);
                double expected = Math.Sign(w[k]) * Math.Max(Math.Abs((double)w[k]) - threshold, 0);
                double tolerance = 2.5e-7 * (Math.Abs(w[k]) + threshold);
                Assert.True(Math.Abs(u[k] - expected) <= tolerance, $"layer {layer}, value {k}: w {w[k]:R}, eta {Eta(eta, k):R}: expected {expected:R}, got {u[k]:R}");
                if (expected == 0)
                {
                    Assert.Equal(0, BitConverter.SingleToInt32Bits(u[k])); // a cleared value is +0
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(StepKinds))]
    public void Proximal_step_is_the_argmin_of_its_definition_found_numerically(string kind)
    {
        // w_i = argmin_u lambda |u| + (u - w_i)^2 / (2 eta_i), by ternary search on the convex function, in double.
        ParameterShape shape = ParameterShape.ForWeights(1, inputs: 7, outputs: 5);
        float[] w = Reference.Values(shape.Length, seed: 41, scale: 0.2f);
        float[] eta = StepSizes(kind, w.Length, seed: 42);
        float[] u = (float[])w.Clone();
        new LayerwiseProximalL1(Lambdas).ApplyProximal(u, eta, shape);

        double lambda = Lambdas[1];
        for (int k = 0; k < w.Length; k++)
        {
            double e = Eta(eta, k);
            double F(double x) => (lambda * Math.Abs(x)) + ((x - w[k]) * (x - w[k]) / (2 * e));
            double lo = -Math.Abs(w[k]) - 1, hi = Math.Abs(w[k]) + 1;
            for (int i = 0; i < 300; i++)
            {
                double a = lo + ((hi - lo) / 3), b = hi - ((hi - lo) / 3);
                if (F(a) <= F(b))
                {
                    hi = b;
                }
                else
                {
                    lo = a;
                }
            }

            double argmin = (lo + hi) / 2;
            Assert.True(Math.Abs(u[k] - argmin) <= (2.5e-7 * (Math.Abs(w[k]) + (lambda * e))) + 1e-12, $"value {k}: w {w[k]:R}, eta {e:R}: argmin {argmin:R}, got {u[k]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(StepKinds))]
    public void Blocks_of_rows_with_their_step_sizes_get_what_the_whole_matrix_gets(string kind)
    {
        ParameterShape whole = ParameterShape.ForWeights(0, inputs: 6, outputs: 5);
        float[] w = Reference.Values(whole.Length, seed: 50);
        float[] eta = StepSizes(kind, w.Length, seed: 51);
        var regularizer = new LayerwiseProximalL1(Lambdas);
        float[] expected = (float[])w.Clone();
        regularizer.ApplyProximal(expected, eta, whole);

        float[] blocks = (float[])w.Clone();
        foreach ((int first, int count) in new[] { (0, 2), (2, 3) })
        {
            ParameterShape block = whole.SliceRows(first, count);
            ReadOnlySpan<float> blockSteps = eta.Length == 1 ? eta : eta.AsSpan(block.Offset, block.Length);
            regularizer.ApplyProximal(blocks.AsSpan(block.Offset, block.Length), blockSteps, block);
        }

        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void Penalty_uses_the_strength_of_the_matrix_layer()
    {
        float[] w = [1f, -2f, 0.5f];
        var regularizer = new LayerwiseProximalL1(Lambdas);
        Assert.Equal(0.3f * 3.5, regularizer.Penalty(w, ParameterShape.ForWeights(0, 3, 1)), 1e-12);
        Assert.Equal(0.05f * 3.5, regularizer.Penalty(w, ParameterShape.ForBiases(1, 3)), 1e-12);
    }

    [Theory]
    [InlineData("per-sample SGD")]
    [InlineData("wide mini-batch 64 SGD, 2 threads, row blocks, biases")]
    [InlineData("mini-batch 8 Adam")]
    public void Trains_to_exact_zeros_and_to_the_built_in_proximal_L1_when_every_layer_has_the_same_strength(string settingName)
    {
        Reference.Setting setting = Reference.SettingNamed(settingName);
        float[] layerwise = Reference.Train(new LayerwiseProximalL1([0.05f, 0.05f]), setting);
        Assert.True(layerwise.Count(v => v == 0f) > 50, $"expected exact zeros, got {layerwise.Count(v => v == 0f)}");
        Assert.Equal(Reference.Train(Regularizer.ProximalL1(0.05f), setting), layerwise);
    }

    [Fact]
    public void A_network_with_more_layers_than_strengths_is_rejected_at_the_start_and_left_as_it_was()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(5, Activation.Tanh).Dense(5, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        float[] before = network.Parameters.ToArray();
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 1 }, new LayerwiseProximalL1(Lambdas));

        var error = Assert.Throws<ArgumentException>(() => trainer.Train(network, Reference.RandomData(10, 4, 2, seed: 1)));

        Assert.Equal("shape", error.ParamName);
        Assert.Contains("layer 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Penalty_and_proximal_step_of_a_layer_without_a_strength_throw_what_Bind_throws()
    {
        // RegularizationPath asks the unbound regularizer for the penalty of every layer, so the check cannot be left to Bind.
        var regularizer = new LayerwiseProximalL1(Lambdas);
        ParameterShape shape = ParameterShape.ForWeights(2, inputs: 3, outputs: 2);
        float[] values = [0.5f, -0.25f, 1f, 0f, -2f, 0.125f];
        float[] before = (float[])values.Clone();
        string expected = Assert.Throws<ArgumentException>(() => regularizer.Bind(shape)).Message;

        foreach (Action call in new Action[]
        {
            () => regularizer.Penalty(values, shape),
            () => regularizer.ApplyProximal(values, [0.1f], shape),
            () => regularizer.ApplyProximal(values, new float[values.Length], shape),
            () => regularizer.Penalty(values, ParameterShape.ForBiases(2, outputs: 6)),
        })
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Equal("shape", error.ParamName);
            Assert.Contains("LayerwiseProximalL1(0.3 / 0.05) has 2 strengths, but the network has a layer 2.", error.Message, StringComparison.Ordinal);
            Assert.Equal(expected, error.Message);
        }

        Assert.Equal(before, values);
    }

    [Fact]
    public void A_regularization_path_over_more_layers_than_strengths_gets_the_clear_message()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(5, Activation.Tanh).Dense(5, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var path = new RegularizationPath(new RegularizationPathOptions
        {
            Trainer = new TrainerOptions { Epochs = 1 },
            CreateRegularizer = lambda => new LayerwiseProximalL1([lambda, lambda]),
        });

        var error = Assert.Throws<ArgumentException>(() => path.FindLambdaMax(network, Reference.RandomData(10, 4, 2, seed: 1)));

        Assert.Equal("shape", error.ParamName);
        Assert.Contains("has 2 strengths, but the network has a layer 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_bad_strengths_and_bad_step_sizes()
    {
        Assert.Throws<ArgumentNullException>(() => new LayerwiseProximalL1(null!));
        Assert.Equal("lambdas", Assert.Throws<ArgumentException>(() => new LayerwiseProximalL1([])).ParamName);
        Assert.Equal("lambdas", Assert.Throws<ArgumentOutOfRangeException>(() => new LayerwiseProximalL1([0.1f, float.NaN])).ParamName);
        float[] values = new float[4];
        Assert.Equal("stepSizes", Assert.Throws<ArgumentException>(() => new LayerwiseProximalL1(Lambdas).ApplyProximal(values, new float[3], ParameterShape.Vector(4))).ParamName);
    }
}
