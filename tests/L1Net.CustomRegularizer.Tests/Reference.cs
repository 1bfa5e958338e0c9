namespace L1Net.CustomRegularizer.Tests;

/// <summary>Independent references for the tests: finite differences in double, random inputs and data, training runs.</summary>
internal static class Reference
{
    /// <summary>
    /// Central differences of <see cref="IRegularizer.Penalty"/> at every value, divided by the step actually taken in
    /// float; each with Richardson extrapolation over steps <paramref name="step"/> and <paramref name="step"/>/2, so the
    /// truncation error is O(h^4).
    /// </summary>
    public static double[] PenaltyGradient(IRegularizer regularizer, float[] values, ParameterShape shape, float step)
    {
        var w = (float[])values.Clone();
        var result = new double[w.Length];
        for (int k = 0; k < w.Length; k++)
        {
            double Difference(float h)
            {
                float original = w[k];
                float up = original + h;
                float down = original - h;
                w[k] = up;
                double above = regularizer.Penalty(w, shape);
                w[k] = down;
                double below = regularizer.Penalty(w, shape);
                w[k] = original;
                return (above - below) / ((double)up - down);
            }

            double coarse = Difference(step);
            double fine = Difference(step / 2);
            result[k] = fine + ((fine - coarse) / 3);
        }

        return result;
    }

    /// <summary>The whole smooth gradient the trainer uses: AddGradient on zeros, plus the declared parts.</summary>
    public static double[] SmoothGradient(IRegularizer regularizer, float[] values, ParameterShape shape)
    {
        var g = new float[values.Length];
        if (regularizer.HasGradient)
        {
            regularizer.AddGradient(values, g, shape);
        }

        return [.. g.Select((v, k) => v + ((double)regularizer.WeightDecay * values[k]) + ((double)regularizer.SignCoefficient * Math.Sign(values[k])))];
    }

    /// <summary>Asserts <c>|a - b| &lt;= relative * max(|a|, |b|) + absolute</c> for every value, naming the first that is not.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, double absolute = 0)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            double tolerance = (relative * Math.Max(Math.Abs(expected[k]), Math.Abs(actual[k]))) + absolute;
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance, $"value {k}: expected {expected[k]:R}, got {actual[k]:R} (tolerance {tolerance:R})");
        }
    }

    /// <summary>Uniform values in [-scale, scale], every seventh exactly 0.</summary>
    public static float[] Values(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => i % 7 == 3 ? 0f : (float)(((random.NextDouble() * 2) - 1) * scale))];
    }

    /// <summary>Random features in [-2, 2] and random labels.</summary>
    public static Dataset RandomData(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 4) - 2);
        }

        int[] labels = [.. Enumerable.Range(0, rows).Select(_ => random.Next(classes))];
        return Dataset.FromLabels(x, features, labels, classes);
    }

    /// <summary>One training setting of the bit-identity tests.</summary>
    /// <param name="Wide">A 120-160(tanh)-10 network in batches of 64: enough work per step for two threads, so updates run on
    /// blocks of rows from both (below that, a mini-batch step runs on one thread, on whole matrices).</param>
    public sealed record Setting(string Name, int BatchSize, int Threads, bool RegularizeBiases, Func<IOptimizer> Optimizer, bool Wide = false)
    {
        public override string ToString() => Name;
    }

    /// <summary>
    /// The trainer's paths: per-sample plain SGD (the fused sweep), per-sample momentum (separate passes), mini-batches on
    /// two threads (row blocks), Adam (one step size per value), each with biases regularized or not.
    /// </summary>
    public static TheoryData<string> Settings() => new(AllSettings.Select(s => s.Name));

    public static Setting SettingNamed(string name) => AllSettings.Single(s => s.Name == name);

    private static readonly Setting[] AllSettings =
    [
        new("per-sample SGD", 1, 1, false, () => Optimizer.Sgd(0.05f)),
        new("per-sample SGD, biases", 1, 1, true, () => Optimizer.Sgd(0.05f)),
        new("per-sample momentum", 1, 1, true, () => Optimizer.Sgd(0.05f, momentum: 0.5f)),
        new("mini-batch 16 SGD", 16, 1, false, () => Optimizer.Sgd(0.05f)),
        new("wide mini-batch 64 SGD, 2 threads, row blocks", 64, 2, false, () => Optimizer.Sgd(0.05f), Wide: true),
        new("wide mini-batch 64 SGD, 2 threads, row blocks, biases", 64, 2, true, () => Optimizer.Sgd(0.05f), Wide: true),
        new("mini-batch 8 Adam", 8, 1, true, () => Optimizer.Adam(0.01f)),
        new("per-sample AdamW", 1, 1, false, () => Optimizer.AdamW(0.01f)),
    ];

    /// <summary>
    /// Trains a fresh 20-24(tanh)-4(softmax) network on 90 rows, or 120-160(tanh)-10(softmax) on 150 rows when
    /// <see cref="Setting.Wide"/> (the same start every time), and returns its parameters.
    /// </summary>
    public static float[] Train(IRegularizer regularizer, Setting setting, int epochs = 3)
    {
        (int inputs, int hidden, int classes, int rows) = setting.Wide ? (120, 160, 10, 150) : (20, 24, 4, 90);
        Dataset data = RandomData(rows, inputs, classes, seed: 11);
        DenseNetwork network = NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        var options = new TrainerOptions
        {
            Epochs = epochs,
            Optimizer = setting.Optimizer(),
            BatchSize = setting.BatchSize,
            MaxDegreeOfParallelism = setting.Threads,
            RegularizeBiases = setting.RegularizeBiases,
            Seed = 9,
        };
        new BackPropTrainer(options, regularizer).Train(network, data);
        return network.Parameters.ToArray();
    }
}
