namespace L1Net.CustomRegularizer.Tests;

public class SmoothL1Tests
{
    public static TheoryData<string> Implementations() => new("scalar", "Vector<T>");

    private static IRegularizer Create(string implementation, float lambda, float epsilon) =>
        implementation == "scalar" ? new SmoothL1(lambda, epsilon) : new SmoothL1Vectorized(lambda, epsilon);

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Gradient_matches_finite_differences_of_the_penalty_in_double(string implementation)
    {
        // Values across the smoothing width (|w| ~ eps, where the curvature is) and far from it.
        float[] w = [.. Reference.Values(29, seed: 3), .. Reference.Values(29, seed: 4, scale: 0.03f)];
        ParameterShape shape = ParameterShape.ForWeights(0, inputs: w.Length, outputs: 1);
        IRegularizer smooth = Create(implementation, 0.3f, 0.01f);

        double[] numeric = Reference.PenaltyGradient(smooth, w, shape, step: 1e-4f);
        double[] analytic = Reference.SmoothGradient(smooth, w, shape);

        Reference.AssertClose(numeric, analytic, relative: 1e-5, absolute: 1e-9);
        Assert.Equal(0f, smooth.WeightDecay);
        Assert.Equal(0f, smooth.SignCoefficient);
        Assert.True(smooth.HasGradient);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Penalty_and_gradient_are_the_formula_in_double(string implementation)
    {
        float[] w = Reference.Values(40, seed: 5, scale: 2f);
        const double lambda = 0.125, eps = 0.0625;
        IRegularizer smooth = Create(implementation, (float)lambda, (float)eps);
        ParameterShape shape = ParameterShape.Vector(w.Length);

        double expected = lambda * w.Sum(v => Math.Sqrt(((double)v * v) + (eps * eps)) - eps);
        Assert.Equal(expected, smooth.Penalty(w, shape), expected * 1e-12);

        float[] g = [.. Enumerable.Repeat(0.5f, w.Length)];
        smooth.AddGradient(w, g, shape);
        Reference.AssertClose([.. w.Select(v => 0.5 + (lambda * v / Math.Sqrt(((double)v * v) + (eps * eps))))], [.. g.Select(v => (double)v)], relative: 1e-6);
    }

    [Fact]
    public void Scalar_and_Vector_versions_add_the_same_bits_at_every_length()
    {
        var random = new Random(8);
        float[] special = [0f, -0f, 1e-30f, -1e-30f, float.Epsilon, 1e-45f, 3.5e-3f, -7f, 1e10f, -1e10f, 0.01f, -0.01f];
        foreach (int length in Enumerable.Range(0, 41).Concat([63, 64, 65, 1000]))
        {
            float[] w = [.. Enumerable.Range(0, length).Select(i => i % 5 == 0 ? special[(i / 5) % special.Length] : (float)((random.NextDouble() * 4) - 2))];
            float[] start = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5))];
            float[] scalar = (float[])start.Clone();
            float[] vector = (float[])start.Clone();
            ParameterShape shape = ParameterShape.Vector(Math.Max(length, 1));
            new SmoothL1(0.003f, 0.01f).AddGradient(w, scalar, shape);
            new SmoothL1Vectorized(0.003f, 0.01f).AddGradient(w, vector, shape);
            Assert.Equal(scalar.Select(BitConverter.SingleToInt32Bits), vector.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [MemberData(nameof(Reference.Settings), MemberType = typeof(Reference))]
    public void Scalar_and_Vector_versions_train_to_the_same_bits(string settingName)
    {
        Reference.Setting setting = Reference.SettingNamed(settingName);
        float[] scalar = Reference.Train(new SmoothL1(0.01f, 0.01f), setting);
        Assert.NotEqual(Reference.Train(Regularizer.None, setting), scalar); // the penalty does something in this setting
        Assert.Equal(scalar, Reference.Train(new SmoothL1Vectorized(0.01f, 0.01f), setting));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Any_block_of_rows_gets_what_the_whole_matrix_gets(string implementation)
    {
        IRegularizer smooth = Create(implementation, 0.02f, 0.01f);
        ParameterShape whole = ParameterShape.ForWeights(1, inputs: 11, outputs: 7);
        float[] w = Reference.Values(whole.Length, seed: 9);
        var expected = new float[w.Length];
        smooth.AddGradient(w, expected, whole);

        var blocks = new float[w.Length];
        foreach ((int first, int count) in new[] { (0, 3), (3, 1), (4, 3) })
        {
            ParameterShape block = whole.SliceRows(first, count);
            smooth.AddGradient(w.AsSpan(block.Offset, block.Length), blocks.AsSpan(block.Offset, block.Length), block);
        }

        Assert.Equal(expected, blocks);
    }

    [Theory]
    [InlineData(-1f, 0.1f, "lambda")]
    [InlineData(float.NaN, 0.1f, "lambda")]
    [InlineData(0.1f, 0f, "epsilon")]
    [InlineData(0.1f, float.PositiveInfinity, "epsilon")]
    public void Rejects_arguments_out_of_range_naming_them(float lambda, float epsilon, string name)
    {
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothL1(lambda, epsilon)).ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothL1Vectorized(lambda, epsilon)).ParamName);
    }
}
