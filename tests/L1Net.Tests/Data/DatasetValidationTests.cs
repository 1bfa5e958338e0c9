namespace L1Net.Tests.Data;

/// <summary>
/// What the <see cref="Dataset"/> factories accept and build. The rejected inputs (with exception, parameter and
/// unchanged state) are rows of the bad-input catalogue, <c>Reliability/BadInputCatalogue.cs</c>.
/// </summary>
public class DatasetValidationTests
{
    [Fact]
    public void FromLabels_builds_one_hot_targets_and_copies_its_input()
    {
        var features = new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        int[] labels = [2, 0, 1];

        Dataset data = Dataset.FromLabels(features, labels, 3);
        features[0, 0] = 99;
        labels[0] = 1;

        Assert.Equal((3, 2, 3, 3), (data.Count, data.FeatureCount, data.TargetCount, data.ClassCount));
        Assert.True(data.HasLabels);
        Assert.Equal([1f, 2f], data.GetFeatures(0).ToArray());
        Assert.Equal([0f, 0f, 1f], data.GetTarget(0).ToArray());
        Assert.Equal(2, data.GetLabel(0));
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f], data.Targets.ToArray());
        Assert.Equal([2, 0, 1], data.Labels.ToArray());
    }

    [Fact]
    public void The_flat_and_two_dimensional_FromLabels_agree()
    {
        Dataset a = Dataset.FromLabels(new float[,] { { 1, 2 }, { 3, 4 } }, [1, 0], 2);
        Dataset b = Dataset.FromLabels([1f, 2f, 3f, 4f], 2, [1, 0], 2);
        Assert.Equal(Reliability.Fixtures.Fingerprint(a), Reliability.Fixtures.Fingerprint(b));
    }

    [Fact]
    public void A_single_row_and_a_single_feature_are_enough()
    {
        Dataset data = Dataset.FromLabels(new float[,] { { -0f } }, [1], 2);
        Assert.Equal(1, data.Count);
        Assert.Equal([0f, 1f], data.GetTarget(0).ToArray());
    }

    [Fact]
    public void FromOneHot_reads_the_label_from_the_position_of_the_one_and_accepts_negative_zero()
    {
        Dataset data = Dataset.FromOneHot(new float[,] { { 1 }, { 2 } }, new float[,] { { -0f, 1, 0 }, { 1, 0, 0 } });
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void FromTargets_has_no_labels()
    {
        Dataset data = Dataset.FromTargets(new float[,] { { 1 }, { 2 } }, new float[,] { { 0.5f, -7 }, { 1e30f, 0 } });
        Assert.False(data.HasLabels);
        Assert.Equal(0, data.ClassCount);
        Assert.True(data.Labels.IsEmpty);
        Assert.Equal([1e30f, 0f], data.GetTarget(1).ToArray());
    }

    [Fact]
    public void Subset_keeps_order_repeats_and_labels()
    {
        Dataset data = Dataset.FromLabels(new float[,] { { 10 }, { 20 }, { 30 } }, [0, 1, 2], 3);

        Dataset subset = data.Subset([2, 0, 2]);

        Assert.Equal(3, subset.Count);
        Assert.Equal([30f, 10f, 30f], subset.Features.ToArray());
        Assert.Equal([2, 0, 2], subset.Labels.ToArray());
        Assert.Equal(data.GetTarget(2).ToArray(), subset.GetTarget(0).ToArray());
    }

    [Fact]
    public void Errors_name_the_offending_row()
    {
        ArgumentException notOneHot = Assert.Throws<ArgumentException>("oneHot", () => Dataset.FromOneHot(new float[2, 1], new float[,] { { 1, 0 }, { 1, 1 } }));
        Assert.Contains("Row 1", notOneHot.Message, StringComparison.Ordinal);

        ArgumentOutOfRangeException label = Assert.Throws<ArgumentOutOfRangeException>("labels", () => Dataset.FromLabels(new float[3, 1], [0, 1, 5], 2));
        Assert.Contains("row 2", label.Message, StringComparison.Ordinal);
        Assert.Equal("5", label.ActualValue);

        ArgumentException nan = Assert.Throws<ArgumentException>("features", () => Dataset.FromLabels(new float[,] { { 1, 2 }, { 3, float.NaN } }, [0, 1], 2));
        Assert.Contains("element 3", nan.Message, StringComparison.Ordinal);
    }
}
