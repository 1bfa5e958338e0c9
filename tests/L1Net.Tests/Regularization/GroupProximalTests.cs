namespace L1Net.Tests.Regularization;

/// <summary>
/// The group proximal operators against their closed form (one step size) and against an independent double-precision
/// reference (one step size per value: bisection on the secular equation, and the optimality conditions).
/// </summary>
public class GroupProximalTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 1, 2, 3, 7, 16 })
        {
            foreach (int columns in new[] { 1, 3, 4, 7, 8, 9, 15, 16, 17, 33 })
            {
                data.Add(rows, columns);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Block_soft_threshold_of_columns_matches_the_closed_form(int rows, int columns)
    {
        var random = new Random((rows * 100) + columns);
        float[] matrix = RandomMatrix(random, rows, columns);
        double[] norms = ColumnNorms(matrix, rows, columns);
        double[] sorted = [.. norms.Order()];

        // A threshold halfway between two column norms, so some columns vanish and the others shrink.
        int mid = sorted.Length / 2;
        float threshold = (float)(sorted.Length == 1 ? 1.5 * sorted[0] : 0.5 * (sorted[mid - 1] + sorted[mid]));
        float[] expected = new float[matrix.Length];
        for (int c = 0; c < columns; c++)
        {
            double factor = Math.Max(0d, 1d - (threshold / norms[c]));
            for (int r = 0; r < rows; r++)
            {
                expected[(r * columns) + c] = (float)(matrix[(r * columns) + c] * factor);
            }
        }

        GroupProximal.BlockSoftThresholdColumns(matrix, rows, columns, threshold, new float[columns]);

        int zeroColumns = 0;
        for (int c = 0; c < columns; c++)
        {
            bool zero = norms[c] <= threshold;
            zeroColumns += zero ? 1 : 0;
            for (int r = 0; r < rows; r++)
            {
                float actual = matrix[(r * columns) + c];
                if (zero)
                {
                    // Exactly +0, not -0 and not a tiny remainder.
                    Assert.Equal(0, BitConverter.SingleToInt32Bits(actual));
                }
                else
                {
                    Assert.Equal(expected[(r * columns) + c], actual, 1e-5f * Math.Max(1f, MathF.Abs(expected[(r * columns) + c])));
                }
            }
        }

        Assert.True(zeroColumns >= 1);
    }

    [Fact]
    public void Shrink_factor_is_zero_up_to_the_threshold_and_linear_in_it_beyond()
    {
        Assert.Equal(0d, GroupProximal.ShrinkFactor(0d, 0d));
        Assert.Equal(0d, GroupProximal.ShrinkFactor(0.5, 0.5));
        Assert.Equal(0d, GroupProximal.ShrinkFactor(0.4, 0.5));
        Assert.Equal(0.75, GroupProximal.ShrinkFactor(2d, 0.5));
        Assert.Equal(1d, GroupProximal.ShrinkFactor(3d, 0d));
    }

    [Fact]
    public void Diagonal_operator_with_equal_steps_is_the_block_soft_threshold()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(1, 20);
            double[] v = RandomVector(random, n);
            double t = 0.01 + random.NextDouble();
            double lambda = random.NextDouble() * 3;
            double norm = Math.Sqrt(v.Sum(x => x * x));
            double factor = GroupProximal.ShrinkFactor(norm, t * lambda);

            double[] u = (double[])v.Clone();
            GroupProximal.DiagonalGroupProx(u, Enumerable.Repeat(t, n).ToArray(), lambda);

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(v[i] * factor, u[i], 1e-12);
            }
        }
    }

    [Fact]
    public void Diagonal_operator_matches_a_bisection_reference_and_satisfies_the_optimality_conditions()
    {
        var random = new Random(11);
        int zeros = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            int n = random.Next(1, 24);
            double[] v = RandomVector(random, n);

            // Step sizes spread over four decades, as Adam's are.
            double[] t = [.. Enumerable.Range(0, n).Select(_ => Math.Pow(10, -4 + (4 * random.NextDouble())))];
            double scaledNorm = Math.Sqrt(v.Select((x, i) => x / t[i]).Sum(q => q * q));
            double lambda = scaledNorm * (0.2 + (1.6 * random.NextDouble()));

            double[] u = (double[])v.Clone();
            double radius = GroupProximal.DiagonalGroupProx(u, t, lambda);

            if (scaledNorm <= lambda)
            {
                zeros++;
                Assert.Equal(0d, radius);
                Assert.All(u, x => Assert.Equal(0d, x));
                continue;
            }

            double reference = BisectionRadius(v, t, lambda);
            Assert.Equal(reference, radius, 1e-10 * Math.Max(1d, reference));
            double norm = Math.Sqrt(u.Sum(x => x * x));
            Assert.Equal(radius, norm, 1e-10 * Math.Max(1d, norm));

            // Stationarity: (u_i - v_i) / t_i + lambda u_i / ||u|| = 0, relative to the size of the terms.
            for (int i = 0; i < n; i++)
            {
                double residual = ((u[i] - v[i]) / t[i]) + (lambda * u[i] / norm);
                double scale = Math.Abs(v[i] / t[i]) + lambda;
                Assert.True(Math.Abs(residual) <= 1e-9 * scale, $"trial {trial}: residual {residual} at {i}, scale {scale}");
            }

            // The objective cannot be lowered by nearby points.
            double best = Objective(u, v, t, lambda);
            for (int probe = 0; probe < 20; probe++)
            {
                double[] w = [.. u.Select((x, i) => x + (1e-3 * t[i] * ((random.NextDouble() * 2) - 1)))];
                Assert.True(Objective(w, v, t, lambda) >= best - 1e-12 * Math.Max(1, best));
            }
        }

        Assert.InRange(zeros, 200, 1800);
    }

    [Fact]
    public void Diagonal_operator_zeroes_the_group_exactly_when_the_scaled_norm_is_at_most_lambda()
    {
        double[] t = [0.5, 0.25];
        double[] v = [0.3, 0.1];

        // ||v / t|| = ||(0.6, 0.4)|| = 0.7211...
        double scaled = Math.Sqrt((0.6 * 0.6) + (0.4 * 0.4));
        double[] below = (double[])v.Clone();
        double[] above = (double[])v.Clone();

        Assert.Equal(0d, GroupProximal.DiagonalGroupProx(below, t, scaled + 1e-12));
        Assert.True(GroupProximal.DiagonalGroupProx(above, t, scaled - 1e-6) > 0d);
        Assert.Equal([0d, 0d], below);
        Assert.All(above, x => Assert.NotEqual(0d, x));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 3)]
    [InlineData(16, 17)]
    [InlineData(5, 64)]
    public void Diagonal_operator_on_float_columns_matches_the_double_reference(int rows, int columns)
    {
        var random = new Random(rows + (1000 * columns));
        float[] matrix = RandomMatrix(random, rows, columns);
        float[] steps = [.. Enumerable.Range(0, matrix.Length).Select(_ => (float)Math.Pow(10, -3 + (3 * random.NextDouble())))];
        // A strength at the median of the columns' ||v / t||, so about half of them vanish.
        double[] scaledNorms = [.. Enumerable.Range(0, columns).Select(c => Math.Sqrt(Enumerable.Range(0, rows).Sum(r => Math.Pow(matrix[(r * columns) + c] / (double)steps[(r * columns) + c], 2)))).Order()];
        double lambda = scaledNorms[columns / 2] * 0.999;
        float[] original = (float[])matrix.Clone();

        GroupProximal.DiagonalGroupProxColumns(matrix, steps, rows, columns, lambda, new double[rows], new double[rows]);

        int zeroColumns = 0;
        for (int c = 0; c < columns; c++)
        {
            double[] v = [.. Enumerable.Range(0, rows).Select(r => (double)original[(r * columns) + c])];
            double[] t = [.. Enumerable.Range(0, rows).Select(r => (double)steps[(r * columns) + c])];
            double scaled = Math.Sqrt(v.Select((x, i) => x / t[i]).Sum(q => q * q));
            double radius = scaled <= lambda ? 0d : BisectionRadius(v, t, lambda);
            zeroColumns += radius == 0d ? 1 : 0;
            for (int r = 0; r < rows; r++)
            {
                double expected = radius == 0d ? 0d : v[r] * radius / (radius + (t[r] * lambda));
                float actual = matrix[(r * columns) + c];
                if (radius == 0d)
                {
                    Assert.Equal(0, BitConverter.SingleToInt32Bits(actual));
                }
                else
                {
                    Assert.Equal(expected, actual, 1e-6 * Math.Max(1d, Math.Abs(expected)));
                }
            }
        }

        Assert.True(zeroColumns > 0 && zeroColumns < columns || columns < 4, $"{zeroColumns} of {columns} columns vanished");
    }

    [Fact]
    public void Soft_threshold_then_group_threshold_is_the_sparse_group_proximal_operator()
    {
        // KKT of min l1 |u|_1 + lg ||u|| + sum (u_i - v_i)^2 / (2 t_i), for the composition the regularizer applies.
        var random = new Random(23);
        for (int trial = 0; trial < 1000; trial++)
        {
            int n = random.Next(1, 12);
            double[] v = RandomVector(random, n);
            double[] t = [.. Enumerable.Range(0, n).Select(_ => Math.Pow(10, -2 + (2 * random.NextDouble())))];
            double l1 = random.NextDouble() * 2;
            double lg = random.NextDouble() * 4;

            double[] u = [.. v.Select((x, i) => Math.Sign(x) * Math.Max(0, Math.Abs(x) - (t[i] * l1)))];
            GroupProximal.DiagonalGroupProx(u, t, lg);

            double norm = Math.Sqrt(u.Sum(x => x * x));
            if (norm == 0)
            {
                double shrunk = Math.Sqrt(v.Select((x, i) => Math.Max(0, Math.Abs(x / t[i]) - l1)).Sum(q => q * q));
                Assert.True(shrunk <= lg + 1e-12, $"trial {trial}: zero group but ||soft(v/t, l1)|| = {shrunk} > {lg}");
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                if (u[i] == 0)
                {
                    Assert.True(Math.Abs(v[i] / t[i]) <= l1 + 1e-12);
                }
                else
                {
                    double residual = ((u[i] - v[i]) / t[i]) + (l1 * Math.Sign(u[i])) + (lg * u[i] / norm);
                    Assert.True(Math.Abs(residual) <= 1e-9 * (Math.Abs(v[i] / t[i]) + l1 + lg), $"trial {trial}: residual {residual}");
                }
            }
        }
    }

    [Fact]
    public void Sum_of_column_norms_matches_the_definition()
    {
        float[] m = [3f, 1f, 4f, -1f]; // 2 x 2: columns (3, 4) and (1, -1)
        Assert.Equal(5d + Math.Sqrt(2d), GroupProximal.SumOfColumnNorms(m, 2, 2), 12);
    }

    /// <summary>The root of sum v_i^2 / (r + t_i lambda)^2 = 1 by plain bisection on [0, ||v||] (the function decreases).</summary>
    internal static double BisectionRadius(double[] v, double[] t, double lambda)
    {
        double lo = 0;
        double hi = Math.Sqrt(v.Sum(x => x * x));
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            double phi = v.Select((x, k) => x / (mid + (t[k] * lambda))).Sum(q => q * q);
            if (phi > 1)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    private static double Objective(double[] u, double[] v, double[] t, double lambda) =>
        (lambda * Math.Sqrt(u.Sum(x => x * x))) + u.Select((x, i) => (x - v[i]) * (x - v[i]) / (2 * t[i])).Sum();

    private static float[] RandomMatrix(Random random, int rows, int columns) =>
        [.. Enumerable.Range(0, rows * columns).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static double[] RandomVector(Random random, int n) => [.. Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1)];

    private static double[] ColumnNorms(float[] m, int rows, int columns) =>
        [.. Enumerable.Range(0, columns).Select(c => Math.Sqrt(Enumerable.Range(0, rows).Sum(r => (double)m[(r * columns) + c] * m[(r * columns) + c])))];
}
