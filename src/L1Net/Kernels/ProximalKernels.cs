using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace L1Net.Kernels;

/// <summary>
/// The proximal step of the L1 penalty: soft-thresholding. TensorPrimitives has no soft-threshold, so it is one
/// <see cref="IElementwiseOperator"/> body for every width (<see cref="Elementwise"/>, run at
/// <see cref="KernelWidths.Elementwise"/>). It never moves a weight across zero and writes <c>+0</c> (never <c>-0</c>)
/// where it clips. (The clipped cumulative penalty is <see cref="RegularizerKernels.CumulativeClip"/>.)
/// </summary>
internal static class ProximalKernels
{
    /// <summary>
    /// Soft-thresholding in place: <c>w[i] = |w[i]| &lt;= t ? +0 : w[i] - t sign(w[i])</c>, the proximal operator of
    /// <c>t * |w|</c>. NaN stays NaN (so divergence is still seen), infinities stay infinite.
    /// </summary>
    public static void SoftThreshold(Span<float> weights, float threshold) => SoftThreshold(weights, threshold, KernelWidths.Elementwise);

    /// <summary><see cref="SoftThreshold(Span{float}, float)"/> at a given width (tests run every width).</summary>
    internal static void SoftThreshold(Span<float> weights, float threshold, VectorWidth width)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        Elementwise.Run(ref w, ref w, weights.Length, new Threshold(threshold), width);
    }

    /// <summary><c>|w| &lt;= t ? +0 : w - copysign(t, w)</c> (x and y are both w).</summary>
    private readonly struct Threshold(float threshold) : IElementwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec x, TVec y)
            where TOps : IVectorOps<TVec>
            where TVec : struct
        {
            TVec t = TOps.Broadcast(threshold);
            return TOps.ZeroWhereAtMost(TOps.Subtract(y, TOps.CopySign(t, y)), TOps.Abs(y), t);
        }
    }
}
