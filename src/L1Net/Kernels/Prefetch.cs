using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace L1Net.Kernels;

/// <summary>
/// Software prefetch hints: the library's only unsafe code. <see cref="Sse.Prefetch1"/> takes a pointer, so this class
/// turns a managed reference into one (<c>Unsafe.AsPointer</c>) for the one instruction and nothing else:
/// a prefetch never reads a value into the program, never faults (not even on an address that is not mapped) and does not
/// change what any computation gives, so a pointer made stale by the garbage collector moving an array in between only
/// wastes the hint. Where the instruction is not available (Arm64, whose .NET intrinsics have no prefetch; x64 with
/// <c>DOTNET_EnableHWIntrinsic=0</c>) every method is a no-op.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Whether <see cref="ToL2"/> issues an instruction on this machine.</summary>
    public static bool IsSupported => Sse.IsSupported;

    /// <summary>Floats per 64-byte cache line.</summary>
    public const int LineFloats = 16;

    /// <summary>Asks the hardware to bring the cache line holding <paramref name="value"/> into the L2 cache (<c>prefetcht1</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToL2(ref readonly float value)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.AsRef(in value)));
        }
    }
}

/// <summary>
/// Walks a range of floats a few cache lines per <see cref="Step"/>, prefetching each line into the L2 cache
/// (<see cref="Prefetch.ToL2"/>): spreads the hints for the next block of a batch over the stores of the current block's
/// product. Default (or on a machine without prefetch) it does nothing.
/// </summary>
internal ref struct PrefetchCursor
{
    private readonly ref float _start;
    private readonly int _lines;
    private readonly int _perStep;
    private int _next;

    /// <param name="start">The first float of the range.</param>
    /// <param name="length">Floats in the range (the lines are counted from <paramref name="start"/>; a partial last line is left out).</param>
    /// <param name="steps">Calls of <see cref="Step"/> expected while the range should arrive: the lines are spread over them.</param>
    public PrefetchCursor(ref float start, int length, int steps)
    {
        _start = ref start;
        _lines = Prefetch.IsSupported ? length / Prefetch.LineFloats : 0;
        _perStep = Math.Max(1, (_lines + Math.Max(steps, 1) - 1) / Math.Max(steps, 1));
        _next = 0;
    }

    /// <summary>Prefetches the next few lines of the range, if any are left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if (_next < _lines)
        {
            int end = Math.Min(_next + _perStep, _lines);
            for (int i = _next; i < end; i++)
            {
                Prefetch.ToL2(in Unsafe.Add(ref _start, (nint)i * Prefetch.LineFloats));
            }

            _next = end;
        }
    }
}

/// <summary>
/// A tile sink that forwards every store to <typeparamref name="TSink"/> unchanged and then takes one
/// <see cref="PrefetchCursor.Step"/>: the stores of a GEMM arrive steadily through its last block of <c>k</c>, so the
/// cursor's lines are fetched while the multiply-adds run. The values stored are exactly the inner sink's.
/// </summary>
/// <typeparam name="TSink">The sink that stores.</typeparam>
internal ref struct PrefetchingSink<TSink> : ITileSink
    where TSink : ITileSink, allows ref struct
{
    private TSink _inner;
    private PrefetchCursor _cursor;

    /// <param name="inner">The sink that stores.</param>
    /// <param name="cursor">The range to prefetch along the stores.</param>
    public PrefetchingSink(TSink inner, PrefetchCursor cursor)
    {
        _inner = inner;
        _cursor = cursor;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        _inner.Store<TOps, TVec>(row, col, value);
        _cursor.Step();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value)
    {
        _inner.Store(row, col, value);
        _cursor.Step();
    }
}
