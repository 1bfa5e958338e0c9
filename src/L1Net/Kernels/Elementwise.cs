using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// An element-wise operation <c>y[i] = f(x[i], y[i])</c>, written once for every width: <see cref="Elementwise"/> calls it
/// with the width's <see cref="IVectorOps{TVec}"/> on whole vectors and with <see cref="ScalarOps"/> on the tail, so the
/// vector lanes and the tail compute the same expression (and the same bits, zeros' signs included).
/// </summary>
internal interface IElementwiseOperator
{
    /// <summary>The operation on one vector of any width.</summary>
    TVec Invoke<TOps, TVec>(TVec x, TVec y)
        where TOps : IVectorOps<TVec>
        where TVec : struct;
}

/// <summary>
/// The loop driver of the element-wise kernels: whole vectors of the chosen width, then the scalar tail, through the one
/// generic body of an <see cref="IElementwiseOperator"/>. Element-wise results do not depend on the width, so the kernels run
/// at <see cref="KernelWidths.Elementwise"/> (the widest accelerated).
/// </summary>
internal static class Elementwise
{
    /// <summary>
    /// Sets <paramref name="values"/> to +0 with stores in line (<see cref="Span{T}.Clear"/> is a call): for the small spans
    /// a per-sample step clears, 256-bit stores at most, the blocks a <c>Vector&lt;float&gt;</c> loop and the fused sweep's
    /// rows read back (a load served by one earlier store, not by parts of two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(Span<float> values)
    {
        ref float r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float>.Zero.StoreUnsafe(ref r, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float>.Zero.StoreUnsafe(ref r, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref r, i) = 0f;
        }
    }

    /// <summary><c>y[i] = op(x[i], y[i])</c> for <c>i</c> in <c>[0, n)</c> at <paramref name="width"/>; <paramref name="x"/> may be <paramref name="y"/>.</summary>
    public static void Run<TOp>(ref float x, ref float y, int n, TOp op, VectorWidth width)
        where TOp : struct, IElementwiseOperator
    {
        switch (width)
        {
            case VectorWidth.Vector512:
                Run<TOp, Vec512Ops, Vector512<float>>(ref x, ref y, n, op);
                break;
            case VectorWidth.Vector256:
                Run<TOp, Vec256Ops, Vector256<float>>(ref x, ref y, n, op);
                break;
            case VectorWidth.Vector128:
                Run<TOp, Vec128Ops, Vector128<float>>(ref x, ref y, n, op);
                break;
            default:
                Run<TOp, ScalarOps, float>(ref x, ref y, n, op);
                break;
        }
    }

    private static void Run<TOp, TOps, TVec>(ref float x, ref float y, int n, TOp op)
        where TOp : struct, IElementwiseOperator
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        int i = 0;
        for (; i + v <= n; i += v)
        {
            TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref x, (nuint)i), TOps.Load(ref y, (nuint)i)), ref y, (nuint)i);
        }

        // Short spans (a small layer's biases or rows) go through the narrower vectors before the scalar tail: same bits,
        // every element is computed alone.
        if (v > 8 && i + 8 <= n)
        {
            Vec256Ops.Store(op.Invoke<Vec256Ops, Vector256<float>>(Vec256Ops.Load(ref x, (nuint)i), Vec256Ops.Load(ref y, (nuint)i)), ref y, (nuint)i);
            i += 8;
        }

        if (v > 4 && i + 4 <= n)
        {
            Vec128Ops.Store(op.Invoke<Vec128Ops, Vector128<float>>(Vec128Ops.Load(ref x, (nuint)i), Vec128Ops.Load(ref y, (nuint)i)), ref y, (nuint)i);
            i += 4;
        }

        for (; i < n; i++)
        {
            ref float yi = ref Unsafe.Add(ref y, i);
            yi = op.Invoke<ScalarOps, float>(Unsafe.Add(ref x, i), yi);
        }
    }
}
