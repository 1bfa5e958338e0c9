using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Register-tiled matrix multiply <c>C = A B</c> (TensorPrimitives has no GEMM), written once for every vector width
/// (<see cref="IVectorOps{TVec}"/>; the width is <see cref="KernelWidths.Gemm"/>), with the result handed to an
/// <see cref="ITileSink"/> so that bias, store or scaling happen while the tile is still in registers.
/// </summary>
/// <remarks>
/// <para>
/// <c>A(i, k)</c> is read at <c>a[i * rowStrideA + k * colStrideA]</c> (so A may be a transposed view) and broadcast;
/// <c>B(k, j)</c> at <c>b[rows.Offset(k) + j]</c>, contiguous along <c>j</c>, in vectors (rows may be strided or gathered, e.g. the shuffled rows of a dataset). The micro-kernel holds a 6 x 2V tile of C (V lanes per
/// vector: 6 x 16 with Vector256, 6 x 32 with Vector512, 6 x 8 with Vector128, 6 x 2 in scalar registers) in twelve
/// accumulators (two vector loads of B and six broadcasts per twelve multiply-adds), with 4- and 2-row tiles for the rows
/// left over. Where the multiply-add is a multiply then an add on SSE (x64 without AVX, so without FMA), a 2 x 4V tile
/// takes the full 16-column panels instead (fewer broadcast shuffles per product, see <c>MultiplyRange</c>); the loop over 2V-column panels of B is
/// outermost, so a panel stays in the L1/L2 cache while every row tile of A streams past it.
/// </para>
/// <para>
/// Every element is one multiply-add chain <c>c = A(i, k) B(k, j) + c</c> over <c>k = 0, 1, ..., K - 1</c> starting from
/// zero, in every kernel (full tile, edge rows, edge columns, scalar tail), fused where the hardware has FMA
/// (<see cref="KernelMath.MultiplyAdd"/>). The value of an element therefore does not depend on the tiling, on the range
/// of rows a thread was given, on the number of threads, or (with FMA) on the vector width: results are bit-identical for
/// any partition and width.
/// </para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Rows of C per register tile; the chunks of rows that threads claim are multiples of this.</summary>
    public const int TileRows = 6;

    /// <summary>The unit of <see cref="PaddedStride"/> (one 64-byte cache line of floats).</summary>
    public const int TileColumns = 16;

    /// <summary>Columns of C per register tile at the chosen width (at least <see cref="TileColumns"/>): chunks of columns are multiples of this.</summary>
    public static int PanelColumns => Math.Max(TileColumns, 2 * (int)KernelWidths.Gemm);

    /// <summary>Floats of the panel of B that a register tile walks down in one block of <c>k</c> (16 KiB, a third of a 48 KiB L1 data cache).</summary>
    public const int PanelFloats = 4096;

    /// <summary>
    /// Values of <c>k</c> per block of <see cref="MultiplyBlocked"/> at a width: <see cref="PanelFloats"/> over the panel's
    /// columns, so 128 for Vector512 (32-float panels) and 256 for the others (16-float panels).
    /// </summary>
    public static int KBlockAt(VectorWidth width) => PanelFloats / Math.Max(TileColumns, 2 * (int)width);

    /// <summary>Computes rows <c>[rowBegin, rowEnd)</c> of <c>C = A B</c> (<c>n</c> columns, inner dimension <c>k</c>) into <paramref name="sink"/>.</summary>
    public static void Multiply<TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k, ref TSink sink)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct =>
        MultiplyRange(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, 0, k, ref a, 0, false, ref sink, KernelWidths.Gemm);

    /// <summary>
    /// Like <see cref="Multiply"/>, but cache-blocked over the inner dimension: for <c>k</c> above about
    /// 1.5 <see cref="KBlockAt"/> the product runs in blocks of at most about <see cref="KBlockAt"/> values of <c>k</c>, so the
    /// panel of B a register tile walks down (<see cref="PanelFloats"/> = 16 KiB at every width: 256 x 16 floats, or
    /// 128 x 32 with Vector512) stays in the L1 cache and the block of A in the L2. Between blocks the accumulators go to <paramref name="partial"/> (<c>partial[row * ldPartial + col]</c>, rows
    /// <c>[rowBegin, rowEnd)</c>, at least <c>n</c> columns) and are loaded back: a float store and load are exact, so every
    /// element is still the single FMA chain over <c>k = 0 .. K - 1</c> of <see cref="Multiply"/>, bit for bit. The sink
    /// sees only the finished elements; <paramref name="partial"/> may be the sink's own output when it has that layout.
    /// </summary>
    public static void MultiplyBlocked<TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k, ref float partial, int ldPartial, ref TSink sink)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct =>
        MultiplyBlockedAt(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k, ref partial, ldPartial, ref sink, KernelWidths.Gemm);

    /// <summary><see cref="Multiply"/> at a given width (tests run every width the machine can).</summary>
    internal static void MultiplyAt<TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k, ref TSink sink, VectorWidth width)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct =>
        MultiplyRange(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, 0, k, ref a, 0, false, ref sink, width);

    /// <summary><see cref="MultiplyBlocked"/> at a given width.</summary>
    internal static void MultiplyBlockedAt<TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k, ref float partial, int ldPartial, ref TSink sink, VectorWidth width)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        int kBlock = KBlockAt(width);
        int blocks = k <= kBlock + (kBlock / 2) ? 1 : (k + kBlock - 1) / kBlock;
        var store = new StoreSink(ref partial, ldPartial);
        for (int block = 0; block < blocks; block++)
        {
            int k0 = (int)((long)k * block / blocks);
            int k1 = (int)((long)k * (block + 1) / blocks);
            if (block == blocks - 1)
            {
                MultiplyRange(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref partial, ldPartial, block > 0, ref sink, width);
            }
            else
            {
                MultiplyRange(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref partial, ldPartial, block > 0, ref store, width);
            }
        }
    }

    /// <summary>Rows <c>[rowBegin, rowEnd)</c> of the partial product over <c>k0 .. k1 - 1</c>, starting from zero or (<paramref name="load"/>) from <paramref name="init"/>.</summary>
    private static void MultiplyRange<TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k0, int k1, ref float init, int ldInit, bool load, ref TSink sink, VectorWidth width)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        switch (width)
        {
            case VectorWidth.Vector512:
                MultiplyRange<Vec512Ops, Vector512<float>, TRows, TSink>(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref init, ldInit, load, ref sink);
                break;
            case VectorWidth.Vector256:
                MultiplyRange<Vec256Ops, Vector256<float>, TRows, TSink>(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref init, ldInit, load, ref sink);
                break;
            case VectorWidth.Vector128:
                MultiplyRange<Vec128Ops, Vector128<float>, TRows, TSink>(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref init, ldInit, load, ref sink);
                break;
            default:
                MultiplyRange<ScalarOps, float, TRows, TSink>(ref a, rowStrideA, colStrideA, ref b, rows, rowBegin, rowEnd, n, k0, k1, ref init, ldInit, load, ref sink);
                break;
        }
    }

    private static void MultiplyRange<TOps, TVec, TRows, TSink>(ref float a, int rowStrideA, int colStrideA, ref float b, TRows rows, int rowBegin, int rowEnd, int n, int k0, int k1, ref float init, int ldInit, bool load, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        int v = TOps.Count;
        int panel = 2 * v;
        ref float ak = ref Unsafe.Add(ref a, (nint)k0 * colStrideA);
        var start = new Start(ref init, ldInit, load);
        int j = 0;
        if (TOps.Count == 4 && !KernelMath.FusedHardware)
        {
            // SSE without FMA (x64 with DOTNET_EnableAVX=0): a multiply, an add and, per row of the tile, a broadcast
            // shuffle all compete for the same three vector ports, so a 2 x 4V tile (two shuffles per eight products)
            // beats the 6 x 2V one (six per twelve); it needs 14 of the 16 xmm registers.
            int wide = 4 * v;
            for (; j + wide <= n; j += wide)
            {
                ref float bj = ref Unsafe.Add(ref b, j);
                int i = rowBegin;
                for (; i + 2 <= rowEnd; i += 2)
                {
                    Kernel2x4V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), rowStrideA, colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
                }

                for (; i < rowEnd; i++)
                {
                    Kernel1x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
                    Kernel1x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), colStrideA, ref Unsafe.Add(ref bj, panel), rows, k0, k1, i, j + panel, start, ref sink);
                }
            }
        }

        for (; j + panel <= n; j += panel)
        {
            ref float bj = ref Unsafe.Add(ref b, j);
            int i = rowBegin;
            for (; i + TileRows <= rowEnd; i += TileRows)
            {
                Kernel6x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), rowStrideA, colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
            }

            RowsLeft2V<TOps, TVec, TRows, TSink>(ref ak, rowStrideA, colStrideA, ref bj, rows, i, rowEnd, k0, k1, j, start, ref sink);
        }

        for (; j + v <= n; j += v)
        {
            // One vector of columns left (for example 784 = 24 x 32 + 16 at 512 bits): six independent chains per tile
            // instead of one latency-bound chain per row.
            ref float bj = ref Unsafe.Add(ref b, j);
            int i = rowBegin;
            for (; i + TileRows <= rowEnd; i += TileRows)
            {
                Kernel6x1V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), rowStrideA, colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
            }

            for (; i < rowEnd; i++)
            {
                Kernel1xV<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
            }
        }

        for (; j < n; j++)
        {
            for (int i = rowBegin; i < rowEnd; i++)
            {
                Kernel1x1(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), colStrideA, ref Unsafe.Add(ref b, j), rows, k0, k1, i, j, start, ref sink);
            }
        }
    }

    /// <summary>
    /// A row stride of at least <paramref name="columns"/> floats, whole 16-float tiles, and an odd number of 64-byte
    /// cache lines: rows at power-of-two distances would all fall into a few cache sets and evict each other while a
    /// kernel walks down a panel.
    /// </summary>
    public static int PaddedStride(int columns)
    {
        int lines = (columns + TileColumns - 1) / TileColumns;
        return (lines | 1) * TileColumns;
    }

    /// <summary>Rows <c>[i, rowEnd)</c> (fewer than a 6-row tile's worth, or any count) of one 2V panel: 4-, 2- and 1-row tiles.</summary>
    private static void RowsLeft2V<TOps, TVec, TRows, TSink>(ref float ak, int rowStrideA, int colStrideA, ref float bj, TRows rows, int i, int rowEnd, int k0, int k1, int j, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        // Rows left over from the 6-row tiles (for example 256 = 42 x 6 + 4): 4- and 2-row tiles before the 1-row kernel.
        for (; i + 4 <= rowEnd; i += 4)
        {
            Kernel4x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), rowStrideA, colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
        }

        for (; i + 2 <= rowEnd; i += 2)
        {
            Kernel2x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), rowStrideA, colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
        }

        for (; i < rowEnd; i++)
        {
            Kernel1x2V<TOps, TVec, TRows, TSink>(ref Unsafe.Add(ref ak, (nint)i * rowStrideA), colStrideA, ref bj, rows, k0, k1, i, j, start, ref sink);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x1V<TOps, TVec, TRows, TSink>(ref float a, nint rsA, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        if (start.Load)
        {
            c0 = start.Get<TOps, TVec>(row, col);
            c1 = start.Get<TOps, TVec>(row + 1, col);
            c2 = start.Get<TOps, TVec>(row + 2, col);
            c3 = start.Get<TOps, TVec>(row + 3, col);
            c4 = start.Get<TOps, TVec>(row + 4, col);
            c5 = start.Get<TOps, TVec>(row + 5, col);
        }

        nint r1 = rsA, r2 = rsA * 2, r3 = rsA * 3, r4 = rsA * 4, r5 = rsA * 5;
        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            TVec b0 = TOps.Load(ref Unsafe.Add(ref b, rows.Offset(kk)));
            c0 = TOps.MultiplyAdd(TOps.Broadcast(ap), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, r1)), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, r2)), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, r3)), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, r4)), b0, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, r5)), b0, c5);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row, col, c0);
        sink.Store<TOps, TVec>(row + 1, col, c1);
        sink.Store<TOps, TVec>(row + 2, col, c2);
        sink.Store<TOps, TVec>(row + 3, col, c3);
        sink.Store<TOps, TVec>(row + 4, col, c4);
        sink.Store<TOps, TVec>(row + 5, col, c5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x2V<TOps, TVec, TRows, TSink>(ref float a, nint rsA, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c00 = TOps.Zero, c01 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero;
        TVec c40 = TOps.Zero, c41 = TOps.Zero;
        TVec c50 = TOps.Zero, c51 = TOps.Zero;
        if (start.Load)
        {
            c00 = start.Get<TOps, TVec>(row + 0, col);
            c01 = start.Get<TOps, TVec>(row + 0, col + TOps.Count);
            c10 = start.Get<TOps, TVec>(row + 1, col);
            c11 = start.Get<TOps, TVec>(row + 1, col + TOps.Count);
            c20 = start.Get<TOps, TVec>(row + 2, col);
            c21 = start.Get<TOps, TVec>(row + 2, col + TOps.Count);
            c30 = start.Get<TOps, TVec>(row + 3, col);
            c31 = start.Get<TOps, TVec>(row + 3, col + TOps.Count);
            c40 = start.Get<TOps, TVec>(row + 4, col);
            c41 = start.Get<TOps, TVec>(row + 4, col + TOps.Count);
            c50 = start.Get<TOps, TVec>(row + 5, col);
            c51 = start.Get<TOps, TVec>(row + 5, col + TOps.Count);
        }

        nint r1 = rsA, r2 = rsA * 2, r3 = rsA * 3, r4 = rsA * 4, r5 = rsA * 5;
        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            TVec b0 = TOps.Load(ref bp);
            TVec b1 = TOps.Load(ref bp, (nuint)TOps.Count);
            TVec x;
            x = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r1));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r2));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r3));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r4));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            c41 = TOps.MultiplyAdd(x, b1, c41);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r5));
            c50 = TOps.MultiplyAdd(x, b0, c50);
            c51 = TOps.MultiplyAdd(x, b1, c51);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row + 0, col, c00);
        sink.Store<TOps, TVec>(row + 0, col + TOps.Count, c01);
        sink.Store<TOps, TVec>(row + 1, col, c10);
        sink.Store<TOps, TVec>(row + 1, col + TOps.Count, c11);
        sink.Store<TOps, TVec>(row + 2, col, c20);
        sink.Store<TOps, TVec>(row + 2, col + TOps.Count, c21);
        sink.Store<TOps, TVec>(row + 3, col, c30);
        sink.Store<TOps, TVec>(row + 3, col + TOps.Count, c31);
        sink.Store<TOps, TVec>(row + 4, col, c40);
        sink.Store<TOps, TVec>(row + 4, col + TOps.Count, c41);
        sink.Store<TOps, TVec>(row + 5, col, c50);
        sink.Store<TOps, TVec>(row + 5, col + TOps.Count, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x2V<TOps, TVec, TRows, TSink>(ref float a, nint rsA, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c00 = TOps.Zero, c01 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero;
        if (start.Load)
        {
            c00 = start.Get<TOps, TVec>(row + 0, col);
            c01 = start.Get<TOps, TVec>(row + 0, col + TOps.Count);
            c10 = start.Get<TOps, TVec>(row + 1, col);
            c11 = start.Get<TOps, TVec>(row + 1, col + TOps.Count);
            c20 = start.Get<TOps, TVec>(row + 2, col);
            c21 = start.Get<TOps, TVec>(row + 2, col + TOps.Count);
            c30 = start.Get<TOps, TVec>(row + 3, col);
            c31 = start.Get<TOps, TVec>(row + 3, col + TOps.Count);
        }

        nint r1 = rsA, r2 = rsA * 2, r3 = rsA * 3;
        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            TVec b0 = TOps.Load(ref bp);
            TVec b1 = TOps.Load(ref bp, (nuint)TOps.Count);
            TVec x;
            x = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r1));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r2));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(Unsafe.Add(ref ap, r3));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row + 0, col, c00);
        sink.Store<TOps, TVec>(row + 0, col + TOps.Count, c01);
        sink.Store<TOps, TVec>(row + 1, col, c10);
        sink.Store<TOps, TVec>(row + 1, col + TOps.Count, c11);
        sink.Store<TOps, TVec>(row + 2, col, c20);
        sink.Store<TOps, TVec>(row + 2, col + TOps.Count, c21);
        sink.Store<TOps, TVec>(row + 3, col, c30);
        sink.Store<TOps, TVec>(row + 3, col + TOps.Count, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2x2V<TOps, TVec, TRows, TSink>(ref float a, nint rsA, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c00 = TOps.Zero, c01 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero;
        if (start.Load)
        {
            c00 = start.Get<TOps, TVec>(row + 0, col);
            c01 = start.Get<TOps, TVec>(row + 0, col + TOps.Count);
            c10 = start.Get<TOps, TVec>(row + 1, col);
            c11 = start.Get<TOps, TVec>(row + 1, col + TOps.Count);
        }

        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            TVec b0 = TOps.Load(ref bp);
            TVec b1 = TOps.Load(ref bp, (nuint)TOps.Count);
            TVec x;
            x = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(Unsafe.Add(ref ap, rsA));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row + 0, col, c00);
        sink.Store<TOps, TVec>(row + 0, col + TOps.Count, c01);
        sink.Store<TOps, TVec>(row + 1, col, c10);
        sink.Store<TOps, TVec>(row + 1, col + TOps.Count, c11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2x4V<TOps, TVec, TRows, TSink>(ref float a, nint rsA, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        int v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        if (start.Load)
        {
            c00 = start.Get<TOps, TVec>(row, col);
            c01 = start.Get<TOps, TVec>(row, col + v);
            c02 = start.Get<TOps, TVec>(row, col + (2 * v));
            c03 = start.Get<TOps, TVec>(row, col + (3 * v));
            c10 = start.Get<TOps, TVec>(row + 1, col);
            c11 = start.Get<TOps, TVec>(row + 1, col + v);
            c12 = start.Get<TOps, TVec>(row + 1, col + (2 * v));
            c13 = start.Get<TOps, TVec>(row + 1, col + (3 * v));
        }

        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            TVec b0 = TOps.Load(ref bp);
            TVec b1 = TOps.Load(ref bp, (nuint)v);
            TVec b2 = TOps.Load(ref bp, (nuint)(2 * v));
            TVec b3 = TOps.Load(ref bp, (nuint)(3 * v));
            TVec x = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            c02 = TOps.MultiplyAdd(x, b2, c02);
            c03 = TOps.MultiplyAdd(x, b3, c03);
            x = TOps.Broadcast(Unsafe.Add(ref ap, rsA));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            c12 = TOps.MultiplyAdd(x, b2, c12);
            c13 = TOps.MultiplyAdd(x, b3, c13);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row, col, c00);
        sink.Store<TOps, TVec>(row, col + v, c01);
        sink.Store<TOps, TVec>(row, col + (2 * v), c02);
        sink.Store<TOps, TVec>(row, col + (3 * v), c03);
        sink.Store<TOps, TVec>(row + 1, col, c10);
        sink.Store<TOps, TVec>(row + 1, col + v, c11);
        sink.Store<TOps, TVec>(row + 1, col + (2 * v), c12);
        sink.Store<TOps, TVec>(row + 1, col + (3 * v), c13);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel1x2V<TOps, TVec, TRows, TSink>(ref float a, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c0 = TOps.Zero, c1 = TOps.Zero;
        if (start.Load)
        {
            c0 = start.Get<TOps, TVec>(row, col);
            c1 = start.Get<TOps, TVec>(row, col + TOps.Count);
        }

        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            TVec x = TOps.Broadcast(ap);
            c0 = TOps.MultiplyAdd(x, TOps.Load(ref bp), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(ref bp, (nuint)TOps.Count), c1);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row, col, c0);
        sink.Store<TOps, TVec>(row, col + TOps.Count, c1);
    }

    private static void Kernel1xV<TOps, TVec, TRows, TSink>(ref float a, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        TVec c0 = start.Load ? start.Get<TOps, TVec>(row, col) : default;
        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            c0 = TOps.MultiplyAdd(TOps.Broadcast(ap), TOps.Load(ref bp), c0);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store<TOps, TVec>(row, col, c0);
    }

    private static void Kernel1x1<TRows, TSink>(ref float a, nint csA, ref float b, TRows rows, int k0, int k1, int row, int col, scoped Start start, ref TSink sink)
        where TRows : struct, IRowOffsets
        where TSink : ITileSink, allows ref struct
    {
        float c = start.Load ? start.GetScalar(row, col) : 0f;
        ref float ap = ref a;
        for (int kk = k0; kk < k1; kk++)
        {
            ref float bp = ref Unsafe.Add(ref b, rows.Offset(kk));
            c = KernelMath.MultiplyAdd(ap, bp, c);
            ap = ref Unsafe.Add(ref ap, csA);
        }

        sink.Store(row, col, c);
    }

    /// <summary>Where a kernel's accumulators start: zero, or the partial sums of the previous block of <c>k</c>.</summary>
    private readonly ref struct Start
    {
        private readonly ref float _c;
        private readonly nint _ld;

        public Start(ref float c, int ld, bool load)
        {
            _c = ref c;
            _ld = ld;
            Load = load;
        }

        public bool Load { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Get<TOps, TVec>(int row, int col)
            where TOps : IVectorOps<TVec>
            where TVec : struct => TOps.Load(ref Unsafe.Add(ref _c, (row * _ld) + col));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float GetScalar(int row, int col) => Unsafe.Add(ref _c, (row * _ld) + col);
    }
}
