namespace L1Net.Selection;

/// <summary>
/// Seeded splits of a <see cref="Dataset"/> for model selection: k-fold assignments (stratified by class when the data
/// has labels) and a train/validation split for early stopping. The same seed gives the same split on every platform.
/// </summary>
public static class DataSplit
{
    /// <summary>
    /// Assigns every row to one of <paramref name="folds"/> folds. Rows are shuffled with a generator seeded by
    /// <paramref name="seed"/>, then dealt to the folds in turn; stratified, each class is shuffled and dealt in turn, the
    /// dealing continuing from class to class, so every fold holds each class in proportion (to within one row) and fold
    /// sizes differ by at most one.
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="folds">Number of folds, from 2 to <c>data.Count</c>.</param>
    /// <param name="stratified">Whether to balance the classes across folds; needs labels when true.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>The fold, in <c>[0, folds)</c>, of each row.</returns>
    /// <exception cref="ArgumentException"><paramref name="folds"/> is out of range, or <paramref name="stratified"/> is set and the data has no labels.</exception>
    public static int[] KFold(Dataset data, int folds, bool stratified, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2 || folds > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"'{nameof(folds)}' must be between 2 and the number of rows ({data.Count}), but was {folds}.");
        }

        if (stratified && !data.HasLabels)
        {
            throw new ArgumentException("A stratified split needs a dataset with class labels.", nameof(stratified));
        }

        var assignment = new int[data.Count];
        int next = 0;
        var random = new DeterministicRandom(seed ^ 0x0F01_D5EEDL);
        foreach (int[] group in Groups(data, stratified))
        {
            Shuffle(group, ref random);
            foreach (int row in group)
            {
                assignment[row] = next;
                next = (next + 1) % folds;
            }
        }

        return assignment;
    }

    /// <summary>
    /// Splits the rows into a training and a validation set, the validation set holding about
    /// <paramref name="validationFraction"/> of the rows (of each class, when stratified), chosen by a seeded shuffle.
    /// </summary>
    /// <param name="data">The data, at least 2 rows.</param>
    /// <param name="validationFraction">Fraction of rows for validation, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="stratified">Whether to take the fraction from each class; needs labels when true. Default true.</param>
    /// <returns>The two sets; each row is in exactly one, in its original order.</returns>
    /// <exception cref="ArgumentException">The fraction is out of range, it leaves one side empty, or <paramref name="stratified"/> is set and the data has no labels.</exception>
    public static (Dataset Train, Dataset Validation) TrainValidation(Dataset data, double validationFraction, int seed, bool stratified = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw Guard.OutOfRange(nameof(validationFraction), validationFraction, Guard.Text($"'{nameof(validationFraction)}' must be in (0, 1), but was {validationFraction}."));
        }

        if (stratified && !data.HasLabels)
        {
            throw new ArgumentException("A stratified split needs a dataset with class labels.", nameof(stratified));
        }

        var isValidation = new bool[data.Count];
        var random = new DeterministicRandom(seed ^ 0x7A11_D5EEDL);
        int validationRows = 0;
        foreach (int[] group in Groups(data, stratified))
        {
            Shuffle(group, ref random);
            int take = (int)Math.Round(validationFraction * group.Length, MidpointRounding.AwayFromZero);
            for (int i = 0; i < take; i++)
            {
                isValidation[group[i]] = true;
            }

            validationRows += take;
        }

        if (validationRows == 0 || validationRows == data.Count)
        {
            throw new ArgumentException(Guard.Text($"A validation fraction of {validationFraction} of {data.Count} rows leaves the {(validationRows == 0 ? "validation" : "training")} set empty."), nameof(validationFraction));
        }

        int[] train = Enumerable.Range(0, data.Count).Where(r => !isValidation[r]).ToArray();
        int[] validation = Enumerable.Range(0, data.Count).Where(r => isValidation[r]).ToArray();
        return (data.Subset(train), data.Subset(validation));
    }

    private static IEnumerable<int[]> Groups(Dataset data, bool stratified)
    {
        if (!stratified)
        {
            yield return Enumerable.Range(0, data.Count).ToArray();
            yield break;
        }

        var byClass = new List<int>[data.ClassCount];
        for (int c = 0; c < byClass.Length; c++)
        {
            byClass[c] = [];
        }

        for (int r = 0; r < data.Count; r++)
        {
            byClass[data.Labels[r]].Add(r);
        }

        foreach (List<int> rows in byClass)
        {
            yield return [.. rows];
        }
    }

    private static void Shuffle(int[] rows, ref DeterministicRandom random)
    {
        for (int i = rows.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}
