using System.Numerics.Tensors;

namespace L1Net.Losses;

/// <summary>Per-sample losses and their true gradients with respect to the output pre-activation.</summary>
internal static class LossFunctions
{
    /// <summary>Probabilities are clamped to at least this inside logarithms.</summary>
    public const float ProbabilityFloor = 1e-12f;

    public static bool IsDefined(LossFunction loss) => loss is LossFunction.SquaredError or LossFunction.CrossEntropy;

    /// <summary>Whether <paramref name="loss"/> is defined for an output layer with <paramref name="output"/>.</summary>
    public static bool Supports(LossFunction loss, Activation output) =>
        loss == LossFunction.SquaredError || output is Activation.Softmax or Activation.Sigmoid;

    /// <summary>The loss of one sample.</summary>
    public static float Compute(LossFunction loss, Activation output, ReadOnlySpan<float> o, ReadOnlySpan<float> t)
    {
        if (loss == LossFunction.SquaredError)
        {
            float d = TensorPrimitives.Distance(o, t);
            return 0.5f * d * d;
        }

        float sum = 0f;
        if (output == Activation.Sigmoid)
        {
            // Each side is floored separately: 1 - 1e-12f rounds to 1 in float, so clamping o itself would leave
            // ln(1 - o) = -inf (and 0 * -inf = NaN) for a saturated sigmoid output o = 1.
            for (int k = 0; k < o.Length; k++)
            {
                float tk = t[k];
                if (tk != 0f)
                {
                    sum -= tk * MathF.Log(MathF.Max(o[k], ProbabilityFloor));
                }

                if (tk != 1f)
                {
                    sum -= (1f - tk) * MathF.Log(MathF.Max(1f - o[k], ProbabilityFloor));
                }
            }

            return sum;
        }

        for (int k = 0; k < o.Length; k++)
        {
            if (t[k] != 0f)
            {
                sum -= t[k] * MathF.Log(MathF.Max(o[k], ProbabilityFloor));
            }
        }

        return sum;
    }
}
