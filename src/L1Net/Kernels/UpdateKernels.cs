using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>Fused parameter updates: one pass over the weights applies the data gradient and the regularizer together.</summary>
internal static class UpdateKernels
{
    /// <summary>
    /// Elastic-net subgradient step in one pass: <c>w[i] = w[i] (1 - rate l2) - rate (g[i] + l1 sign(w[i]))</c>, with <c>sign(0) = 0</c>.
    /// With <paramref name="l2"/> = 0 it is the L1 step, with <paramref name="l1"/> = 0 the L2 (weight decay) step.
    /// TensorPrimitives has no fused form of this; it is <see cref="FusedUpdate"/>'s arithmetic, element by element the same
    /// bits at every width, run at <see cref="KernelWidths.Gemm"/>.
    /// </summary>
    public static void ElasticNet(Span<float> weights, ReadOnlySpan<float> gradient, float rate, float l1, float l2)
    {
        if (gradient.Length != weights.Length)
        {
            throw new ArgumentException("Gradient and weights differ in length.", nameof(gradient));
        }

        var update = new FusedUpdate(rate, l1, l2);
        switch (KernelWidths.Gemm)
        {
            case VectorWidth.Vector512:
                ElasticNet<Vec512Ops, Vector512<float>>(weights, gradient, update);
                break;
            case VectorWidth.Vector256:
                ElasticNet<Vec256Ops, Vector256<float>>(weights, gradient, update);
                break;
            case VectorWidth.Vector128:
                ElasticNet<Vec128Ops, Vector128<float>>(weights, gradient, update);
                break;
            default:
                ElasticNet<ScalarOps, float>(weights, gradient, update);
                break;
        }
    }

    private static void ElasticNet<TOps, TVec>(Span<float> weights, ReadOnlySpan<float> gradient, FusedUpdate update)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = weights.Length;
        int v = TOps.Count;
        int i = 0;
        for (; i + v <= n; i += v)
        {
            TOps.Store(update.Apply<TOps, TVec>(TOps.Load(ref w, (nuint)i), TOps.Load(ref g, (nuint)i)), ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            ref float wi = ref Unsafe.Add(ref w, i);
            wi = update.Apply(wi, Unsafe.Add(ref g, i));
        }
    }
}
