using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

public class DataSplitTests
{
    private static readonly Dataset Data = Unbalanced();

    [Fact]
    public void Stratified_folds_hold_every_class_in_proportion_and_differ_in_size_by_at_most_one()
    {
        int[] fold = DataSplit.KFold(Data, 4, stratified: true, seed: 5);

        Assert.Equal(Data.Count, fold.Length);
        Assert.All(fold, f => Assert.InRange(f, 0, 3));
        int[] sizes = Enumerable.Range(0, 4).Select(f => fold.Count(x => x == f)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
        for (int c = 0; c < Data.ClassCount; c++)
        {
            int[] perFold = Enumerable.Range(0, 4).Select(f => Enumerable.Range(0, Data.Count).Count(r => fold[r] == f && Data.Labels[r] == c)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(",", perFold)}");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_and_another_seed_others()
    {
        Assert.Equal(DataSplit.KFold(Data, 5, true, 1), DataSplit.KFold(Data, 5, true, 1));
        Assert.NotEqual(DataSplit.KFold(Data, 5, true, 1), DataSplit.KFold(Data, 5, true, 2));
        Assert.NotEqual(DataSplit.KFold(Data, 5, false, 1), DataSplit.KFold(Data, 5, true, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(91)]
    public void KFold_rejects_a_fold_count_out_of_range(int folds) =>
        Assert.Throws<ArgumentOutOfRangeException>("folds", () => DataSplit.KFold(Data, folds, true, 0));

    [Fact]
    public void Stratification_needs_labels()
    {
        Dataset regression = Dataset.FromTargets(new float[,] { { 1 }, { 2 }, { 3 } }, new float[,] { { 1 }, { 2 }, { 3 } });
        Assert.Throws<ArgumentException>("stratified", () => DataSplit.KFold(regression, 2, true, 0));
        Assert.Equal(3, DataSplit.KFold(regression, 3, false, 0).Distinct().Count());
    }

    [Fact]
    public void TrainValidation_takes_the_fraction_of_each_class_and_splits_the_rows_exactly()
    {
        (Dataset train, Dataset validation) = DataSplit.TrainValidation(Data, 0.2, seed: 3);

        Assert.Equal(Data.Count, train.Count + validation.Count);
        // Classes of 60, 20 and 10 rows: 12, 4 and 2 go to validation.
        Assert.Equal([12, 4, 2], Enumerable.Range(0, 3).Select(c => validation.Labels.ToArray().Count(l => l == c)));
        var seen = new HashSet<float>();
        foreach (Dataset d in new[] { train, validation })
        {
            for (int r = 0; r < d.Count; r++)
            {
                Assert.True(seen.Add(d.GetFeatures(r)[0]), "a row is in both sets");
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void TrainValidation_rejects_a_fraction_out_of_range(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>("validationFraction", () => DataSplit.TrainValidation(Data, fraction, 0));

    [Fact]
    public void TrainValidation_rejects_a_fraction_that_leaves_a_side_empty() =>
        Assert.Throws<ArgumentException>("validationFraction", () => DataSplit.TrainValidation(Data, 0.001, 0));

    private static Dataset Unbalanced()
    {
        int[] labels = [.. Enumerable.Repeat(0, 60), .. Enumerable.Repeat(1, 20), .. Enumerable.Repeat(2, 10)];
        float[] features = Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray();
        return Dataset.FromLabels(features, 1, labels, 3);
    }
}
