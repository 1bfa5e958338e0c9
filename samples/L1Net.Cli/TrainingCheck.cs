using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;

namespace L1Net.Cli;

/// <summary>
/// Sanity checks of a finished training run. Divergence to NaN or infinity is caught by the library (the run stops and
/// nothing is saved); these catch the runs that stay finite yet learned nothing, typically a learning rate far too large
/// (<c>--lr 50</c>) or a lambda that zeroed the network.
/// </summary>
internal static class TrainingCheck
{
    /// <summary>
    /// Above this, a weight has exploded: it multiplies a standardized input (or a hidden unit's output), so it would
    /// move a pre-activation by more than a thousand for one standard deviation of its input; every sigmoid, tanh and
    /// softmax is then saturated far beyond anything training needs.
    /// </summary>
    public const float ExplodedWeight = 1000f;

    /// <summary>
    /// A training loss this many times that of the constant prediction of the class frequencies is "worse": a network
    /// whose weights a large lambda set to zero predicts about those frequencies, and is reported as at chance level instead.
    /// </summary>
    public const double WorseLoss = 1.01;

    /// <summary>The warnings for <paramref name="network"/> trained on <paramref name="train"/>; empty when it looks sound.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="train">The training rows, as the network sees them.</param>
    /// <param name="loss">The training loss.</param>
    /// <param name="inputScale">With raw features: each feature's standard deviation on the training rows, to judge the
    /// first layer's weights on a standardized scale; null when the features were standardized.</param>
    public static IReadOnlyList<string> Warnings(INetwork network, Dataset train, LossFunction loss, float[]? inputScale)
    {
        var warnings = new List<string>();
        int classes = train.ClassCount;
        var counts = new int[classes];
        foreach (int label in train.Labels)
        {
            counts[label]++;
        }

        double loss0 = Metrics.MeanLoss(network, train, loss);
        double lossConstant = Metrics.MeanLoss(ClassFrequencies(train.FeatureCount, counts, train.Count), train, loss);
        if (loss0 > lossConstant * WorseLoss)
        {
            warnings.Add(Inv($"the training loss {loss0:F4} is worse than that of always predicting the class frequencies ({lossConstant:F4}): training diverged or oscillated; try a smaller --learning-rate."));
        }

        int majority = Array.IndexOf(counts, counts.Max());
        double chance = (double)counts[majority] / train.Count;
        double accuracy = Metrics.Accuracy(network, train);
        if (accuracy <= chance)
        {
            warnings.Add(Inv($"the training accuracy {accuracy:F4} is at chance level: always predicting class {majority} scores {chance:F4}; the model learned nothing (a smaller --learning-rate, a smaller --lambda or more --epochs may help)."));
        }

        (float largest, int layer) = LargestWeight(network, inputScale);
        if (!(largest <= ExplodedWeight))
        {
            warnings.Add(Inv($"the weights exploded: the largest |weight| is {largest:G4} (layer {layer + 1}{(inputScale is null || layer > 0 ? string.Empty : ", on the scale of standardized features")}); healthy weights stay far below {ExplodedWeight:G}; try a smaller --learning-rate."));
        }

        return warnings;
    }

    /// <summary>A network that ignores its input and predicts the class frequencies: the best constant prediction under either loss.</summary>
    private static DenseNetwork ClassFrequencies(int features, int[] counts, int rows)
    {
        DenseNetwork constant = NetworkBuilder.Input(features).Dense(counts.Length, Activation.Softmax).Build();
        constant.GetWeights(0).Clear();
        Span<float> biases = constant.GetBiases(0);
        for (int k = 0; k < counts.Length; k++)
        {
            biases[k] = (float)Math.Log(Math.Max(counts[k], 1e-9) / rows);
        }

        return constant;
    }

    private static (float Largest, int Layer) LargestWeight(INetwork network, float[]? inputScale)
    {
        float largest = 0f;
        int at = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            ReadOnlySpan<float> weights = network.GetWeights(l);
            int inputs = network.Layers[l].InputSize;
            for (int i = 0; i < weights.Length; i++)
            {
                float w = Math.Abs(weights[i]);
                if (l == 0 && inputScale is not null)
                {
                    w *= inputScale[i % inputs];
                }

                if (!(w <= largest))
                {
                    (largest, at) = (w, l);
                }
            }
        }

        return (largest, at);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
