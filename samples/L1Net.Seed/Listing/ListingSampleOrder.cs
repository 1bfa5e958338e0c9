using L1Net.Training;

namespace L1Net.Seed;

/// <summary>
/// The listing's epoch order: before every epoch, <c>self.rnd.shuffle(indices)</c> on the list of row indices, which
/// carries over from epoch to epoch (it is shuffled again, not rebuilt). L1Net's trainer hands the same span back every
/// epoch, so shuffling it in place with CPython's algorithm gives the listing's order exactly.
/// </summary>
public sealed class ListingSampleOrder : ISampleOrder
{
    private readonly PyRandom _random;

    /// <summary>Creates the order.</summary>
    /// <param name="random">The generator to shuffle with: the same object that drew the initial parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public ListingSampleOrder(PyRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc />
    public void Arrange(Span<int> order, int epoch) => _random.Shuffle(order);
}
