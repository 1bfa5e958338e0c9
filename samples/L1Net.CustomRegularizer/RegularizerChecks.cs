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
    /// <c>F(u) = R(u) + sum_k (u_k - w_k)^2 / (2 eta_k)</c>: applies it to <paramref name="values"/>, then moves each value
    /// of the result by <c>+move</c> and <c>-move</c> in turn and returns the largest decrease of <c>F</c> found, relative
    /// to <c>F</c> (0 or a rounding-sized number when the result is the minimiser; positive when a move improves it).
    /// </summary>
    /// <param name="regularizer">The regularizer; it is bound to <paramref name="shape"/> first, as the trainer does.</param>
    /// <param name="values">The values <c>w</c> of a whole matrix, before the step.</param>
    /// <param name="stepSizes">One step size, or one per value, as an optimizer reports them.</param>
    /// <param name="shape">The matrix's shape.</param>
    /// <param name="move">How far to move each value of the result.</param>
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
        for (int k = 0; k < u.Length; k++)
        {
            float original = u[k];
            foreach (float moved in new[] { original + move, original - move })
            {
                u[k] = moved;
                worst = Math.Max(worst, (best - Objective(u)) / Math.Max(Math.Abs(best), 1e-12));
            }

            u[k] = original;
        }

        return worst;
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
