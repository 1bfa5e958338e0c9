using L1Net.Data;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Training;

namespace L1Net.CustomRegularizer;

/// <summary>
/// Checks any <see cref="IRegularizer"/> through its public members alone: its gradient against finite differences of its
/// <see cref="IRegularizer.Penalty"/>, and its proximal step against the definition of a proximal operator.
/// </summary>
public static class RegularizerChecks
{
    /// <summary>
    /// The largest relative difference, over every value, between the regularizer's smooth gradient (what
    /// <see cref="IRegularizer.AddGradient"/> adds plus the declared <see cref="IRegularizer.WeightDecay"/> <c>* w</c> and
    /// <see cref="IRegularizer.SignCoefficient"/> <c>* sign(w)</c>) and the central difference
    /// <c>(R(w + h e_k) - R(w - h e_k)) / 2h</c> of its penalty, in double precision.
    /// </summary>
    /// <param name="regularizer">The regularizer; it is bound to <paramref name="shape"/> first, as the trainer does.</param>
    /// <param name="values">The values of a whole matrix. Keep them at least <paramref name="step"/> away from any kink (0 for an L1).</param>
    /// <param name="shape">The matrix's shape.</param>
    /// <param name="step">The difference step <c>h</c>; the difference divides by the step actually taken in float.</param>
    /// <returns><c>max_k |analytic_k - numeric_k| / max(|analytic_k|, |numeric_k|, 1e-12)</c>.</returns>
    public static double GradientError(IRegularizer regularizer, ReadOnlySpan<float> values, ParameterShape shape, float step)
    {
        IRegularizer bound = regularizer.Bind(shape);
        float[] w = values.ToArray();
        var gradient = new float[w.Length];
        bound.AddGradient(w, gradient, shape);

        double worst = 0;
        for (int k = 0; k < w.Length; k++)
        {
            float original = w[k];
            float up = original + step;
            float down = original - step;
            w[k] = up;
            double above = bound.Penalty(w, shape);
            w[k] = down;
            double below = bound.Penalty(w, shape);
            w[k] = original;

            double numeric = (above - below) / ((double)up - down);
            double analytic = gradient[k] + ((double)bound.WeightDecay * original) + ((double)bound.SignCoefficient * Math.Sign(original));
            double scale = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), 1e-12);
            worst = Math.Max(worst, Math.Abs(analytic - numeric) / scale);
        }

        return worst;
    }

    /// <summary>
    /// Checks that <see cref="IRegularizer.ApplyProximal"/> returns the minimiser of the proximal objective
    /// <c>F(u) = R(u) + sum_k (u_k - w_k)^2 / (2 eta_k)</c>: applies it to <paramref name="values"/>, then moves the result
    /// by <c>+move</c> and <c>-move</c> along each direction of <see cref="ProximalDirections"/> in turn and returns the
    /// largest decrease of <c>F</c> found, relative to <c>F</c> (0 or a rounding-sized number when the result is the
    /// minimiser; positive when a move improves it). Moving one value at a time is not enough for a penalty that couples
    /// values (a group norm): a wrong operator can sit where no single value can move downhill, but the group can.
    /// </summary>
    /// <param name="regularizer">The regularizer; it is bound to <paramref name="shape"/> first, as the trainer does.</param>
    /// <param name="values">The values <c>w</c> of a whole matrix, before the step.</param>
    /// <param name="stepSizes">One step size, or one per value, as an optimizer reports them.</param>
    /// <param name="shape">The matrix's shape.</param>
    /// <param name="move">How far to move the result along each direction (each direction has length 1).</param>
    /// <returns>The largest relative decrease of <c>F</c>.</returns>
    public static double ProximalError(IRegularizer regularizer, ReadOnlySpan<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape, float move)
    {
        IRegularizer bound = regularizer.Bind(shape);
        float[] w = values.ToArray();
        float[] eta = stepSizes.ToArray();
        float[] u = values.ToArray();
        bound.ApplyProximal(u, eta, shape);

        double Objective(float[] candidate)
        {
            double distance = 0;
            for (int k = 0; k < candidate.Length; k++)
            {
                double d = (double)candidate[k] - w[k];
                distance += d * d / (2d * eta[eta.Length == 1 ? 0 : k]);
            }

            return bound.Penalty(candidate, shape) + distance;
        }

        double best = Objective(u);
        double worst = 0;
        var moved = new float[u.Length];
        foreach (double[] direction in ProximalDirections(u, w, shape))
        {
            foreach (double signed in new[] { move, -move })
            {
                for (int k = 0; k < u.Length; k++)
                {
                    moved[k] = direction[k] == 0 ? u[k] : (float)(u[k] + (signed * direction[k]));
                }

                worst = Math.Max(worst, (best - Objective(moved)) / Math.Max(Math.Abs(best), 1e-12));
            }
        }

        return worst;
    }

    /// <summary>
    /// The directions, each of length 1, along which <see cref="ProximalError"/> moves the result <c>u</c> of the proximal
    /// step: each value alone; the whole matrix, each row (a unit's fan-in) and each column (an input's fan-out), each along
    /// <c>u</c> and along <c>w</c> restricted to it (the directions in which a group norm's operator shrinks a group); and
    /// 16 random directions, from a fixed seed, so the check gives the same answer every run.
    /// </summary>
    /// <param name="u">The result of the proximal step.</param>
    /// <param name="w">The values before it.</param>
    /// <param name="shape">The matrix's shape.</param>
    /// <returns>The directions; a group whose values are all 0 gives none.</returns>
    private static IEnumerable<double[]> ProximalDirections(float[] u, float[] w, ParameterShape shape)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(w);
        int n = u.Length;
        for (int k = 0; k < n; k++)
        {
            var single = new double[n];
            single[k] = 1;
            yield return single;
        }

        var groups = new List<int[]> { Enumerable.Range(0, n).ToArray() };
        if (shape.RowCount > 1 && shape.Columns > 1)
        {
            groups.AddRange(Enumerable.Range(0, shape.RowCount).Select(r => Enumerable.Range(r * shape.Columns, shape.Columns).ToArray()));
            groups.AddRange(Enumerable.Range(0, shape.Columns).Select(c => Enumerable.Range(0, shape.RowCount).Select(r => (r * shape.Columns) + c).ToArray()));
        }

        foreach (int[] group in groups)
        {
            foreach (float[] along in new[] { u, w })
            {
                var direction = new double[n];
                foreach (int k in group)
                {
                    direction[k] = along[k];
                }

                if (Normalize(direction))
                {
                    yield return direction;
                }
            }
        }

        var random = new Random(20261126);
        for (int i = 0; i < 16; i++)
        {
            var direction = new double[n];
            for (int k = 0; k < n; k++)
            {
                direction[k] = (2 * random.NextDouble()) - 1;
            }

            if (Normalize(direction))
            {
                yield return direction;
            }
        }

        // Scales to length 1; false for the zero vector.
        static bool Normalize(double[] direction)
        {
            double length = Math.Sqrt(direction.Sum(d => d * d));
            if (length == 0)
            {
                return false;
            }

            for (int k = 0; k < direction.Length; k++)
            {
                direction[k] /= length;
            }

            return true;
        }
    }

    /// <summary>
    /// Checks a regularizer inside a whole network: <see cref="BackPropTrainer.ComputeGradient"/> (the data gradient plus
    /// every regularizer's smooth gradient, declared parts included) against central differences of the objective it
    /// returns, <c>J = mean loss + sum of penalties</c>, for every parameter. For smooth penalties only: <c>J</c> includes
    /// the nonsmooth part a proximal step applies, which the gradient leaves out.
    /// </summary>
    /// <param name="trainer">A trainer with the regularizer (and the options, such as <c>RegularizeBiases</c>, to check).</param>
    /// <param name="network">The network; its parameters are moved one at a time and put back.</param>
    /// <param name="data">A few rows of data.</param>
    /// <param name="step">The difference step; the forward pass is in float, so not much below 1e-3.</param>
    /// <returns><c>max_k |analytic_k - numeric_k| / max_k |analytic_k|</c>.</returns>
    public static double TrainerGradientError(BackPropTrainer trainer, DenseNetwork network, Dataset data, float step)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(network);
        var gradient = new float[network.ParameterCount];
        trainer.ComputeGradient(network, data, gradient);

        var unused = new float[network.ParameterCount];
        double worst = 0;
        for (int k = 0; k < gradient.Length; k++)
        {
            float original = network.Parameters[k];
            float up = original + step;
            float down = original - step;
            network.Parameters[k] = up;
            double above = trainer.ComputeGradient(network, data, unused);
            network.Parameters[k] = down;
            double below = trainer.ComputeGradient(network, data, unused);
            network.Parameters[k] = original;
            worst = Math.Max(worst, Math.Abs(gradient[k] - ((above - below) / ((double)up - down))));
        }

        double largest = Math.Max(gradient.Max(g => MathF.Abs(g)), 1e-12);
        return worst / largest;
    }
}
