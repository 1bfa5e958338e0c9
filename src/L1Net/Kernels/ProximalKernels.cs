using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Proximal steps of the L1 penalty: soft-thresholding and the clipped cumulative penalty of Tsuruoka et al. (2009).
/// TensorPrimitives has no soft-threshold, so both are written on Vector512/Vector256 with a scalar tail. Neither ever
/// moves a weight across zero, and both write <c>+0</c> (never <c>-0</c>) where they clip.
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

    /// <summary>
    /// The clipped cumulative penalty in place. With <c>u</c> the total L1 penalty each weight could have received so far
    /// and <c>q[i]</c> the (signed) total actually applied to weight <c>i</c>: a positive weight becomes
    /// <c>max(0, w - (u + q[i]))</c>, a negative one <c>min(0, w + (u - q[i]))</c>, zero (of either sign) becomes <c>+0</c>, NaN stays NaN, and <c>q[i]</c> grows by
    /// the change actually made. <c>-u &lt;= q[i] &lt;= u</c> holds up to the rounding of the weights to float, and the pending
    /// penalties <c>u + q[i]</c> and <c>u - q[i]</c> are clamped at zero, so no weight ever grows or crosses zero.
    /// <c>u</c> and <c>q</c> are kept in double precision: both grow with every step, and only their difference matters.
    /// </summary>
    public static void CumulativeClip(Span<float> weights, Span<double> applied, double total)
    {
        if (applied.Length != weights.Length)
        {
            throw new ArgumentException("The state and the weights differ in length.", nameof(applied));
        }

        ref float w = ref MemoryMarshal.GetReference(weights);
        ref double q = ref MemoryMarshal.GetReference(applied);
        int n = weights.Length;
        int i = 0;

        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var u = Vector256.Create(total);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256<double> zLo, Vector256<double> zHi) = Vector256.Widen(Vector256.LoadUnsafe(ref w, (nuint)i));
                var qLo = Vector256.LoadUnsafe(ref q, (nuint)i);
                var qHi = Vector256.LoadUnsafe(ref q, (nuint)(i + Vector256<double>.Count));
                var result = Vector256.Narrow(Clip(zLo, qLo, u), Clip(zHi, qHi, u));
                result.StoreUnsafe(ref w, (nuint)i);
                (Vector256<double> rLo, Vector256<double> rHi) = Vector256.Widen(result);
                (qLo + (rLo - zLo)).StoreUnsafe(ref q, (nuint)i);
                (qHi + (rHi - zHi)).StoreUnsafe(ref q, (nuint)(i + Vector256<double>.Count));
            }
        }

        for (; i < n; i++)
        {
            ref float wi = ref Unsafe.Add(ref w, i);
            ref double qi = ref Unsafe.Add(ref q, i);
            double z = wi;
            // A zero of either sign becomes +0 (the documented clip writes +0, never -0); NaN stays NaN.
            double clipped = z > 0d ? Math.Max(0d, z - Math.Max(0d, total + qi)) : z < 0d ? Math.Min(0d, z + Math.Max(0d, total - qi)) : z == 0d ? 0d : z;
            float result = (float)clipped;
            wi = result;
            qi += result - z;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Clip(Vector256<double> z, Vector256<double> q, Vector256<double> u)
    {
        var positive = Vector256.Max(Vector256<double>.Zero, z - Vector256.Max(Vector256<double>.Zero, u + q));
        var negative = Vector256.Min(Vector256<double>.Zero, z + Vector256.Max(Vector256<double>.Zero, u - q));
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(z, Vector256<double>.Zero),
            positive,
            Vector256.ConditionalSelect(
                Vector256.LessThan(z, Vector256<double>.Zero),
                negative,
                Vector256.ConditionalSelect(Vector256.Equals(z, Vector256<double>.Zero), Vector256<double>.Zero, z)));
    }
}
