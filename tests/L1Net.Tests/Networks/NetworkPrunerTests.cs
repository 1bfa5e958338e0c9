namespace L1Net.Tests.Networks;

public class NetworkPrunerTests
{
    private static readonly Activation[] Hidden = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];
    private static readonly Activation[] Outputs = [Activation.Identity, Activation.Sigmoid, Activation.Softmax];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 60; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Compact_network_predicts_what_the_original_predicts_on_every_row(int seed)
    {
        var random = new Random(seed);
        DenseNetwork network = RandomNetwork(random, out _);
        PlantDeadGroups(random, network);

        PrunedNetwork pruned = NetworkPruner.Prune(network);

        // An input whose outgoing weights were all zeroed is never kept.
        LayerInfo first = network.Layers[0];
        for (int i = 0; i < network.InputSize; i++)
        {
            bool zero = true;
            for (int k = 0; k < first.OutputSize; k++)
            {
                zero &= network.GetWeights(0)[(k * first.InputSize) + i] == 0f;
            }

            Assert.False(zero && pruned.KeptInputs.Contains(i), $"input {i} feeds nothing but was kept");
        }

        Assert.True(pruned.Network.ParameterCount <= network.ParameterCount);

        // The analysis without pruning finds the same inputs and units.
        NetworkSelection selection = NetworkPruner.Analyze(network);
        Assert.Equal(pruned.KeptInputs, selection.Inputs);
        Assert.Equal(pruned.KeptInputs.Count == 0 ? pruned.KeptUnits.Select(_ => (IReadOnlyList<int>)[]) : pruned.KeptUnits, selection.Units);

        float[] rows = RandomRows(random, 50, network.InputSize);
        var expected = new float[50 * network.OutputSize];
        var actual = new float[50 * network.OutputSize];
        network.PredictBatch(rows, expected);
        pruned.PredictBatch(rows, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * MathF.Max(1f, MathF.Abs(expected[i])), $"output {i}: {expected[i]} vs {actual[i]} ({network} -> {pruned.Network})");
        }

        // Only the kept columns, through the compact network itself, give the same outputs.
        var kept = new float[50 * pruned.Network.InputSize];
        pruned.SelectInputs(rows, kept);
        var direct = new float[actual.Length];
        pruned.Network.PredictBatch(kept, direct);
        Assert.Equal(actual, direct);
    }

    [Fact]
    public void The_planted_groups_make_most_random_networks_smaller()
    {
        int smaller = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var random = new Random(seed);
            DenseNetwork network = RandomNetwork(random, out _);
            PlantDeadGroups(random, network);
            smaller += NetworkPruner.Prune(network).Network.ParameterCount < network.ParameterCount ? 1 : 0;
        }

        Assert.True(smaller >= 40, $"only {smaller} of 60 planted networks were pruned");
    }

    [Fact]
    public void Dead_inputs_and_units_are_removed_and_live_ones_kept()
    {
        // 5 inputs -> 4 tanh -> 3 softmax. Input 1 and 3 feed nothing; unit 2 feeds nothing; unit 0 has no live input (a constant).
        DenseNetwork network = NetworkBuilder.Input(5).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        Span<float> w0 = network.GetWeights(0);
        for (int j = 0; j < 4; j++)
        {
            w0[(j * 5) + 1] = 0f;
            w0[(j * 5) + 3] = 0f;
        }

        w0.Slice(0, 5).Clear();
        Span<float> w1 = network.GetWeights(1);
        for (int k = 0; k < 3; k++)
        {
            w1[(k * 4) + 2] = 0f;
        }

        PrunedNetwork pruned = NetworkPruner.Prune(network);

        Assert.Equal([0, 2, 4], pruned.KeptInputs);
        Assert.Equal([1, 3], Assert.Single(pruned.KeptUnits));
        Assert.Equal("3-2(Tanh)-3(Softmax)", pruned.Network.ToString());
        Assert.Equal(network.ParameterCount, pruned.OriginalParameterCount);
        Assert.Equal((3 * 2) + 2 + (2 * 3) + 3, pruned.Network.ParameterCount);
    }

    [Fact]
    public void A_dense_network_is_kept_whole_and_bit_identical()
    {
        DenseNetwork network = NetworkBuilder.Input(6).Dense(5, Activation.ReLU).Dense(4, Activation.Sigmoid).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(9));
        PrunedNetwork pruned = NetworkPruner.Prune(network);

        Assert.Equal(network.Parameters.ToArray(), pruned.Network.Parameters.ToArray());
        Assert.Equal([0, 1, 2, 3, 4, 5], pruned.KeptInputs);
    }

    [Fact]
    public void A_network_whose_inputs_all_are_dead_becomes_a_constant_with_one_zero_input()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(3, Activation.Sigmoid).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(5));
        network.GetWeights(0).Clear();

        PrunedNetwork pruned = NetworkPruner.Prune(network);

        Assert.Empty(pruned.KeptInputs);
        Assert.Empty(Assert.Single(pruned.KeptUnits));
        Assert.Equal("1-1(Sigmoid)-2(Softmax)", pruned.Network.ToString());
        float[] row = [3f, -1f, 0.5f, 7f];
        var expected = new float[2];
        var actual = new float[2];
        network.Predict(row, expected);
        pruned.Predict(row, actual);
        Assert.Equal(expected[0], actual[0], 1e-6f);
        Assert.Equal(expected[1], actual[1], 1e-6f);
    }

    [Fact]
    public void Pruning_leaves_the_original_unchanged()
    {
        var random = new Random(11);
        DenseNetwork network = RandomNetwork(random, out _);
        PlantDeadGroups(random, network);
        float[] before = network.Parameters.ToArray();

        _ = NetworkPruner.Prune(network);

        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Bad_arguments_are_refused_with_their_names()
    {
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => NetworkPruner.Prune(null!)).ParamName);
        DenseNetwork network = NetworkBuilder.Input(3).Dense(2, Activation.Softmax).Build();
        network.Parameters[1] = float.NaN;
        Assert.Equal("network", Assert.Throws<ArgumentException>(() => NetworkPruner.Prune(network)).ParamName);

        PrunedNetwork pruned = NetworkPruner.Prune(NetworkBuilder.Input(3).Dense(2, Activation.Softmax).Build());
        Assert.Equal("fullRow", Assert.Throws<ArgumentException>(() => pruned.Predict(new float[2], new float[2])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => pruned.Predict(new float[3], new float[3])).ParamName);
        Assert.Equal("fullRows", Assert.Throws<ArgumentException>(() => pruned.PredictBatch(new float[4], new float[2])).ParamName);
        Assert.Equal("fullRow", Assert.Throws<ArgumentException>(() => pruned.Predict([1f, float.PositiveInfinity, 0f], new float[2])).ParamName);
    }

    private static DenseNetwork RandomNetwork(Random random, out int depth)
    {
        depth = random.Next(1, 4);
        NetworkBuilder builder = NetworkBuilder.Input(random.Next(1, 12));
        for (int l = 0; l < depth; l++)
        {
            builder.Dense(random.Next(1, 10), Hidden[random.Next(Hidden.Length)]);
        }

        Activation output = Outputs[random.Next(Outputs.Length)];
        builder.Dense(output == Activation.Softmax ? random.Next(2, 5) : random.Next(1, 5), output);
        return builder.Build(new GlorotUniformInitializer(random.Next()));
    }

    /// <summary>Zeroes whole input columns, whole unit rows (incoming) and whole unit columns (outgoing) at random.</summary>
    private static void PlantDeadGroups(Random random, DenseNetwork network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            Span<float> w = network.GetWeights(l);
            for (int i = 0; i < layer.InputSize; i++)
            {
                if (random.NextDouble() < 0.35)
                {
                    for (int k = 0; k < layer.OutputSize; k++)
                    {
                        w[(k * layer.InputSize) + i] = 0f;
                    }
                }
            }

            if (l < network.Layers.Count - 1)
            {
                for (int j = 0; j < layer.OutputSize; j++)
                {
                    if (random.NextDouble() < 0.3)
                    {
                        w.Slice(j * layer.InputSize, layer.InputSize).Clear();
                        network.GetBiases(l)[j] = (2f * random.NextSingle()) - 1f;
                    }
                }
            }
        }
    }

    private static float[] RandomRows(Random random, int rows, int width)
    {
        var x = new float[rows * width];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (4f * random.NextSingle()) - 2f;
        }

        return x;
    }

    [Fact]
    public void Selection_names_the_inputs_used_in_invariant_text()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(3, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        Span<float> w = network.GetWeights(0);
        for (int o = 0; o < 3; o++)
        {
            w[(o * 4) + 1] = 0f;
            w[(o * 4) + 3] = 0f;
        }

        NetworkSelection selection = NetworkPruner.Analyze(network);

        Assert.Equal([0, 2], selection.Inputs);
        Assert.Equal(3, selection.UnitCount);
        Assert.Equal(3, selection.HiddenUnitCount);
        Assert.Equal("2 of 4 inputs used: 0, 2", selection.DescribeInputs());
        Assert.Equal("2 of 4 inputs used: alcohol, ash", selection.DescribeInputs(["alcohol", "malic_acid", "ash", "magnesium"]));
        var e = Assert.Throws<ArgumentException>(() => selection.DescribeInputs(["a"]));
        Assert.Equal("names", e.ParamName);
        Assert.Throws<ArgumentNullException>(() => NetworkPruner.Analyze(null!));

        network.GetWeights(0).Clear();
        Assert.Equal("0 of 4 inputs used", NetworkPruner.Analyze(network).DescribeInputs());
        Assert.Equal(0, NetworkPruner.Analyze(network).UnitCount);
    }

    [Fact]
    public void Selection_reports_each_hidden_layers_size_beside_its_selected_units()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(5, Activation.Tanh).Dense(3, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        Span<float> w = network.GetWeights(1); // 5 -> 3: unit 1 of the first hidden layer feeds nothing
        for (int o = 0; o < 3; o++)
        {
            w[(o * 5) + 1] = 0f;
        }

        Span<float> v = network.GetWeights(2); // 3 -> 2: unit 2 of the second hidden layer feeds nothing
        for (int o = 0; o < 2; o++)
        {
            v[(o * 3) + 2] = 0f;
        }

        NetworkSelection selection = NetworkPruner.Analyze(network);

        Assert.Equal([5, 3], selection.HiddenLayerSizes);
        Assert.Equal(8, selection.HiddenUnitCount);
        Assert.Equal([0, 2, 3, 4], selection.Units[0]);
        Assert.Equal([0, 1], selection.Units[1]);
        Assert.Equal(6, selection.UnitCount);
        Assert.Equal(selection.HiddenLayerSizes.Count, selection.Units.Count);

        DenseNetwork linear = NetworkBuilder.Input(4).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        Assert.Empty(NetworkPruner.Analyze(linear).HiddenLayerSizes);
        Assert.Equal(0, NetworkPruner.Analyze(linear).HiddenUnitCount);
    }
}
