namespace L1Net.Training;

/// <summary>
/// Decides the order in which the trainer visits the rows in each epoch. This is the seam for reproducing another
/// program's sample order (for example a shuffle by a specific random generator).
/// </summary>
public interface ISampleOrder
{
    /// <summary>
    /// Rearranges <paramref name="order"/> in place before epoch <paramref name="epoch"/>. At the start of
    /// <see cref="BackPropTrainer.Train"/> the span holds <c>0, 1, ..., n - 1</c>; afterwards it carries over from epoch to
    /// epoch, so a shuffle shuffles the previous epoch's order. Every entry must stay a row index in <c>[0, n)</c>.
    /// </summary>
    /// <param name="order">The row indices of the coming epoch, rearranged in place.</param>
    /// <param name="epoch">The coming epoch, 1-based.</param>
    void Arrange(Span<int> order, int epoch);
}
