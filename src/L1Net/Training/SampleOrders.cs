namespace L1Net.Training;

/// <summary>Visits rows in their stored order every epoch.</summary>
public sealed class SequentialSampleOrder : ISampleOrder
{
    /// <summary>The single instance.</summary>
    public static SequentialSampleOrder Instance { get; } = new();

    private SequentialSampleOrder()
    {
    }

    /// <inheritdoc />
    public void Arrange(Span<int> order, int epoch)
    {
    }
}

/// <summary>
/// Shuffles the rows before every epoch (Fisher-Yates, with a seeded generator: the same seed gives the same orders).
/// The generator's state carries over between epochs and between <see cref="BackPropTrainer.Train"/> calls that share
/// this instance; when <see cref="TrainerOptions.SampleOrder"/> is left null the trainer makes a fresh one from
/// <see cref="TrainerOptions.Seed"/> for every call.
/// </summary>
public sealed class ShuffledSampleOrder : ISampleOrder
{
    private DeterministicRandom _random;

    /// <summary>Creates the order.</summary>
    /// <param name="seed">Seed of the shuffles.</param>
    public ShuffledSampleOrder(int seed)
    {
        Seed = seed;
        _random = new DeterministicRandom(seed ^ 0x5EED_0DE7L);
    }

    /// <summary>The seed of the shuffles.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public void Arrange(Span<int> order, int epoch)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = _random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
