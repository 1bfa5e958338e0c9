using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// The inner loops of fused per-sample SGD: a fixed-order dot product for the forward pass, and one pass per layer that
/// sends the error back through the old weights and applies the rank-1 update <c>W -= rate (delta x^T + dR/dW)</c> to the
/// same row while it is in registers.
/// </summary>
internal static class SampleKernels
{
    /// <summary><c>z[o] = b[o] + sum_i W[o, i] x[i]</c>, each sum in a fixed order (independent of memory alignment).</summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, ReadOnlySpan<float> x, Span<float> z)
    {
        int inputs = x.Length;
        if (weights.Length < z.Length * inputs || biases.Length < z.Length)
        {
            throw new ArgumentException("Weights or biases are shorter than the layer.", nameof(weights));
        }

        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int o = 0; o < z.Length; o++)
        {
            z[o] = biases[o] + Dot(ref Unsafe.Add(ref w, o * inputs), ref xr, inputs);
        }
    }

    /// <summary>Dot product of <paramref name="n"/> elements: 8-lane FMA chains, then a scalar FMA tail, always in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int n)
    {
        int i = 0;
        float sum = 0f;
        if (n >= 8)
        {
            Vector256<float> acc = Vector256.LoadUnsafe(ref a) * Vector256.LoadUnsafe(ref b);
            for (i = 8; i + 8 <= n; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), sum);
        }

        return sum;
    }

    /// <summary>Sum of <paramref name="n"/> elements in a fixed order: 8-lane partial sums, then a scalar tail.</summary>
    public static float Sum(ref float a, int n)
    {
        int i = 0;
        float sum = 0f;
        if (n >= 8)
        {
            Vector256<float> acc = Vector256.LoadUnsafe(ref a);
            for (i = 8; i + 8 <= n; i += 8)
            {
                acc += Vector256.LoadUnsafe(ref a, (nuint)i);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref a, i);
        }

        return sum;
    }

    /// <summary>
    /// One layer of fused per-sample back-propagation and update, one pass over the weights. For each output unit
    /// <c>o</c> with error <c>d = delta[o]</c>: <c>below[i] += W[o, i] d</c> with the weight from before the step (when
    /// <paramref name="below"/> is not empty; it must be cleared by the caller), then
    /// <c>W[o, i] = step(W[o, i], d x[i])</c> and <c>b[o] = biasStep(b[o], d)</c>.
    /// </summary>
    public static void BackwardAndUpdate(Span<float> weights, Span<float> biases, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, FusedUpdate step, FusedUpdate biasStep)
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        if (weights.Length < outputs * inputs || biases.Length < outputs || (propagate && below.Length < inputs))
        {
            throw new ArgumentException("A span is shorter than the layer.", nameof(weights));
        }

        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(below);
        for (int o = 0; o < outputs; o++)
        {
            float d = delta[o];
            ref float row = ref MemoryMarshal.GetReference(weights.Slice(o * inputs, inputs));
            int i = 0;
            var vd = Vector256.Create(d);
            if (propagate)
            {
                for (; i + 8 <= inputs; i += 8)
                {
                    Vector256<float> w = Vector256.LoadUnsafe(ref row, (nuint)i);
                    Vector256.FusedMultiplyAdd(w, vd, Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref br, (nuint)i);
                    step.Apply(w, vd * Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref row, (nuint)i);
                }

                for (; i < inputs; i++)
                {
                    ref float w = ref Unsafe.Add(ref row, i);
                    Unsafe.Add(ref br, i) = MathF.FusedMultiplyAdd(w, d, Unsafe.Add(ref br, i));
                    w = step.Apply(w, d * Unsafe.Add(ref xr, i));
                }
            }
            else
            {
                for (; i + 8 <= inputs; i += 8)
                {
                    step.Apply(Vector256.LoadUnsafe(ref row, (nuint)i), vd * Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref row, (nuint)i);
                }

                for (; i < inputs; i++)
                {
                    ref float w = ref Unsafe.Add(ref row, i);
                    w = step.Apply(w, d * Unsafe.Add(ref xr, i));
                }
            }

            biases[o] = biasStep.Apply(biases[o], d);
        }
    }
}
