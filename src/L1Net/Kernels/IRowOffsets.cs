using System.Runtime.CompilerServices;

namespace L1Net.Kernels;

/// <summary>Where row <c>k</c> of the right-hand matrix of <see cref="Gemm"/> starts; a struct so the kernels are specialised for it.</summary>
internal interface IRowOffsets
{
    /// <summary>Offset of row <paramref name="k"/> from the matrix start.</summary>
    nint Offset(int k);
}

/// <summary>Rows at a fixed distance: row <c>k</c> starts at <c>k * stride</c>.</summary>
internal readonly struct StridedRows : IRowOffsets
{
    private readonly nint _stride;

    public StridedRows(int stride) => _stride = stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nint Offset(int k) => k * _stride;
}

/// <summary>Gathered rows: row <c>k</c> starts at <c>offsets[k]</c> (for example the rows of a batch, in shuffled order).</summary>
internal readonly struct GatheredRows : IRowOffsets
{
    private readonly int[] _offsets;

    public GatheredRows(int[] offsets) => _offsets = offsets;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nint Offset(int k) => Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_offsets), k);
}
