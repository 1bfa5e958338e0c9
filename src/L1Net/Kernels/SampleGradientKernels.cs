using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// One layer of the per-sample backward pass in one sweep over its weights: the error sent to the layer below,
/// <c>below[i] += sum_o W[o, i] delta[o]</c> (with the weights from before the step), and the layer's gradient,
/// <c>gW[o, i] = delta[o] x[i]</c>, <c>gb[o] = delta[o]</c>. One generic body for every vector width
/// (<see cref="IVectorOps{TVec}"/>), run at <see cref="KernelWidths.Elementwise"/> with the same body's scalar instance for
/// the tail; products and sums are rounded separately (no fused multiply-add), exactly as
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
    public static void BackwardAndGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases) =>
        BackwardAndGradient(weights, delta, x, below, gradWeights, gradBiases, KernelWidths.Elementwise);

    /// <summary><see cref="BackwardAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/> at a given width (tests run every width).</summary>
    internal static void BackwardAndGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases, VectorWidth width)
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        if (weights.Length < outputs * inputs || gradWeights.Length < outputs * inputs || gradBiases.Length < outputs || (propagate && below.Length != inputs))
        {
            throw new ArgumentException("A span does not match the layer.", nameof(weights));
        }

        below.Clear();
        switch (width)
        {
            case VectorWidth.Vector512:
                Rows<Vec512Ops, Vector512<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            case VectorWidth.Vector256:
                Rows<Vec256Ops, Vector256<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            case VectorWidth.Vector128:
                Rows<Vec128Ops, Vector128<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            default:
                Rows<ScalarOps, float>(weights, delta, x, below, gradWeights, gradBiases);
                break;
        }
    }

    private static void Rows<TOps, TVec>(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(below);
        for (int o = 0; o < outputs; o++)
        {
            float d = delta[o];
            ref float w = ref MemoryMarshal.GetReference(weights.Slice(o * inputs, inputs));
            ref float g = ref MemoryMarshal.GetReference(gradWeights.Slice(o * inputs, inputs));
            if (propagate && d != 0f)
            {
                Row<TOps, TVec, Propagate>(ref w, ref xr, ref br, ref g, d, inputs);
            }
            else
            {
                Row<TOps, TVec, GradientOnly>(ref w, ref xr, ref br, ref g, d, inputs);
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

    /// <summary>One row of W: whole vectors, then the tail through the same body at <see cref="ScalarOps"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TOps, TVec, TMode>(ref float w, ref float x, ref float below, ref float g, float d, int n)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
    {
        int i = 0;
        if (TOps.Count > 1)
        {
            TVec vd = TOps.Broadcast(d);
            for (; i + TOps.Count <= n; i += TOps.Count)
            {
                Step<TOps, TVec, TMode>(ref w, ref x, ref below, ref g, vd, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Step<ScalarOps, float, TMode>(ref w, ref x, ref below, ref g, d, (nuint)i);
        }
    }

    /// <summary><c>below += W d</c> (product and sum rounded separately) and <c>g = x d</c> on one vector at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TOps, TVec, TMode>(ref float w, ref float x, ref float below, ref float g, TVec vd, nuint i)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
    {
        if (TMode.Backward)
        {
            TOps.Store(TOps.Add(TOps.Multiply(TOps.Load(ref w, i), vd), TOps.Load(ref below, i)), ref below, i);
        }

        TOps.Store(TOps.Multiply(TOps.Load(ref x, i), vd), ref g, i);
    }
}
