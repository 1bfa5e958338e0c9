namespace L1Net.Networks;

/// <summary>
/// Glorot (Xavier) uniform initialisation: each weight of a layer is drawn from <c>U(-r, r)</c> with
/// <c>r = sqrt(6 / (inputs + outputs))</c>; biases are set to zero. Draws come from a seeded generator, so the same seed
/// always gives the same parameters.
/// </summary>
public sealed class GlorotUniformInitializer : IParameterInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed of the random sequence.</param>
    public GlorotUniformInitializer(int seed) => Seed = seed;

    /// <summary>The seed of the random sequence.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public void Initialize(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var random = new DeterministicRandom(Seed);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            float range = MathF.Sqrt(6f / (layer.InputSize + layer.OutputSize));
            Span<float> weights = network.GetWeights(l);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = ((2f * random.NextSingle()) - 1f) * range;
            }

            network.GetBiases(l).Clear();
        }
    }
}
