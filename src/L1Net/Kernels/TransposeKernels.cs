using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace L1Net.Kernels;

/// <summary>
/// Block transposes between the row-major layouts of samples and the transposed (one row per unit, one column per
/// sample) layouts of <see cref="Gemm"/>: gathering a batch's feature rows into input columns, and the row-major copy of
/// hidden activations for the next layer's weight gradient. A plain copy: every value arrives unchanged.
/// </summary>
internal static class TransposeKernels
{
    /// <summary>
    /// <c>target[t * ldTarget + s] = source[rows.Offset(s) + t]</c> for <c>s</c> in <c>[s0, s1)</c> and <c>t</c> in
    /// <c>[0, columns)</c>: source row <c>s</c> becomes target column <c>s</c>. With AVX, whole 8 x 8 blocks go through
    /// registers (eight row loads, an in-register transpose, eight column stores) instead of 64 strided scalar copies.
    /// </summary>
    public static void Transpose<TRows>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget)
        where TRows : struct, IRowOffsets =>
        Transpose<TRows, NoCopy>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref target, 0);

    /// <summary>
    /// <see cref="Transpose{TRows}"/>, and from the same loads also a row-major copy <c>copy[s * ldCopy + t]</c> of the rows:
    /// a batch's gathered rows then sit side by side for a later product that reads them row by row.
    /// </summary>
    public static void TransposeAndCopy<TRows>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget, ref float copy, int ldCopy)
        where TRows : struct, IRowOffsets =>
        Transpose<TRows, WithCopy>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref copy, ldCopy);

    private static void Transpose<TRows, TCopy>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget, ref float copy, nint ldCopy)
        where TRows : struct, IRowOffsets
        where TCopy : struct, ICopyMode
    {
        int s = s0;
        int t8 = columns & ~7;
        if (Avx.IsSupported && t8 > 0)
        {
            for (; s + 8 <= s1; s += 8)
            {
                ref float r0 = ref Unsafe.Add(ref source, rows.Offset(s));
                ref float r1 = ref Unsafe.Add(ref source, rows.Offset(s + 1));
                ref float r2 = ref Unsafe.Add(ref source, rows.Offset(s + 2));
                ref float r3 = ref Unsafe.Add(ref source, rows.Offset(s + 3));
                ref float r4 = ref Unsafe.Add(ref source, rows.Offset(s + 4));
                ref float r5 = ref Unsafe.Add(ref source, rows.Offset(s + 5));
                ref float r6 = ref Unsafe.Add(ref source, rows.Offset(s + 6));
                ref float r7 = ref Unsafe.Add(ref source, rows.Offset(s + 7));
                ref float column = ref Unsafe.Add(ref target, s);
                ref float c0 = ref Unsafe.Add(ref copy, s * ldCopy);
                for (int t = 0; t < t8; t += 8)
                {
                    Vector256<float> a = Vector256.LoadUnsafe(ref r0, (nuint)t);
                    Vector256<float> b = Vector256.LoadUnsafe(ref r1, (nuint)t);
                    Vector256<float> c = Vector256.LoadUnsafe(ref r2, (nuint)t);
                    Vector256<float> d = Vector256.LoadUnsafe(ref r3, (nuint)t);
                    Vector256<float> e = Vector256.LoadUnsafe(ref r4, (nuint)t);
                    Vector256<float> f = Vector256.LoadUnsafe(ref r5, (nuint)t);
                    Vector256<float> g = Vector256.LoadUnsafe(ref r6, (nuint)t);
                    Vector256<float> h = Vector256.LoadUnsafe(ref r7, (nuint)t);
                    if (typeof(TCopy) == typeof(WithCopy))
                    {
                        ref float ct = ref Unsafe.Add(ref c0, t);
                        a.StoreUnsafe(ref ct);
                        b.StoreUnsafe(ref Unsafe.Add(ref ct, ldCopy));
                        c.StoreUnsafe(ref Unsafe.Add(ref ct, 2 * ldCopy));
                        d.StoreUnsafe(ref Unsafe.Add(ref ct, 3 * ldCopy));
                        e.StoreUnsafe(ref Unsafe.Add(ref ct, 4 * ldCopy));
                        f.StoreUnsafe(ref Unsafe.Add(ref ct, 5 * ldCopy));
                        g.StoreUnsafe(ref Unsafe.Add(ref ct, 6 * ldCopy));
                        h.StoreUnsafe(ref Unsafe.Add(ref ct, 7 * ldCopy));
                    }

                    Transpose8x8(a, b, c, d, e, f, g, h, ref Unsafe.Add(ref column, (nint)t * ldTarget), ldTarget);
                }

                for (int t = t8; t < columns; t++)
                {
                    ref float dst = ref Unsafe.Add(ref column, (nint)t * ldTarget);
                    for (int q = 0; q < 8; q++)
                    {
                        float value = Unsafe.Add(ref source, rows.Offset(s + q) + t);
                        Unsafe.Add(ref dst, q) = value;
                        if (typeof(TCopy) == typeof(WithCopy))
                        {
                            Unsafe.Add(ref c0, (q * ldCopy) + t) = value;
                        }
                    }
                }
            }
        }

        // Rows left over (or no AVX): scalar, a block of 8 target rows at a time.
        for (int t0 = 0; t0 < columns; t0 += 8)
        {
            int t1 = Math.Min(t0 + 8, columns);
            for (int q = s; q < s1; q++)
            {
                ref float row = ref Unsafe.Add(ref source, rows.Offset(q));
                for (int t = t0; t < t1; t++)
                {
                    float value = Unsafe.Add(ref row, t);
                    Unsafe.Add(ref target, ((nint)t * ldTarget) + q) = value;
                    if (typeof(TCopy) == typeof(WithCopy))
                    {
                        Unsafe.Add(ref copy, (q * ldCopy) + t) = value;
                    }
                }
            }
        }
    }

    /// <summary>Stores the transpose of the 8 x 8 block with rows <paramref name="a"/> .. <paramref name="h"/> as 8 rows <paramref name="ld"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d,
        Vector256<float> e, Vector256<float> f, Vector256<float> g, Vector256<float> h,
        ref float target, nint ld)
    {
        // Pairs of rows interleaved, then pairs of pairs: each 128-bit half then holds four values of one column.
        Vector256<float> t0 = Avx.UnpackLow(a, b), t1 = Avx.UnpackHigh(a, b);
        Vector256<float> t2 = Avx.UnpackLow(c, d), t3 = Avx.UnpackHigh(c, d);
        Vector256<float> t4 = Avx.UnpackLow(e, f), t5 = Avx.UnpackHigh(e, f);
        Vector256<float> t6 = Avx.UnpackLow(g, h), t7 = Avx.UnpackHigh(g, h);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, ld));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, 2 * ld));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, 3 * ld));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 4 * ld));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 5 * ld));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 6 * ld));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 7 * ld));
    }

    /// <summary>Whether a transpose also writes the row-major copy (a type, so each case compiles to its own loop).</summary>
    private interface ICopyMode;

    private readonly struct NoCopy : ICopyMode;

    private readonly struct WithCopy : ICopyMode;
}
