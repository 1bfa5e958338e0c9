using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>Fused parameter updates: one pass over the weights applies the data gradient and the regularizer together.</summary>
internal static class UpdateKernels
{
    /// <summary><c>w[i] -= rate * g[i]</c>.</summary>
    public static void Sgd(Span<float> weights, ReadOnlySpan<float> gradient, float rate) =>
        TensorPrimitives.MultiplyAdd(gradient, -rate, weights, weights);

    /// <summary>
    /// Elastic-net subgradient step in one pass: <c>w[i] = w[i] (1 - rate l2) - rate (g[i] + l1 sign(w[i]))</c>, with <c>sign(0) = 0</c>.
    /// With <paramref name="l2"/> = 0 it is the L1 step, with <paramref name="l1"/> = 0 the L2 (weight decay) step.
    /// TensorPrimitives has no fused form of this, so it is written on Vector512/Vector256 with a scalar tail.
    /// </summary>
    public static void ElasticNet(Span<float> weights, ReadOnlySpan<float> gradient, float rate, float l1, float l2)
    {
        if (gradient.Length != weights.Length)
        {
            throw new ArgumentException("Gradient and weights differ in length.", nameof(gradient));
        }

        float decay = 1f - (rate * l2);
        float shrink = rate * l1;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = weights.Length;
        int i = 0;

        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var vDecay = Vector512.Create(decay);
            var vRate = Vector512.Create(rate);
            var vShrink = Vector512.Create(shrink);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var wv = Vector512.LoadUnsafe(ref w, (nuint)i);
                var gv = Vector512.LoadUnsafe(ref g, (nuint)i);
                var step = Vector512.AndNot(Vector512.CopySign(vShrink, wv), Vector512.Equals(wv, Vector512<float>.Zero));
                var result = Vector512.FusedMultiplyAdd(wv, vDecay, -Vector512.FusedMultiplyAdd(gv, vRate, step));
                result.StoreUnsafe(ref w, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            var vDecay = Vector256.Create(decay);
            var vRate = Vector256.Create(rate);
            var vShrink = Vector256.Create(shrink);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wv = Vector256.LoadUnsafe(ref w, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i);
                var step = Vector256.AndNot(Vector256.CopySign(vShrink, wv), Vector256.Equals(wv, Vector256<float>.Zero));
                var result = Vector256.FusedMultiplyAdd(wv, vDecay, -Vector256.FusedMultiplyAdd(gv, vRate, step));
                result.StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref float wi = ref Unsafe.Add(ref w, i);
            float v = wi;
            float step = v == 0f ? 0f : MathF.CopySign(shrink, v);
            wi = MathF.FusedMultiplyAdd(v, decay, -MathF.FusedMultiplyAdd(Unsafe.Add(ref g, i), rate, step));
        }
    }
}
