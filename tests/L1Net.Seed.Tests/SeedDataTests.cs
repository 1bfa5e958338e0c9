using L1Net.Seed;

namespace L1Net.Seed.Tests;

// Expected values come from the pure-Python reference (samples/L1Net.Seed/reference/seed_data_reference.py) run with CPython.
public class SeedDataTests
{
    [Fact]
    public void Training_rows_have_the_article_class_counts() =>
        Assert.Equal([45, 54, 76, 25], SeedData.Train().CountPerClass());

    [Fact]
    public void Test_rows_have_the_article_class_counts() =>
        Assert.Equal([10, 11, 12, 7], SeedData.Test().CountPerClass());

    [Fact]
    public void First_training_row_is_bit_exact()
    {
        SeedRows train = SeedData.Train();
        float[] expected = [-2.2156355f, -0.31230935f, -1.328758f, -0.85185194f, -1.4477483f, 2.5232933f, -3.8583138f, 2.1599348f, -7.837946f, -3.1673007f];
        Assert.Equal(expected, train.GetFeatures(0).ToArray());
        Assert.Equal(0, train.Labels[0]);
        Assert.Equal(1, train.Labels[1]);
    }

    [Fact]
    public void Test_labels_are_the_article_labels()
    {
        int[] expected = [2, 1, 0, 1, 0, 0, 0, 3, 2, 2, 0, 2, 1, 1, 3, 3, 0, 2, 1, 0, 2, 2, 0, 2, 3, 2, 3, 1, 0, 3, 3, 2, 1, 1, 1, 2, 1, 2, 1, 0];
        Assert.Equal(expected, SeedData.Test().Labels);
    }

    [Fact]
    public void Inputs_are_drawn_from_the_row_seed_as_16_random_minus_8()
    {
        var random = new PyRandom(SeedData.ArticleTrainSeed);
        ReadOnlySpan<float> features = SeedData.Train().Features.Span;
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal((float)((16.0 * random.Random()) - 8.0), features[i]);
        }
    }

    [Fact]
    public void Generator_parameters_are_uniform_draws_from_the_generator_seed()
    {
        float[] parameters = SeedData.GeneratorParameters(SeedData.ArticleGeneratorSeed);
        Assert.Equal(SeedData.GeneratorParameterCount, parameters.Length);
        Assert.Equal((float)((19.8 * 0.23796462709189137) - 9.9), parameters[0]);
        Assert.All(parameters, p => Assert.InRange(p, -9.9f, 9.9f));
    }

    [Fact]
    public void ToDataset_keeps_features_and_labels()
    {
        SeedRows rows = SeedData.Test();
        Dataset data = rows.ToDataset();
        Assert.Equal(rows.RowCount, data.Count);
        Assert.Equal(rows.Features.ToArray(), data.Features.ToArray());
        Assert.Equal(rows.Labels, data.Labels.ToArray());
        Assert.Equal(rows.CreateOneHotTargets(), data.Targets.ToArray());
    }

    [Fact]
    public void Other_seeds_give_other_data()
    {
        SeedRows a = SeedData.MakeRows(3, 16, 20);
        SeedRows b = SeedData.MakeRows(4, 16, 20);
        SeedRows c = SeedData.MakeRows(3, 17, 20);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.NotEqual(a.Labels, b.Labels);
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
    }

    [Fact]
    public void MakeRows_rejects_negative_arguments()
    {
        Assert.Equal("seedForGenerator", Assert.Throws<ArgumentOutOfRangeException>(() => SeedData.MakeRows(-1, 0, 1)).ParamName);
        Assert.Equal("seedForRows", Assert.Throws<ArgumentOutOfRangeException>(() => SeedData.MakeRows(0, -1, 1)).ParamName);
        Assert.Equal("rowCount", Assert.Throws<ArgumentOutOfRangeException>(() => SeedData.MakeRows(0, 0, -1)).ParamName);
    }
}
