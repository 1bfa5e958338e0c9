using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// The proximal operators of the group lasso penalty <c>lambda_g ||w_g||_2</c>, on the columns of a row-major matrix (one
/// group per column: an input's or a hidden unit's fan-out). Two forms: one step size for the whole matrix (SGD, momentum),
/// where the operator is the closed-form block soft-threshold, and one step size per value (Adam's diagonal metric), where
/// it is found by a one-dimensional root-find. See <c>docs/math.md</c>, "Group lasso", for the derivation.
/// </summary>
internal static class GroupProximal
{
    /// <summary>The most Newton or bisection steps the per-value operator takes (it converges in far fewer).</summary>
    private const int MaxIterations = 200;

    /// <summary>
    /// The factor <c>max(0, 1 - threshold / norm)</c> by which the block soft-threshold scales a group of Euclidean norm
    /// <paramref name="norm"/>: the proximal operator of <c>threshold * ||w||</c> is <c>w * factor</c>.
    /// </summary>
    public static double ShrinkFactor(double norm, double threshold) => norm <= threshold ? 0d : 1d - (threshold / norm);

    /// <summary><c>sums[c] = sum over rows r of m[r, c]^2</c>, the squared norm of every column.</summary>
    public static void ColumnSumsOfSquares(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> sums)
    {
        Span<float> s = sums[..columns];
        s.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.Slice(r * columns, columns);
            TensorPrimitives.MultiplyAdd(row, row, s, s);
        }
    }

    /// <summary>
    /// The block soft-threshold of every column of a <paramref name="rows"/> x <paramref name="columns"/> row-major matrix:
    /// <c>w_c = max(0, 1 - threshold / ||w_c||) w_c</c>, the proximal operator of <c>threshold * sum_c ||w_c||</c> with
    /// step size 1 (pass <c>eta * lambda_g</c> as <paramref name="threshold"/>). A column whose norm is at most the threshold
    /// becomes exactly zero (+0).
    /// </summary>
    /// <param name="matrix">The matrix, changed in place.</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="columns">Its columns.</param>
    /// <param name="threshold">The threshold, at least 0.</param>
    /// <param name="scratch">At least <paramref name="columns"/> floats of scratch space.</param>
    public static void BlockSoftThresholdColumns(Span<float> matrix, int rows, int columns, float threshold, Span<float> scratch)
    {
        Span<float> factors = scratch[..columns];
        ColumnSumsOfSquares(matrix, rows, columns, factors);
        bool anyZero = false;
        for (int c = 0; c < columns; c++)
        {
            float factor = (float)ShrinkFactor(Math.Sqrt(factors[c]), threshold);
            factors[c] = factor;
            anyZero |= factor == 0f;
        }

        for (int r = 0; r < rows; r++)
        {
            Span<float> row = matrix.Slice(r * columns, columns);
            TensorPrimitives.Multiply(row, factors, row);
        }

        if (anyZero)
        {
            // A negative weight times 0 is -0; a dead group is stored as +0.
            for (int c = 0; c < columns; c++)
            {
                if (factors[c] == 0f)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        matrix[(r * columns) + c] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The proximal operator of <c>lambda ||u||</c> in the diagonal metric of the step sizes <paramref name="steps"/>:
    /// <c>u = argmin lambda ||u|| + sum_i (u_i - v_i)^2 / (2 t_i)</c>. The answer is <c>u = 0</c> when
    /// <c>||v / t|| &lt;= lambda</c>, and otherwise <c>u_i = v_i r / (r + t_i lambda)</c> where <c>r = ||u|| &gt; 0</c> is the
    /// one root of <c>sum_i v_i^2 / (r + t_i lambda)^2 = 1</c>.
    /// </summary>
    /// <param name="values">The group <c>v</c>, replaced by <c>u</c>.</param>
    /// <param name="steps">The step sizes <c>t</c>, all finite and positive, one per value.</param>
    /// <param name="lambda">The group's strength, at least 0.</param>
    /// <returns>The norm <c>r</c> of the result (0 when the group became zero).</returns>
    public static double DiagonalGroupProx(Span<double> values, ReadOnlySpan<double> steps, double lambda)
    {
        double radius = DiagonalRadius(values, steps, lambda);
        if (radius == 0d)
        {
            values.Clear();
            return 0d;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= radius / (radius + (steps[i] * lambda));
        }

        return radius;
    }

    /// <summary>
    /// The norm <c>r</c> of <see cref="DiagonalGroupProx"/>'s result: 0 when <c>||v / t|| &lt;= lambda</c>, otherwise the root
    /// of <c>phi(r) = sum_i v_i^2 / (r + t_i lambda)^2 = 1</c>. It lies in
    /// <c>[||v|| - lambda max t, ||v|| - lambda min t]</c> (closed form when every step is equal) and is found by Newton's
    /// method on <c>g(r) = 1 / sqrt(phi(r)) - 1</c>, which is linear when the steps are equal, safeguarded by bisection.
    /// </summary>
    public static double DiagonalRadius(ReadOnlySpan<double> values, ReadOnlySpan<double> steps, double lambda)
    {
        double scaled = 0d;
        double squares = 0d;
        double tMin = double.PositiveInfinity;
        double tMax = 0d;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            double t = steps[i];
            double q = v / t;
            scaled += q * q;
            squares += v * v;
            tMin = Math.Min(tMin, t);
            tMax = Math.Max(tMax, t);
        }

        if (Math.Sqrt(scaled) <= lambda)
        {
            return 0d;
        }

        double norm = Math.Sqrt(squares);
        if (lambda == 0d)
        {
            return norm;
        }

        double lo = Math.Max(0d, norm - (lambda * tMax));
        double hi = Math.Max(lo, norm - (lambda * tMin));
        if (tMin == tMax)
        {
            return hi;
        }

        double r = lo;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            double phi = 0d;
            double dphi = 0d;
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                double d = r + (steps[i] * lambda);
                double v2d2 = v * v / (d * d);
                phi += v2d2;
                dphi += v2d2 / d;
            }

            // g(r) = phi^(-1/2) - 1 increases with r; g'(r) = sum v^2 / d^3 / phi^(3/2).
            double root = Math.Sqrt(phi);
            double g = (1d / root) - 1d;
            if (g == 0d)
            {
                return r;
            }

            if (g < 0d)
            {
                lo = r;
            }
            else
            {
                hi = r;
            }

            double next = r - (g * phi * root / dphi);
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - r) <= 1e-15 * next || hi - lo <= 1e-15 * hi)
            {
                return next;
            }

            r = next;
        }

        return r;
    }

    /// <summary>
    /// <see cref="DiagonalGroupProx"/> on every column of a <paramref name="rows"/> x <paramref name="columns"/> row-major
    /// matrix, with one step size per value (same layout), strength <paramref name="lambda"/> per column. The column is
    /// gathered into double precision, solved, and written back; a zero group is stored as +0.
    /// </summary>
    public static void DiagonalGroupProxColumns(
        Span<float> matrix, ReadOnlySpan<float> steps, int rows, int columns, double lambda, Span<double> valueScratch, Span<double> stepScratch)
    {
        Span<double> v = valueScratch[..rows];
        Span<double> t = stepScratch[..rows];
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                v[r] = matrix[(r * columns) + c];
                t[r] = steps[(r * columns) + c];
            }

            double radius = DiagonalGroupProx(v, t, lambda);
            for (int r = 0; r < rows; r++)
            {
                matrix[(r * columns) + c] = radius == 0d ? 0f : (float)v[r];
            }
        }
    }

    /// <summary><c>sum over columns c of ||m[:, c]||</c> in double precision.</summary>
    public static double SumOfColumnNorms(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        double total = 0d;
        for (int c = 0; c < columns; c++)
        {
            double s = 0d;
            for (int r = 0; r < rows; r++)
            {
                double w = matrix[(r * columns) + c];
                s += w * w;
            }

            total += Math.Sqrt(s);
        }

        return total;
    }
}
