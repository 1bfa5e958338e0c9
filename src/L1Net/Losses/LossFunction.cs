namespace L1Net.Losses;

/// <summary>
/// The per-sample loss <c>E(o, t)</c> the trainer minimises (as the mean over samples, plus the regularizer's penalty).
/// </summary>
public enum LossFunction
{
    /// <summary>
    /// <c>E = 1/2 sum_k (t_k - o_k)^2</c>. With a softmax output its gradient uses the full softmax Jacobian:
    /// <c>dE/dz_k = o_k ((o_k - t_k) - sum_j (o_j - t_j) o_j)</c>.
    /// </summary>
    SquaredError = 0,

    /// <summary>
    /// Cross-entropy. With a softmax output, <c>E = -sum_k t_k ln o_k</c> (targets sum to 1) and <c>dE/dz = o - t</c>;
    /// with a sigmoid output, the sum of per-unit binary cross-entropies <c>-sum_k [t_k ln o_k + (1 - t_k) ln(1 - o_k)]</c>,
    /// also with <c>dE/dz = o - t</c>. Inside each logarithm the probability (<c>o</c>, and <c>1 - o</c> for sigmoid) is floored at 1e-12. Not defined for an identity output.
    /// </summary>
    CrossEntropy = 1,
}
