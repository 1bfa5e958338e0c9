using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace L1Net.Kernels;

/// <summary>
/// Block transposes between the row-major layouts of samples and the transposed (one row per unit, one column per
/// sample) layouts of <see cref="Gemm"/>: gathering a batch's feature rows into input columns, and the row-major copy of
/// hidden activations for the next layer's weight gradient. A plain copy: every value arrives unchanged.
/// </summary>
/// <remarks>
/// One loop body for every block size (<see cref="IBlock"/>): whole <c>B x B</c> blocks go through registers (<c>B</c> row
/// loads, an in-register transpose, <c>B</c> column stores), the rest is copied element by element in cache-sized strips.
/// The in-register transpose needs two-vector shuffles, which have no width-portable API, so each block size is a few
/// lines of one instruction set: 8 x 8 with AVX (also on AVX-512 machines), 4 x 4 with SSE (x64 without AVX). Where neither
/// is available (<c>DOTNET_EnableHWIntrinsic=0</c>, and Arm64, where no AdvSimd block is written yet) the element-wise
/// strips copy everything; a transpose moves as many values as the product that follows it does multiply-adds per column,
/// so it is a small share of a training step.
/// </remarks>
internal static class TransposeKernels
{
    /// <summary>
    /// <c>target[t * ldTarget + s] = source[rows.Offset(s) + t]</c> for <c>s</c> in <c>[s0, s1)</c> and <c>t</c> in
    /// <c>[0, columns)</c>: source row <c>s</c> becomes target column <c>s</c>.
    /// </summary>
    public static void Transpose<TRows>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget)
        where TRows : struct, IRowOffsets =>
        Dispatch<TRows, NoCopy>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref target, 0);

    /// <summary>
    /// <see cref="Transpose{TRows}"/> with the columns of blocks outermost: the <c>B</c> target rows of one column of blocks
    /// are written from start to end in whole cache lines, while the source lines they come from (<c>B</c> values of each
    /// row, half a line with AVX) are still in the L1 cache when the next column of blocks reads their other half. For
    /// a few hundred source rows of contiguous values (the input block of <c>FeedForward.RunBatch</c>: 44 us instead of 55
    /// for 256 rows of 784); the row-block order of <see cref="Transpose{TRows}"/> streams fewer source rows at a time,
    /// which suits gathered rows from memory (training's batches).
    /// </summary>
    public static void TransposeByColumnBlocks<TRows>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget)
        where TRows : struct, IRowOffsets
    {
        if (Avx.IsSupported)
        {
            ColumnBlocks<TRows, Block8>(ref source, rows, s0, s1, columns, ref target, ldTarget);
        }
        else if (Sse.IsSupported)
        {
            ColumnBlocks<TRows, Block4>(ref source, rows, s0, s1, columns, ref target, ldTarget);
        }
        else
        {
            Dispatch<TRows, NoCopy>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref target, 0);
        }
    }

    /// <summary>
    /// <see cref="Transpose{TRows}"/>, and from the same loads also a row-major copy <c>copy[s * ldCopy + t]</c> of the rows:
    /// a batch's gathered rows then sit side by side for a later product that reads them row by row.
    /// </summary>
    public static void TransposeAndCopy<TRows>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget, ref float copy, int ldCopy)
        where TRows : struct, IRowOffsets =>
        Dispatch<TRows, WithCopy>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref copy, ldCopy);

    private static void Dispatch<TRows, TCopy>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget, ref float copy, nint ldCopy)
        where TRows : struct, IRowOffsets
        where TCopy : struct, ICopyMode
    {
        if (Avx.IsSupported)
        {
            Transpose<TRows, TCopy, Block8>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref copy, ldCopy);
        }
        else if (Sse.IsSupported)
        {
            Transpose<TRows, TCopy, Block4>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref copy, ldCopy);
        }
        else
        {
            Transpose<TRows, TCopy, NoBlock>(ref source, rows, s0, s1, columns, ref target, ldTarget, ref copy, ldCopy);
        }
    }

    /// <summary>Whole blocks by columns of blocks, then the columns and rows left over as <see cref="Transpose{TRows, TCopy, TBlock}"/> does them.</summary>
    private static void ColumnBlocks<TRows, TBlock>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget)
        where TRows : struct, IRowOffsets
        where TBlock : struct, IBlock
    {
        int b = TBlock.Size;
        int tb = columns - (columns % b);
        int sb = s1 - ((s1 - s0) % b);
        for (int t = 0; t < tb; t += b)
        {
            ref float targetRow = ref Unsafe.Add(ref target, (nint)t * ldTarget);
            for (int q = s0; q < sb; q += b)
            {
                TBlock.Transpose<TRows, NoCopy>(ref source, rows, q, t, ref Unsafe.Add(ref targetRow, q), ldTarget, ref target, 0);
            }
        }

        // Columns left over (past the last whole block) of the rows in whole blocks, then every column of the rows left over.
        for (int t = tb; t < columns; t++)
        {
            for (int q = s0; q < sb; q++)
            {
                Unsafe.Add(ref target, ((nint)t * ldTarget) + q) = Unsafe.Add(ref source, rows.Offset(q) + t);
            }
        }

        for (int t = 0; t < columns; t++)
        {
            for (int q = sb; q < s1; q++)
            {
                Unsafe.Add(ref target, ((nint)t * ldTarget) + q) = Unsafe.Add(ref source, rows.Offset(q) + t);
            }
        }
    }

    /// <summary>The one body: whole blocks of <c>TBlock.Size</c> rows and columns in registers, the rest in element-wise strips.</summary>
    private static void Transpose<TRows, TCopy, TBlock>(ref float source, TRows rows, int s0, int s1, int columns, ref float target, int ldTarget, ref float copy, nint ldCopy)
        where TRows : struct, IRowOffsets
        where TCopy : struct, ICopyMode
        where TBlock : struct, IBlock
    {
        int b = TBlock.Size;
        int s = s0;
        int tb = columns - (columns % b);
        if (b > 1 && tb > 0)
        {
            for (; s + b <= s1; s += b)
            {
                ref float column = ref Unsafe.Add(ref target, s);
                ref float c0 = ref Unsafe.Add(ref copy, s * ldCopy);
                for (int t = 0; t < tb; t += b)
                {
                    TBlock.Transpose<TRows, TCopy>(ref source, rows, s, t, ref Unsafe.Add(ref column, (nint)t * ldTarget), ldTarget, ref Unsafe.Add(ref c0, t), ldCopy);
                }

                for (int t = tb; t < columns; t++)
                {
                    ref float dst = ref Unsafe.Add(ref column, (nint)t * ldTarget);
                    for (int q = 0; q < b; q++)
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

        // Rows left over (or no block transpose): element by element, a strip of 8 target rows at a time.
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

    /// <summary>An in-register transpose of one square block.</summary>
    private interface IBlock
    {
        /// <summary>Rows and columns of the block.</summary>
        static abstract int Size { get; }

        /// <summary>
        /// Loads rows <c>s .. s + Size - 1</c> at column <paramref name="t"/>, stores their transpose as <c>Size</c> rows
        /// <paramref name="ld"/> apart at <paramref name="target"/>, and (with <see cref="WithCopy"/>) the rows themselves
        /// <paramref name="ldCopy"/> apart at <paramref name="copy"/>.
        /// </summary>
        static abstract void Transpose<TRows, TCopy>(ref float source, TRows rows, int s, int t, ref float target, nint ld, ref float copy, nint ldCopy)
            where TRows : struct, IRowOffsets
            where TCopy : struct, ICopyMode;
    }

    /// <summary>No block: everything goes through the element-wise strips.</summary>
    private readonly struct NoBlock : IBlock
    {
        public static int Size => 1;

        public static void Transpose<TRows, TCopy>(ref float source, TRows rows, int s, int t, ref float target, nint ld, ref float copy, nint ldCopy)
            where TRows : struct, IRowOffsets
            where TCopy : struct, ICopyMode =>
            throw new UnreachableException();
    }

    /// <summary>4 x 4 with SSE: pairs of rows interleaved, then the 64-bit halves recombined.</summary>
    private readonly struct Block4 : IBlock
    {
        public static int Size => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose<TRows, TCopy>(ref float source, TRows rows, int s, int t, ref float target, nint ld, ref float copy, nint ldCopy)
            where TRows : struct, IRowOffsets
            where TCopy : struct, ICopyMode
        {
            Vector128<float> a = Vector128.LoadUnsafe(ref source, (nuint)(rows.Offset(s) + t));
            Vector128<float> b = Vector128.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 1) + t));
            Vector128<float> c = Vector128.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 2) + t));
            Vector128<float> d = Vector128.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 3) + t));
            if (typeof(TCopy) == typeof(WithCopy))
            {
                a.StoreUnsafe(ref copy);
                b.StoreUnsafe(ref Unsafe.Add(ref copy, ldCopy));
                c.StoreUnsafe(ref Unsafe.Add(ref copy, 2 * ldCopy));
                d.StoreUnsafe(ref Unsafe.Add(ref copy, 3 * ldCopy));
            }

            Vector128<float> t0 = Sse.UnpackLow(a, b), t1 = Sse.UnpackHigh(a, b);
            Vector128<float> t2 = Sse.UnpackLow(c, d), t3 = Sse.UnpackHigh(c, d);
            Sse.MoveLowToHigh(t0, t2).StoreUnsafe(ref target);
            Sse.MoveHighToLow(t2, t0).StoreUnsafe(ref Unsafe.Add(ref target, ld));
            Sse.MoveLowToHigh(t1, t3).StoreUnsafe(ref Unsafe.Add(ref target, 2 * ld));
            Sse.MoveHighToLow(t3, t1).StoreUnsafe(ref Unsafe.Add(ref target, 3 * ld));
        }
    }

    /// <summary>8 x 8 with AVX: pairs of rows interleaved, then pairs of pairs, then the 128-bit halves recombined.</summary>
    private readonly struct Block8 : IBlock
    {
        public static int Size => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose<TRows, TCopy>(ref float source, TRows rows, int s, int t, ref float target, nint ld, ref float copy, nint ldCopy)
            where TRows : struct, IRowOffsets
            where TCopy : struct, ICopyMode
        {
            Vector256<float> a = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s) + t));
            Vector256<float> b = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 1) + t));
            Vector256<float> c = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 2) + t));
            Vector256<float> d = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 3) + t));
            Vector256<float> e = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 4) + t));
            Vector256<float> f = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 5) + t));
            Vector256<float> g = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 6) + t));
            Vector256<float> h = Vector256.LoadUnsafe(ref source, (nuint)(rows.Offset(s + 7) + t));
            if (typeof(TCopy) == typeof(WithCopy))
            {
                a.StoreUnsafe(ref copy);
                b.StoreUnsafe(ref Unsafe.Add(ref copy, ldCopy));
                c.StoreUnsafe(ref Unsafe.Add(ref copy, 2 * ldCopy));
                d.StoreUnsafe(ref Unsafe.Add(ref copy, 3 * ldCopy));
                e.StoreUnsafe(ref Unsafe.Add(ref copy, 4 * ldCopy));
                f.StoreUnsafe(ref Unsafe.Add(ref copy, 5 * ldCopy));
                g.StoreUnsafe(ref Unsafe.Add(ref copy, 6 * ldCopy));
                h.StoreUnsafe(ref Unsafe.Add(ref copy, 7 * ldCopy));
            }

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
    }

    /// <summary>Whether a transpose also writes the row-major copy (a type, so each case compiles to its own loop).</summary>
    private interface ICopyMode;

    private readonly struct NoCopy : ICopyMode;

    private readonly struct WithCopy : ICopyMode;
}
