namespace L1Net.Tests.Support;

/// <summary>Small random networks and data sets for the gradient checks, reproducible from a seed.</summary>
internal static class RandomProblems
{
    /// <summary>ReLU pre-activations stay at least this far from the kink at 0 on every row (far beyond the finite-difference step's effect).</summary>
    public const double ReluMargin = 0.02;

    /// <summary>
    /// A network <c>inputs -> hidden... -> outputs</c> with random sizes, every parameter of magnitude in [0.15, 1]
    /// (away from the L1 kink at 0) with a random sign, and a data set whose targets fit <paramref name="loss"/> and
    /// <paramref name="output"/>. Retries other draws until every ReLU unit is at least <see cref="ReluMargin"/> from its kink.
    /// </summary>
    public static (DenseNetwork Network, Dataset Data) Create(LossFunction loss, Activation output, IReadOnlyList<Activation> hidden, int seed)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            var random = new Random(unchecked((seed * 7919) + attempt));
            (DenseNetwork network, Dataset data) = Draw(random, loss, output, hidden);
            if (MinReluMargin(network, data) >= ReluMargin)
            {
                return (network, data);
            }
        }

        throw new InvalidOperationException("No draw kept the ReLU units away from their kink.");
    }

    private static (DenseNetwork, Dataset) Draw(Random random, LossFunction loss, Activation output, IReadOnlyList<Activation> hidden)
    {
        int inputs = random.Next(2, 6);
        NetworkBuilder builder = NetworkBuilder.Input(inputs);
        foreach (Activation a in hidden)
        {
            builder.Dense(random.Next(2, 6), a);
        }

        int outputs = output == Activation.Softmax ? random.Next(2, 5) : random.Next(1, 5);
        builder.Dense(outputs, output);
        DenseNetwork network = builder.Build();
        Span<float> p = network.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            float magnitude = 0.15f + (0.85f * random.NextSingle());
            p[i] = random.Next(2) == 0 ? magnitude : -magnitude;
        }

        int rows = random.Next(3, 7);
        var x = new float[rows, inputs];
        var t = new float[rows, outputs];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                x[r, i] = (2f * random.NextSingle()) - 1f;
            }

            float sum = 0f;
            for (int k = 0; k < outputs; k++)
            {
                t[r, k] = output == Activation.Identity ? (2f * random.NextSingle()) - 1f : random.NextSingle();
                sum += t[r, k];
            }

            if (output == Activation.Softmax)
            {
                for (int k = 0; k < outputs; k++)
                {
                    t[r, k] /= sum;
                }
            }
        }

        return (network, Dataset.FromTargets(x, t));
    }

    public static double MinReluMargin(INetwork network, Dataset data)
    {
        double[] p = ReferenceModel.ToDouble(network.Parameters);
        double min = double.PositiveInfinity;
        for (int r = 0; r < data.Count; r++)
        {
            ReferenceModel.Forward(network.Layers, p, data.GetFeatures(r), out double margin);
            min = Math.Min(min, margin);
        }

        return min;
    }

    /// <summary>Random features in [-1, 1) and labels for a classification set.</summary>
    public static Dataset Classification(int seed, int rows, int features, int classes)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        var labels = new int[rows];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (2f * random.NextSingle()) - 1f;
        }

        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(classes);
        }

        return Dataset.FromLabels(x, features, labels, classes);
    }
}
