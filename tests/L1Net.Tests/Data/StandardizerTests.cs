using L1Net.Tests.Support;

namespace L1Net.Tests.Data;

public class StandardizerTests
{
    private static readonly Dataset Train = Dataset.FromLabels(
        new float[,] { { 1, 100, 5 }, { 2, 300, 5 }, { 3, 200, 5 }, { 6, 400, 5 } }, [0, 1, 0, 1], classCount: 2);

    [Fact]
    public void Fits_mean_and_population_standard_deviation_in_double_precision()
    {
        Standardizer s = new Standardizer().Fit(Train);

        Assert.True(s.IsFitted);
        Assert.Equal(3, s.FeatureCount);
        Assert.Equal([3f, 250f, 5f], s.Means.ToArray());
        Assert.Equal((float)Math.Sqrt(3.5), s.Scales[0]);
        Assert.Equal((float)Math.Sqrt(12500), s.Scales[1]);
        Assert.Equal(1f, s.Scales[2]); // constant column: scale 1, only centred
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(784)]
    public void Statistics_are_the_scalar_two_pass_formula_bit_for_bit_at_every_width(int features)
    {
        // Vector lanes hold different features, each summed over the rows in order: the same bits as the plain loop
        // (run under DOTNET_EnableAVX512=0, DOTNET_EnableAVX=0 and DOTNET_EnableHWIntrinsic=0 as well).
        var random = new Random(features);
        const int rows = 37;
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(((random.NextDouble() * 2) - 1) * Math.Pow(10, random.Next(-3, 6)));
        }

        Dataset data = Dataset.FromLabels(x, features, new int[rows], classCount: 2);
        var mean = new double[features];
        var sd = new double[features];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < features; c++)
            {
                mean[c] += x[(r * features) + c];
            }
        }

        for (int c = 0; c < features; c++)
        {
            mean[c] /= rows;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < features; c++)
            {
                double d = x[(r * features) + c] - mean[c];
                sd[c] += d * d;
            }
        }

        (double[] actualMean, double[] actualSd) = Standardizer.Statistics(data);
        for (int c = 0; c < features; c++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(mean[c]), BitConverter.DoubleToInt64Bits(actualMean[c]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Sqrt(sd[c] / rows)), BitConverter.DoubleToInt64Bits(actualSd[c]));
        }
    }

    [Fact]
    public void Transformed_training_rows_have_mean_0_and_deviation_1_and_a_constant_column_becomes_0()
    {
        Dataset t = new Standardizer().Fit(Train).Transform(Train);
        for (int c = 0; c < 2; c++)
        {
            double[] column = [.. Enumerable.Range(0, t.Count).Select(r => (double)t.GetFeatures(r)[c])];
            Assert.Equal(0, column.Average(), 6);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 6);
        }

        Assert.All(Enumerable.Range(0, t.Count), r => Assert.Equal(0f, t.GetFeatures(r)[2]));
        Assert.Equal(Train.Labels.ToArray(), t.Labels.ToArray());
        Assert.Equal(Train.Targets.ToArray(), t.Targets.ToArray());
    }

    [Fact]
    public void Span_transform_matches_the_formula_works_in_place_on_many_rows_and_allocates_nothing()
    {
        Standardizer s = new Standardizer().Fit(Train);
        float[] rows = [10, 0, 5, -1, 1000, 7];
        float[] expected = [.. rows.Select((x, i) => (x - s.Means[i % 3]) / s.Scales[i % 3])];
        var destination = new float[6];

        s.Transform(rows, destination);
        s.Transform(rows, destination);
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.Transform(rows, destination);
        s.Transform(rows, rows); // in place
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, destination);
        Assert.Equal(expected, rows);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fit_leaves_the_unfitted_step_unchanged_and_an_unfitted_step_refuses_to_transform()
    {
        var unfitted = new Standardizer();
        _ = unfitted.Fit(Train);
        Assert.False(unfitted.IsFitted);
        Assert.Equal(0, unfitted.FeatureCount);
        Assert.Throws<InvalidOperationException>(() => unfitted.Transform(Train));
        Assert.Throws<InvalidOperationException>(() => unfitted.Transform(new float[3], new float[3]));
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Standardizer s = new Standardizer().Fit(Train);
        Assert.Throws<ArgumentException>("features", () => s.Transform(new float[4], new float[4]));
        Assert.Throws<ArgumentException>("features", () => s.Transform([], []));
        Assert.Throws<ArgumentException>("destination", () => s.Transform(new float[3], new float[6]));
        Assert.Throws<ArgumentException>("data", () => s.Transform(Dataset.FromLabels(new float[,] { { 1, 2 }, { 3, 4 } }, [0, 1], 2)));
        Assert.Throws<ArgumentNullException>("trainingRows", () => new Standardizer().Fit(null!));
        Assert.Throws<ArgumentException>("means", () => Standardizer.FromStatistics([], []));
        Assert.Throws<ArgumentException>("scales", () => Standardizer.FromStatistics([1f, 2f], [1f]));
        Assert.Throws<ArgumentException>("means", () => Standardizer.FromStatistics([float.NaN], [1f]));
        Assert.Throws<ArgumentException>("scales", () => Standardizer.FromStatistics([0f], [0f]));
        Assert.Throws<ArgumentException>("scales", () => Standardizer.FromStatistics([0f], [float.PositiveInfinity]));
    }

    [Fact]
    public void A_transform_that_overflows_is_refused_rather_than_producing_infinity()
    {
        Standardizer tiny = Standardizer.FromStatistics([0f], [1e-30f]);
        Dataset data = Dataset.FromLabels(new float[,] { { 3e38f }, { 1f } }, [0, 1], 2);
        Assert.Throws<ArgumentException>("data", () => tiny.Transform(data));
    }

    [Fact]
    public void FromStatistics_rebuilds_the_same_transform_and_the_name_is_culture_invariant()
    {
        Standardizer s = new Standardizer().Fit(Train);
        Standardizer copy = Standardizer.FromStatistics(s.Means, s.Scales);
        Assert.Equal(s.Transform(Train).Features.ToArray(), copy.Transform(Train).Features.ToArray());

        using var scope = new CultureScope("ar-SA");
        Assert.Equal("Standardizer(3 features)", copy.Name);
    }
}
