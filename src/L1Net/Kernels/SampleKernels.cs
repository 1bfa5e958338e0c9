using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// The per-sample inner loops of prediction and evaluation: a fixed-order dot product for the forward pass (one sample or
/// tiles of rows) and a fixed-order sum. Written once for every vector width (<see cref="IVectorOps{TVec}"/>) and run at
/// <see cref="KernelWidths.Sample"/>.
/// </summary>
internal static class SampleKernels
{
    /// <summary><c>z[o] = b[o] + sum_i W[o, i] x[i]</c>, each sum <see cref="Dot"/> (independent of memory alignment).</summary>
    /// <remarks>Four rows of W at a time, four independent multiply-add chains, each the same chain as <see cref="Dot"/>.</remarks>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, ReadOnlySpan<float> x, Span<float> z)
    {
        int inputs = x.Length;
        if (weights.Length < z.Length * inputs || biases.Length < z.Length)
        {
            throw new ArgumentException("Weights or biases are shorter than the layer.", nameof(weights));
        }

        ForwardRows(ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(biases), ref MemoryMarshal.GetReference(x), 1, inputs, z.Length, ref MemoryMarshal.GetReference(z), z.Length, KernelWidths.Sample);
    }

    /// <summary>
    /// <c>z[s * ldZ + o] = b[o] + Dot(W[o, :], x[s * inputs, :])</c> for <paramref name="rows"/> consecutive input rows: the
    /// batched forward product of prediction and evaluation, element for element the bits of <see cref="Forward"/> on
    /// each row. Tiles of 3 rows x 4 units keep twelve independent multiply-add chains in registers.
    /// </summary>
    public static void ForwardRows(ref float weights, ref float biases, ref float x, int rows, int inputs, int outputs, ref float z, int ldZ, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.Vector512:
                ForwardRows<Vec512Ops, Vector512<float>>(ref weights, ref biases, ref x, rows, inputs, outputs, ref z, ldZ);
                break;
            case VectorWidth.Vector256:
                ForwardRows<Vec256Ops, Vector256<float>>(ref weights, ref biases, ref x, rows, inputs, outputs, ref z, ldZ);
                break;
            case VectorWidth.Vector128:
                ForwardRows<Vec128Ops, Vector128<float>>(ref weights, ref biases, ref x, rows, inputs, outputs, ref z, ldZ);
                break;
            default:
                ForwardRows<ScalarOps, float>(ref weights, ref biases, ref x, rows, inputs, outputs, ref z, ldZ);
                break;
        }
    }

    /// <summary>Dot product of <paramref name="n"/> elements at <see cref="KernelWidths.Sample"/>: vector multiply-add chains, a lane sum, then a scalar tail, always in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int n) => KernelWidths.Sample switch
    {
        VectorWidth.Vector512 => Dot<Vec512Ops, Vector512<float>>(ref a, ref b, n),
        VectorWidth.Vector256 => Dot<Vec256Ops, Vector256<float>>(ref a, ref b, n),
        VectorWidth.Vector128 => Dot<Vec128Ops, Vector128<float>>(ref a, ref b, n),
        _ => Dot<ScalarOps, float>(ref a, ref b, n),
    };

    /// <summary>
    /// Dot product at one width: lane <c>l</c> of the accumulator is the chain over <c>i = l, l + V, ...</c> of whole vectors
    /// (starting from the first product), the lanes are summed (<see cref="IVectorOps{TVec}.Sum"/>), then the scalar tail
    /// is added in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot<TOps, TVec>(ref float a, ref float b, int n)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        int i = 0;
        float sum = 0f;
        if (v > 1 && n >= v)
        {
            TVec acc = TOps.Multiply(TOps.Load(ref a), TOps.Load(ref b));
            for (i = v; i + v <= n; i += v)
            {
                acc = TOps.MultiplyAdd(TOps.Load(ref a, (nuint)i), TOps.Load(ref b, (nuint)i), acc);
            }

            sum = TOps.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum = KernelMath.MultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), sum);
        }

        return sum;
    }

    /// <summary>Sum of <paramref name="n"/> elements in a fixed order: vector partial sums, then a scalar tail.</summary>
    public static float Sum(ref float a, int n) => KernelWidths.Sample switch
    {
        VectorWidth.Vector512 => Sum<Vec512Ops, Vector512<float>>(ref a, n),
        VectorWidth.Vector256 => Sum<Vec256Ops, Vector256<float>>(ref a, n),
        VectorWidth.Vector128 => Sum<Vec128Ops, Vector128<float>>(ref a, n),
        _ => Sum<ScalarOps, float>(ref a, n),
    };

    private static float Sum<TOps, TVec>(ref float a, int n)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        int i = 0;
        float sum = 0f;
        if (v > 1 && n >= v)
        {
            TVec acc = TOps.Load(ref a);
            for (i = v; i + v <= n; i += v)
            {
                acc = TOps.Add(acc, TOps.Load(ref a, (nuint)i));
            }

            sum = TOps.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref a, i);
        }

        return sum;
    }

    private static void ForwardRows<TOps, TVec>(ref float weights, ref float biases, ref float x, int rows, int inputs, int outputs, ref float z, int ldZ)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        nint n = inputs;
        int s = 0;
        for (; s + 3 <= rows; s += 3)
        {
            ref float x0 = ref Unsafe.Add(ref x, s * n);
            ref float z0 = ref Unsafe.Add(ref z, (nint)s * ldZ);
            int o = 0;
            for (; o + 4 <= outputs; o += 4)
            {
                Dot3x4<TOps, TVec>(ref Unsafe.Add(ref weights, o * n), ref x0, inputs, ref Unsafe.Add(ref biases, o), ref Unsafe.Add(ref z0, o), ldZ);
            }

            for (; o < outputs; o++)
            {
                ref float w = ref Unsafe.Add(ref weights, o * n);
                float bias = Unsafe.Add(ref biases, o);
                Unsafe.Add(ref z0, o) = bias + Dot<TOps, TVec>(ref w, ref x0, inputs);
                Unsafe.Add(ref z0, ldZ + o) = bias + Dot<TOps, TVec>(ref w, ref Unsafe.Add(ref x0, n), inputs);
                Unsafe.Add(ref z0, (2 * ldZ) + o) = bias + Dot<TOps, TVec>(ref w, ref Unsafe.Add(ref x0, 2 * n), inputs);
            }
        }

        for (; s < rows; s++)
        {
            ref float xs = ref Unsafe.Add(ref x, s * n);
            ref float zs = ref Unsafe.Add(ref z, (nint)s * ldZ);
            int o = 0;
            for (; o + 8 <= outputs; o += 8)
            {
                Dot1x8<TOps, TVec>(ref Unsafe.Add(ref weights, o * n), ref xs, inputs, ref Unsafe.Add(ref biases, o), ref Unsafe.Add(ref zs, o));
            }

            for (; o + 4 <= outputs; o += 4)
            {
                Dot1x4<TOps, TVec>(ref Unsafe.Add(ref weights, o * n), ref xs, inputs, ref Unsafe.Add(ref biases, o), ref Unsafe.Add(ref zs, o));
            }

            for (; o < outputs; o++)
            {
                Unsafe.Add(ref zs, o) = Unsafe.Add(ref biases, o) + Dot<TOps, TVec>(ref Unsafe.Add(ref weights, o * n), ref xs, inputs);
            }
        }
    }

    /// <summary>Three rows of x against four rows of W: twelve <see cref="Dot{TOps, TVec}"/> chains side by side, same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot3x4<TOps, TVec>(ref float w, ref float x, int n, ref float bias, ref float z, nint ldZ)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        nint nn = n;
        if (v == 1 || n < v)
        {
            for (int r = 0; r < 3; r++)
            {
                for (int q = 0; q < 4; q++)
                {
                    Unsafe.Add(ref z, (r * ldZ) + q) = Unsafe.Add(ref bias, q) + Dot<TOps, TVec>(ref Unsafe.Add(ref w, q * nn), ref Unsafe.Add(ref x, r * nn), n);
                }
            }

            return;
        }

        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w, nn);
        ref float w2 = ref Unsafe.Add(ref w, 2 * nn);
        ref float w3 = ref Unsafe.Add(ref w, 3 * nn);
        ref float x0 = ref x;
        ref float x1 = ref Unsafe.Add(ref x, nn);
        ref float x2 = ref Unsafe.Add(ref x, 2 * nn);
        TVec a0 = TOps.Load(ref x0), a1 = TOps.Load(ref x1), a2 = TOps.Load(ref x2);
        TVec b = TOps.Load(ref w0);
        TVec c00 = TOps.Multiply(b, a0), c10 = TOps.Multiply(b, a1), c20 = TOps.Multiply(b, a2);
        b = TOps.Load(ref w1);
        TVec c01 = TOps.Multiply(b, a0), c11 = TOps.Multiply(b, a1), c21 = TOps.Multiply(b, a2);
        b = TOps.Load(ref w2);
        TVec c02 = TOps.Multiply(b, a0), c12 = TOps.Multiply(b, a1), c22 = TOps.Multiply(b, a2);
        b = TOps.Load(ref w3);
        TVec c03 = TOps.Multiply(b, a0), c13 = TOps.Multiply(b, a1), c23 = TOps.Multiply(b, a2);
        int i = v;
        for (; i + v <= n; i += v)
        {
            nuint u = (nuint)i;
            a0 = TOps.Load(ref x0, u);
            a1 = TOps.Load(ref x1, u);
            a2 = TOps.Load(ref x2, u);
            b = TOps.Load(ref w0, u);
            c00 = TOps.MultiplyAdd(b, a0, c00);
            c10 = TOps.MultiplyAdd(b, a1, c10);
            c20 = TOps.MultiplyAdd(b, a2, c20);
            b = TOps.Load(ref w1, u);
            c01 = TOps.MultiplyAdd(b, a0, c01);
            c11 = TOps.MultiplyAdd(b, a1, c11);
            c21 = TOps.MultiplyAdd(b, a2, c21);
            b = TOps.Load(ref w2, u);
            c02 = TOps.MultiplyAdd(b, a0, c02);
            c12 = TOps.MultiplyAdd(b, a1, c12);
            c22 = TOps.MultiplyAdd(b, a2, c22);
            b = TOps.Load(ref w3, u);
            c03 = TOps.MultiplyAdd(b, a0, c03);
            c13 = TOps.MultiplyAdd(b, a1, c13);
            c23 = TOps.MultiplyAdd(b, a2, c23);
        }

        Finish(c00, ref w0, ref x0, i, n, ref bias, ref z);
        Finish(c01, ref w1, ref x0, i, n, ref Unsafe.Add(ref bias, 1), ref Unsafe.Add(ref z, 1));
        Finish(c02, ref w2, ref x0, i, n, ref Unsafe.Add(ref bias, 2), ref Unsafe.Add(ref z, 2));
        Finish(c03, ref w3, ref x0, i, n, ref Unsafe.Add(ref bias, 3), ref Unsafe.Add(ref z, 3));
        ref float z1 = ref Unsafe.Add(ref z, ldZ);
        Finish(c10, ref w0, ref x1, i, n, ref bias, ref z1);
        Finish(c11, ref w1, ref x1, i, n, ref Unsafe.Add(ref bias, 1), ref Unsafe.Add(ref z1, 1));
        Finish(c12, ref w2, ref x1, i, n, ref Unsafe.Add(ref bias, 2), ref Unsafe.Add(ref z1, 2));
        Finish(c13, ref w3, ref x1, i, n, ref Unsafe.Add(ref bias, 3), ref Unsafe.Add(ref z1, 3));
        ref float z2 = ref Unsafe.Add(ref z, 2 * ldZ);
        Finish(c20, ref w0, ref x2, i, n, ref bias, ref z2);
        Finish(c21, ref w1, ref x2, i, n, ref Unsafe.Add(ref bias, 1), ref Unsafe.Add(ref z2, 1));
        Finish(c22, ref w2, ref x2, i, n, ref Unsafe.Add(ref bias, 2), ref Unsafe.Add(ref z2, 2));
        Finish(c23, ref w3, ref x2, i, n, ref Unsafe.Add(ref bias, 3), ref Unsafe.Add(ref z2, 3));

        static void Finish(TVec acc, ref float w, ref float x, int i, int n, ref float bias, ref float z)
        {
            float sum = TOps.Sum(acc);
            for (; i < n; i++)
            {
                sum = KernelMath.MultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), sum);
            }

            z = bias + sum;
        }
    }

    /// <summary>
    /// One row of x against eight rows of W: eight independent <see cref="Dot{TOps, TVec}"/> chains, same bits. One x load
    /// feeds eight multiply-adds, and eight chains cover the multiply-add latency of two pipes (four chains leave half of
    /// them idle): the one-row forward pass of <c>Predict</c> and of per-sample training.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Dot1x8<TOps, TVec>(ref float w, ref float x, int n, ref float bias, ref float z)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        nint nn = n;
        if (v == 1 || n < v)
        {
            Dot1x4<TOps, TVec>(ref w, ref x, n, ref bias, ref z);
            Dot1x4<TOps, TVec>(ref Unsafe.Add(ref w, 4 * nn), ref x, n, ref Unsafe.Add(ref bias, 4), ref Unsafe.Add(ref z, 4));
            return;
        }

        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w, nn);
        ref float w2 = ref Unsafe.Add(ref w, 2 * nn);
        ref float w3 = ref Unsafe.Add(ref w, 3 * nn);
        ref float w4 = ref Unsafe.Add(ref w, 4 * nn);
        ref float w5 = ref Unsafe.Add(ref w, 5 * nn);
        ref float w6 = ref Unsafe.Add(ref w, 6 * nn);
        ref float w7 = ref Unsafe.Add(ref w, 7 * nn);
        TVec a = TOps.Load(ref x);
        TVec c0 = TOps.Multiply(TOps.Load(ref w0), a);
        TVec c1 = TOps.Multiply(TOps.Load(ref w1), a);
        TVec c2 = TOps.Multiply(TOps.Load(ref w2), a);
        TVec c3 = TOps.Multiply(TOps.Load(ref w3), a);
        TVec c4 = TOps.Multiply(TOps.Load(ref w4), a);
        TVec c5 = TOps.Multiply(TOps.Load(ref w5), a);
        TVec c6 = TOps.Multiply(TOps.Load(ref w6), a);
        TVec c7 = TOps.Multiply(TOps.Load(ref w7), a);
        int i = v;
        for (; i + v <= n; i += v)
        {
            nuint u = (nuint)i;
            a = TOps.Load(ref x, u);
            c0 = TOps.MultiplyAdd(TOps.Load(ref w0, u), a, c0);
            c1 = TOps.MultiplyAdd(TOps.Load(ref w1, u), a, c1);
            c2 = TOps.MultiplyAdd(TOps.Load(ref w2, u), a, c2);
            c3 = TOps.MultiplyAdd(TOps.Load(ref w3, u), a, c3);
            c4 = TOps.MultiplyAdd(TOps.Load(ref w4, u), a, c4);
            c5 = TOps.MultiplyAdd(TOps.Load(ref w5, u), a, c5);
            c6 = TOps.MultiplyAdd(TOps.Load(ref w6, u), a, c6);
            c7 = TOps.MultiplyAdd(TOps.Load(ref w7, u), a, c7);
        }

        // Every lane sum before the first call: a call clobbers the vector registers, and an accumulator still live across
        // one is kept on the stack inside the loop too (measured: eight chains then ran slower than four).
        float s0 = TOps.Sum(c0), s1 = TOps.Sum(c1), s2 = TOps.Sum(c2), s3 = TOps.Sum(c3);
        float s4 = TOps.Sum(c4), s5 = TOps.Sum(c5), s6 = TOps.Sum(c6), s7 = TOps.Sum(c7);
        if (i < n)
        {
            s0 = Tail(s0, ref w0, ref x, i, n);
            s1 = Tail(s1, ref w1, ref x, i, n);
            s2 = Tail(s2, ref w2, ref x, i, n);
            s3 = Tail(s3, ref w3, ref x, i, n);
            s4 = Tail(s4, ref w4, ref x, i, n);
            s5 = Tail(s5, ref w5, ref x, i, n);
            s6 = Tail(s6, ref w6, ref x, i, n);
            s7 = Tail(s7, ref w7, ref x, i, n);
        }

        z = bias + s0;
        Unsafe.Add(ref z, 1) = Unsafe.Add(ref bias, 1) + s1;
        Unsafe.Add(ref z, 2) = Unsafe.Add(ref bias, 2) + s2;
        Unsafe.Add(ref z, 3) = Unsafe.Add(ref bias, 3) + s3;
        Unsafe.Add(ref z, 4) = Unsafe.Add(ref bias, 4) + s4;
        Unsafe.Add(ref z, 5) = Unsafe.Add(ref bias, 5) + s5;
        Unsafe.Add(ref z, 6) = Unsafe.Add(ref bias, 6) + s6;
        Unsafe.Add(ref z, 7) = Unsafe.Add(ref bias, 7) + s7;

        static float Tail(float sum, ref float w, ref float x, int i, int n)
        {
            for (; i < n; i++)
            {
                sum = KernelMath.MultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), sum);
            }

            return sum;
        }
    }

    /// <summary>One row of x against four rows of W: four independent <see cref="Dot{TOps, TVec}"/> chains, same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Dot1x4<TOps, TVec>(ref float w, ref float x, int n, ref float bias, ref float z)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int v = TOps.Count;
        nint nn = n;
        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w, nn);
        ref float w2 = ref Unsafe.Add(ref w, 2 * nn);
        ref float w3 = ref Unsafe.Add(ref w, 3 * nn);
        if (v == 1 || n < v)
        {
            z = bias + Dot<TOps, TVec>(ref w0, ref x, n);
            Unsafe.Add(ref z, 1) = Unsafe.Add(ref bias, 1) + Dot<TOps, TVec>(ref w1, ref x, n);
            Unsafe.Add(ref z, 2) = Unsafe.Add(ref bias, 2) + Dot<TOps, TVec>(ref w2, ref x, n);
            Unsafe.Add(ref z, 3) = Unsafe.Add(ref bias, 3) + Dot<TOps, TVec>(ref w3, ref x, n);
            return;
        }

        TVec a = TOps.Load(ref x);
        TVec c0 = TOps.Multiply(TOps.Load(ref w0), a);
        TVec c1 = TOps.Multiply(TOps.Load(ref w1), a);
        TVec c2 = TOps.Multiply(TOps.Load(ref w2), a);
        TVec c3 = TOps.Multiply(TOps.Load(ref w3), a);
        int i = v;
        for (; i + v <= n; i += v)
        {
            nuint u = (nuint)i;
            a = TOps.Load(ref x, u);
            c0 = TOps.MultiplyAdd(TOps.Load(ref w0, u), a, c0);
            c1 = TOps.MultiplyAdd(TOps.Load(ref w1, u), a, c1);
            c2 = TOps.MultiplyAdd(TOps.Load(ref w2, u), a, c2);
            c3 = TOps.MultiplyAdd(TOps.Load(ref w3, u), a, c3);
        }

        // Lane sums before the first call (see Dot1x8).
        float s0 = TOps.Sum(c0), s1 = TOps.Sum(c1), s2 = TOps.Sum(c2), s3 = TOps.Sum(c3);
        if (i < n)
        {
            s0 = Tail(s0, ref w0, ref x, i, n);
            s1 = Tail(s1, ref w1, ref x, i, n);
            s2 = Tail(s2, ref w2, ref x, i, n);
            s3 = Tail(s3, ref w3, ref x, i, n);
        }

        z = bias + s0;
        Unsafe.Add(ref z, 1) = Unsafe.Add(ref bias, 1) + s1;
        Unsafe.Add(ref z, 2) = Unsafe.Add(ref bias, 2) + s2;
        Unsafe.Add(ref z, 3) = Unsafe.Add(ref bias, 3) + s3;

        static float Tail(float sum, ref float w, ref float x, int i, int n)
        {
            for (; i < n; i++)
            {
                sum = KernelMath.MultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), sum);
            }

            return sum;
        }
    }
}
