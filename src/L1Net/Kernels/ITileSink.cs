namespace L1Net.Kernels;

/// <summary>
/// Where <see cref="Gemm"/> puts a finished element of <c>C = A B</c>: stored, stored with a bias, or stored scaled (the
/// mean weight gradient). Implemented by ref structs so the JIT specialises the kernels for each; the vector overload is
/// generic over the width (<see cref="IVectorOps{TVec}"/>), so one sink serves every width.
/// </summary>
internal interface ITileSink
{
    /// <summary>Receives <c>C[row, col .. col + TOps.Count - 1]</c>.</summary>
    void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct;

    /// <summary>Receives <c>C[row, col]</c>.</summary>
    void Store(int row, int col, float value);
}
