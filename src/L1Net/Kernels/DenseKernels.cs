using System.Numerics.Tensors;

namespace L1Net.Kernels;

/// <summary>
/// The dense layer's two backward products for one sample on row-major weights <c>W[o, i]</c> (one row of <c>inputs</c>
/// weights per output unit). The forward product is <see cref="SampleKernels.Forward"/> (one sample) or the GEMM (blocks).
/// </summary>
internal static class DenseKernels
{
    /// <summary><c>dx[i] = sum_o W[o, i] delta[o]</c>: the error sent back to the layer's input.</summary>
    public static void BackwardInput(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> dx)
    {
        int inputs = dx.Length;
        dx.Clear();
        for (int o = 0; o < delta.Length; o++)
        {
            float d = delta[o];
            if (d != 0f)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(o * inputs, inputs), d, dx, dx);
            }
        }
    }

    /// <summary><c>gW[o, i] += delta[o] x[i]</c> and <c>gb[o] += delta[o]</c>: one sample's contribution to the gradient.</summary>
    public static void AccumulateGradient(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> gradWeights, Span<float> gradBiases)
    {
        int inputs = x.Length;
        for (int o = 0; o < delta.Length; o++)
        {
            float d = delta[o];
            if (d != 0f)
            {
                Span<float> row = gradWeights.Slice(o * inputs, inputs);
                TensorPrimitives.MultiplyAdd(x, d, row, row);
            }
        }

        TensorPrimitives.Add(gradBiases, delta, gradBiases);
    }
}
