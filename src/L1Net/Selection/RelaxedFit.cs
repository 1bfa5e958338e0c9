namespace L1Net.Selection;

/// <summary>
/// The relaxed fit behind <see cref="CrossValidationOptions.Relax"/> (Meinshausen's relaxed lasso, glmnet's
/// <c>relax = TRUE</c>, for the inputs of a network): given the inputs a penalized training selected, train the same
/// initial network without any penalty on those inputs only. The other inputs are held out by setting their columns to 0
/// in the rows and their fan-out (their columns of the first layer's weights) to 0 in the start: their weights then get a
/// zero gradient at every step under every optimizer, so they stay exactly 0, and the result is a network of the original
/// shape that reads only the selected inputs (it predicts full rows, and <see cref="NetworkPruner"/> drops the rest).
/// The hidden units are all retrained: the relaxation is over the inputs.
/// </summary>
internal static class RelaxedFit
{
    /// <summary>
    /// Trains <paramref name="network"/> (holding the initial parameters) unpenalized on the <paramref name="inputs"/> columns
    /// of <paramref name="data"/>; the network is left with the relaxed parameters.
    /// </summary>
    public static TrainingResult Train(DenseNetwork network, Dataset data, IReadOnlyList<int> inputs, TrainerOptions trainer, CancellationToken cancellationToken)
    {
        bool[] kept = Kept(network.InputSize, inputs);
        LayerInfo first = network.Layers[0];
        Span<float> w = network.GetWeights(0);
        for (int o = 0; o < first.OutputSize; o++)
        {
            for (int i = 0; i < first.InputSize; i++)
            {
                if (!kept[i])
                {
                    w[(o * first.InputSize) + i] = 0f;
                }
            }
        }

        return RegularizationPath.TrainToEnd(trainer, Regularizer.None, network, Mask(data, kept), cancellationToken);
    }

    /// <summary>The rows of <paramref name="data"/> with every column outside <paramref name="inputs"/> set to 0 (the data itself when every column is kept).</summary>
    public static Dataset Mask(Dataset data, IReadOnlyList<int> inputs) => Mask(data, Kept(data.FeatureCount, inputs));

    /// <summary>A key naming an input set, for reusing one relaxed fit across the lambdas that select the same inputs.</summary>
    public static string Key(IReadOnlyList<int> inputs) => string.Join(',', inputs);

    private static Dataset Mask(Dataset data, bool[] kept)
    {
        if (Array.TrueForAll(kept, static k => k))
        {
            return data;
        }

        int columns = data.FeatureCount;
        return data.WithFeatures(values =>
        {
            data.Features.CopyTo(values);
            for (int r = 0; r < data.Count; r++)
            {
                Span<float> row = values.Slice(r * columns, columns);
                for (int i = 0; i < columns; i++)
                {
                    if (!kept[i])
                    {
                        row[i] = 0f;
                    }
                }
            }
        });
    }

    private static bool[] Kept(int count, IReadOnlyList<int> inputs)
    {
        var kept = new bool[count];
        foreach (int i in inputs)
        {
            kept[i] = true;
        }

        return kept;
    }
}
