namespace L1Net.Networks;

/// <summary>
/// Draws every parameter, biases included, from <c>U(low, high)</c> with a seeded generator, in layout order
/// (layer by layer, weights row by row, then biases).
/// </summary>
public sealed class UniformInitializer : IParameterInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="low">Smallest value (inclusive), finite.</param>
    /// <param name="high">Largest value (exclusive), finite and greater than <paramref name="low"/>; <c>high - low</c> must be finite too.</param>
    /// <param name="seed">Seed of the random sequence.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, <paramref name="high"/> is not above <paramref name="low"/>, or their difference overflows a float.</exception>
    public UniformInitializer(float low, float high, int seed)
    {
        if (!float.IsFinite(low))
        {
            throw Guard.OutOfRange(nameof(low), low, "'low' must be finite.");
        }

        if (!float.IsFinite(high) || high <= low)
        {
            throw Guard.OutOfRange(nameof(high), high, Guard.Text($"'high' must be finite and greater than 'low' ({low})."));
        }

        if (!float.IsFinite(high - low))
        {
            // Every value drawn is low + (high - low) u: an infinite width would make them infinite.
            throw Guard.OutOfRange(nameof(high), high, Guard.Text($"'high' - 'low' ({high} - {low}) must be a finite float, at most {float.MaxValue}."));
        }

        Low = low;
        High = high;
        Seed = seed;
    }

    /// <summary>Smallest value drawn.</summary>
    public float Low { get; }

    /// <summary>Upper bound of the values drawn.</summary>
    public float High { get; }

    /// <summary>The seed of the random sequence.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public void Initialize(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var random = new DeterministicRandom(Seed);
        Span<float> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = Low + ((High - Low) * random.NextSingle());
        }
    }
}
