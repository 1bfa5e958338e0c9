namespace L1Net.CustomRegularizer.Tests;

public class FanInGroupPenaltyTests
{
    private static float[] Matrix(ParameterShape shape, int seed)
    {
        float[] w = Reference.Values(shape.Length, seed, scale: 0.5f);
        w.AsSpan(0, shape.Columns).Clear(); // a dead unit: its whole fan-in is 0
        w.AsSpan(shape.Columns, shape.Columns).Fill(0.002f); // a fan-in whose norm is about eps, where the curvature is
        return w;
    }

    [Fact]
    public void Gradient_matches_finite_differences_of_the_penalty_in_double()
    {
        ParameterShape shape = ParameterShape.ForWeights(0, inputs: 13, outputs: 6);
        float[] w = Matrix(shape, seed: 60);
        var penalty = new FanInGroupPenalty(0.05f, 0.01f);

        double[] numeric = Reference.PenaltyGradient(penalty, w, shape, step: 1e-4f);
        double[] analytic = Reference.SmoothGradient(penalty, w, shape);

        Reference.AssertClose(numeric, analytic, relative: 1e-5, absolute: 1e-9);
    }

    [Fact]
    public void Penalty_and_gradient_are_the_formula_in_double()
    {
        ParameterShape shape = ParameterShape.ForWeights(1, inputs: 5, outputs: 4);
        float[] w = Matrix(shape, seed: 61);
        const double lambda = 0.125, eps = 0.0625;
        var penalty = new FanInGroupPenalty((float)lambda, (float)eps);

        double expected = 0;
        var rowScale = new double[shape.Rows];
        for (int o = 0; o < shape.Rows; o++)
        {
            double norm = Math.Sqrt(w.Skip(o * shape.Columns).Take(shape.Columns).Sum(v => (double)v * v));
            expected += lambda * (Math.Sqrt((norm * norm) + (eps * eps)) - eps);
            rowScale[o] = lambda / Math.Sqrt((norm * norm) + (eps * eps));
        }

        Assert.Equal(expected, penalty.Penalty(w, shape), expected * 1e-12);
        var g = new float[w.Length];
        penalty.AddGradient(w, g, shape);
        Reference.AssertClose([.. w.Select((v, k) => rowScale[k / shape.Columns] * v)], [.. g.Select(v => (double)v)], relative: 1e-6);
    }

    [Fact]
    public void Any_block_of_whole_rows_gets_what_the_whole_matrix_gets_to_the_bit()
    {
        ParameterShape whole = ParameterShape.ForWeights(0, inputs: 13, outputs: 7);
        float[] w = Matrix(whole, seed: 62);
        var penalty = new FanInGroupPenalty(0.05f, 0.01f);
        float[] expected = Reference.Values(w.Length, seed: 63);
        float[] blocks = (float[])expected.Clone();
        penalty.AddGradient(w, expected, whole);

        foreach ((int first, int count) in new[] { (0, 1), (1, 4), (5, 2) })
        {
            ParameterShape block = whole.SliceRows(first, count);
            penalty.AddGradient(w.AsSpan(block.Offset, block.Length), blocks.AsSpan(block.Offset, block.Length), block);
        }

        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void Biases_are_not_penalized()
    {
        var penalty = new FanInGroupPenalty(0.05f, 0.01f);
        ParameterShape biases = ParameterShape.ForBiases(0, 4);
        float[] b = [1f, -2f, 3f, 0.5f];
        float[] g = [0.25f, 0f, 0f, 0f];
        Assert.Equal(0d, penalty.Penalty(b, biases));
        penalty.AddGradient(b, g, biases);
        Assert.Equal([0.25f, 0f, 0f, 0f], g);
        Assert.Equal(RegularizerCoupling.Rows, ((IRegularizer)penalty).Coupling);
    }

    [Theory]
    [InlineData("per-sample SGD")]
    [InlineData("wide mini-batch 64 SGD, 2 threads, row blocks, biases")]
    [InlineData("mini-batch 8 Adam")]
    public void Training_on_blocks_of_rows_gives_the_bits_of_training_on_whole_matrices(string settingName)
    {
        // Under Rows coupling the mini-batch engine hands the regularizer blocks of rows from its worker threads; declared
        // Whole, the same regularizer gets whole matrices on the calling thread. A regularizer that read outside its rows
        // would train differently (or throw).
        Reference.Setting setting = Reference.SettingNamed(settingName);
        var recorder = new Recording(new FanInGroupPenalty(0.05f, 0.01f));
        float[] rows = Reference.Train(recorder, setting);
        Assert.NotEqual(Reference.Train(Regularizer.None, setting), rows);
        Assert.Equal(setting.Threads > 1, recorder.SawBlocks); // the wide setting really splits the matrices
        Assert.Equal(rows, Reference.Train(new WholeMatrices(new FanInGroupPenalty(0.05f, 0.01f)), setting));
    }

    /// <summary>Forwards every member and records whether it was given a block smaller than a whole matrix.</summary>
    private sealed class Recording(IRegularizer inner) : IRegularizer
    {
        private int _blocks;

        public bool SawBlocks => Volatile.Read(ref _blocks) > 0;

        public string Name => inner.Name;

        public RegularizerCoupling Coupling => inner.Coupling;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            if (!shape.IsWhole)
            {
                Interlocked.Increment(ref _blocks);
            }

            inner.AddGradient(values, gradient, shape);
        }
    }

    /// <summary>Forwards every member, but declares <see cref="RegularizerCoupling.Whole"/>.</summary>
    private sealed class WholeMatrices(IRegularizer inner) : IRegularizer
    {
        public string Name => inner.Name;

        public RegularizerCoupling Coupling => RegularizerCoupling.Whole;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            Assert.True(shape.IsWhole);
            inner.AddGradient(values, gradient, shape);
        }
    }
}
