namespace L1Net.Tests.Regularization;

/// <summary>
/// A three-class problem whose label depends only on the first <see cref="Informative"/> inputs; the remaining
/// <see cref="Irrelevant"/> inputs are independent noise. A regularizer that selects features must zero every weight
/// leaving an irrelevant input.
/// </summary>
internal static class SparsityProblem
{
    public const int Informative = 2;
    public const int Irrelevant = 6;
    public const int Inputs = Informative + Irrelevant;
    public const int Classes = 3;

    public static Dataset Create(int rows, int seed) =>
        Planted(rows, Inputs, Classes, seed, static x =>
        {
            // Three sectors of the plane of the two informative inputs.
            double angle = Math.Atan2(x[1], x[0]) + Math.PI;
            return Math.Min(Classes - 1, (int)(angle / (2 * Math.PI / Classes)));
        });

    /// <summary>The class of one row of planted data, from its features.</summary>
    public delegate int RowLabel(ReadOnlySpan<float> x);

    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="inputs"/> features, each uniform in [-1, 1) from
    /// <c>new Random(seed)</c> (row by row), labelled by <paramref name="label"/>.
    /// </summary>
    public static Dataset Planted(int rows, int inputs, int classes, int seed, RowLabel label)
    {
        var random = new Random(seed);
        var features = new float[rows * inputs];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            Span<float> x = features.AsSpan(r * inputs, inputs);
            for (int j = 0; j < inputs; j++)
            {
                x[j] = (float)((random.NextDouble() * 2) - 1);
            }

            labels[r] = label(x);
        }

        return Dataset.FromLabels(features, inputs, labels, classes);
    }

    public static DenseNetwork Network(int hidden = 6, int seed = 1) =>
        NetworkBuilder.Input(Inputs).Dense(hidden, Activation.Tanh).Dense(Classes, Activation.Softmax).Build(new GlorotUniformInitializer(seed));

    /// <summary>The first-layer weights that leave irrelevant inputs (columns Informative.. of W1[o, i]).</summary>
    public static float[] IrrelevantWeights(INetwork network)
    {
        ReadOnlySpan<float> w = network.GetWeights(0);
        int hidden = network.Layers[0].OutputSize;
        var result = new List<float>();
        for (int o = 0; o < hidden; o++)
        {
            for (int i = Informative; i < Inputs; i++)
            {
                result.Add(w[(o * Inputs) + i]);
            }
        }

        return [.. result];
    }

    public static float[] InformativeWeights(INetwork network)
    {
        ReadOnlySpan<float> w = network.GetWeights(0);
        int hidden = network.Layers[0].OutputSize;
        var result = new List<float>();
        for (int o = 0; o < hidden; o++)
        {
            for (int i = 0; i < Informative; i++)
            {
                result.Add(w[(o * Inputs) + i]);
            }
        }

        return [.. result];
    }
}
