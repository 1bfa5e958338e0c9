namespace L1Net.Kernels;

/// <summary>
/// Loss and true output error <c>delta = dE/dz</c> of one sample, in fixed-order scalar loops (the output layer is
/// small; fixed order keeps training bit-reproducible). Same definitions as <see cref="LossFunctions"/>.
/// </summary>
internal static class OutputKernels
{
    /// <summary>Writes <c>dE/dz</c> into <paramref name="delta"/> and returns the sample's loss <c>E</c>.</summary>
    public static float LossAndError(LossFunction loss, Activation output, ReadOnlySpan<float> o, ReadOnlySpan<float> t, Span<float> delta)
    {
        int n = o.Length;
        float e = 0f;
        if (loss == LossFunction.SquaredError)
        {
            float dot = 0f;
            for (int k = 0; k < n; k++)
            {
                float g = o[k] - t[k];
                e = KernelMath.MultiplyAdd(g, g, e);
                delta[k] = g;
                dot = KernelMath.MultiplyAdd(g, o[k], dot);
            }

            switch (output)
            {
                case Activation.Sigmoid:
                    for (int k = 0; k < n; k++)
                    {
                        delta[k] *= o[k] * (1f - o[k]);
                    }

                    break;
                case Activation.Softmax:
                    // Full Jacobian: dE/dz_k = o_k (g_k - sum_j g_j o_j).
                    for (int k = 0; k < n; k++)
                    {
                        delta[k] = o[k] * (delta[k] - dot);
                    }

                    break;
            }

            return 0.5f * e;
        }

        for (int k = 0; k < n; k++)
        {
            delta[k] = o[k] - t[k];
        }

        // Cross-entropy: the loss itself is LossFunctions' (one definition, with its floors inside the logarithms).
        return LossFunctions.Compute(LossFunction.CrossEntropy, output, o, t);
    }
}
