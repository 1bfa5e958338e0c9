using L1Net.Losses;

namespace L1Net.Seed;

/// <summary>
/// The listing's output signal, in L1Net's gradient convention: <c>delta_k = o_k (1 - o_k) (o_k - t_k)</c>. It keeps
/// only the diagonal of the softmax Jacobian (the true squared-error gradient through softmax is
/// <c>o_k ((o_k - t_k) - sum_j (o_j - t_j) o_j)</c>).
/// </summary>
/// <remarks>
/// The listing writes <c>oSignals[k] = (1 - o) * o * (t - o)</c> and then <em>adds</em> <c>rate * signal * input</c>,
/// so its signal is the negative of this <c>delta</c>; L1Net subtracts <c>rate * delta * input</c>: the same step.
/// The arithmetic follows the listing's precision: <c>(1 - o) * o</c> in double (a Python float times a numpy float32
/// scalar gives a float64 in the numpy of 2017), <c>t - o</c> in float32, the product rounded once to float32.
/// </remarks>
public sealed class DiagonalSoftmaxErrorRule : IOutputErrorRule
{
    /// <summary>The single instance.</summary>
    public static DiagonalSoftmaxErrorRule Instance { get; } = new();

    private DiagonalSoftmaxErrorRule()
    {
    }

    /// <inheritdoc />
    public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
    {
        for (int k = 0; k < output.Length; k++)
        {
            double o = output[k];
            float difference = output[k] - target[k];
            error[k] = (float)((1.0 - o) * o * difference);
        }
    }
}
