using System.Numerics.Tensors;

namespace L1Net.Kernels;

/// <summary>Activations and their derivatives on whole spans, built on <see cref="TensorPrimitives"/>.</summary>
internal static class ActivationKernels
{
    /// <summary>Computes <c>a = f(z)</c> for one layer's pre-activations; <paramref name="z"/> and <paramref name="a"/> may be the same span.</summary>
    public static void Apply(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        if (z.IsEmpty)
        {
            // TensorPrimitives.Sigmoid and Max throw on empty spans; an empty layer has nothing to do.
            return;
        }

        switch (activation)
        {
            case Activation.Identity:
                if (!z.Overlaps(a))
                {
                    z.CopyTo(a);
                }

                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(z, a);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(z, a);
                break;
            case Activation.ReLU:
                TensorPrimitives.Max(z, 0f, a);
                break;
            case Activation.Softmax:
                Softmax(z, a);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>Numerically stable softmax: <c>a_k = exp(z_k - max z) / sum_j exp(z_j - max z)</c>.</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a)
    {
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, a);
        TensorPrimitives.Exp(a, a);
        float sum = TensorPrimitives.Sum(a);
        TensorPrimitives.Divide(a, sum, a);
    }

    /// <summary>
    /// Multiplies <paramref name="delta"/> in place by <c>f'(z)</c>, written in terms of the layer's output <paramref name="a"/>
    /// (tanh: <c>1 - a^2</c>; sigmoid: <c>a (1 - a)</c>; ReLU: <c>a &gt; 0</c>; identity: 1). Not defined for softmax, whose Jacobian is not diagonal.
    /// </summary>
    public static void MultiplyByDerivative(Activation activation, ReadOnlySpan<float> a, Span<float> delta)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.Tanh:
                // delta *= (1 - a)(1 + a), the form the seed listing uses.
                for (int i = 0; i < delta.Length; i++)
                {
                    float ai = a[i];
                    delta[i] *= (1f - ai) * (1f + ai);
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < delta.Length; i++)
                {
                    float ai = a[i];
                    delta[i] *= ai * (1f - ai);
                }

                break;
            case Activation.ReLU:
                for (int i = 0; i < delta.Length; i++)
                {
                    if (a[i] <= 0f)
                    {
                        delta[i] = 0f;
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }
}
