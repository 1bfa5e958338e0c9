using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// One layer of the per-sample backward pass in one sweep over its weights: the error sent to the layer below,
/// <c>below[i] += sum_o W[o, i] delta[o]</c> (with the weights from before the step), and the layer's gradient,
/// <c>gW[o, i] = delta[o] x[i]</c>, <c>gb[o] = delta[o]</c>. Written once for every vector width (512, 256, 128 bits,
/// scalar); products and sums are rounded separately (no fused multiply-add), exactly as
/// <see cref="DenseKernels.BackwardInput"/> computes the error and a plain float product the gradient, so the result does
/// not depend on the instruction set.
/// </summary>
internal static class SampleGradientKernels
{
    /// <summary>
    /// <paramref name="below"/> (cleared here; empty for the first layer) receives <c>W^T delta</c>; <paramref name="gradWeights"/> and
    /// <paramref name="gradBiases"/> are overwritten with the sample's gradient. A row whose <c>delta</c> is zero sends nothing
    /// down, so an infinite weight behind a zero error cannot make a NaN.
    /// </summary>
    public static void BackwardAndGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases)
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        if (weights.Length < outputs * inputs || gradWeights.Length < outputs * inputs || gradBiases.Length < outputs || (propagate && below.Length != inputs))
        {
            throw new ArgumentException("A span does not match the layer.", nameof(weights));
        }

        below.Clear();
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(below);
        for (int o = 0; o < outputs; o++)
        {
            float d = delta[o];
            ref float w = ref MemoryMarshal.GetReference(weights.Slice(o * inputs, inputs));
            ref float g = ref MemoryMarshal.GetReference(gradWeights.Slice(o * inputs, inputs));
            if (propagate && d != 0f)
            {
                Row<Propagate>(ref w, ref xr, ref br, ref g, d, inputs);
            }
            else
            {
                Row<GradientOnly>(ref w, ref xr, ref br, ref g, d, inputs);
            }

            gradBiases[o] = d;
        }
    }

    private interface IMode
    {
        static abstract bool Backward { get; }
    }

    private readonly struct Propagate : IMode
    {
        public static bool Backward => true;
    }

    private readonly struct GradientOnly : IMode
    {
        public static bool Backward => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TMode>(ref float w, ref float x, ref float below, ref float g, float d, int n)
        where TMode : struct, IMode
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vd = Vector512.Create(d);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                if (TMode.Backward)
                {
                    ((Vector512.LoadUnsafe(ref w, (nuint)i) * vd) + Vector512.LoadUnsafe(ref below, (nuint)i)).StoreUnsafe(ref below, (nuint)i);
                }

                (Vector512.LoadUnsafe(ref x, (nuint)i) * vd).StoreUnsafe(ref g, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var vd = Vector256.Create(d);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                if (TMode.Backward)
                {
                    ((Vector256.LoadUnsafe(ref w, (nuint)i) * vd) + Vector256.LoadUnsafe(ref below, (nuint)i)).StoreUnsafe(ref below, (nuint)i);
                }

                (Vector256.LoadUnsafe(ref x, (nuint)i) * vd).StoreUnsafe(ref g, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var vd = Vector128.Create(d);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                if (TMode.Backward)
                {
                    ((Vector128.LoadUnsafe(ref w, (nuint)i) * vd) + Vector128.LoadUnsafe(ref below, (nuint)i)).StoreUnsafe(ref below, (nuint)i);
                }

                (Vector128.LoadUnsafe(ref x, (nuint)i) * vd).StoreUnsafe(ref g, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            if (TMode.Backward)
            {
                Unsafe.Add(ref below, i) = (Unsafe.Add(ref w, i) * d) + Unsafe.Add(ref below, i);
            }

            Unsafe.Add(ref g, i) = Unsafe.Add(ref x, i) * d;
        }
    }
}
