using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// The proximal step of the L1 penalty: soft-thresholding. TensorPrimitives has no soft-threshold, so it is written on
/// Vector512/Vector256 with a scalar tail. It never moves a weight across zero and writes <c>+0</c> (never <c>-0</c>)
/// where it clips. (The clipped cumulative penalty is <see cref="RegularizerKernels.CumulativeClip"/>.)
/// </summary>
internal static class ProximalKernels
{
    /// <summary>
    /// Soft-thresholding in place: <c>w[i] = |w[i]| &lt;= t ? +0 : w[i] - t sign(w[i])</c>, the proximal operator of
    /// <c>t * |w|</c>. NaN stays NaN (so divergence is still seen), infinities stay infinite.
    /// </summary>
    public static void SoftThreshold(Span<float> weights, float threshold)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        int n = weights.Length;
        int i = 0;

        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var t = Vector512.Create(threshold);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref w, (nuint)i);
                var clip = Vector512.LessThanOrEqual(Vector512.Abs(v), t);
                Vector512.AndNot(v - Vector512.CopySign(t, v), clip).StoreUnsafe(ref w, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            var t = Vector256.Create(threshold);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref w, (nuint)i);
                var clip = Vector256.LessThanOrEqual(Vector256.Abs(v), t);
                Vector256.AndNot(v - Vector256.CopySign(t, v), clip).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref float wi = ref Unsafe.Add(ref w, i);
            float v = wi;
            wi = MathF.Abs(v) <= threshold ? 0f : v - MathF.CopySign(threshold, v);
        }
    }
}
