using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Where <see cref="Gemm"/> puts a finished element of <c>C = A B</c>: stored, stored with a bias, or fused straight
/// into a weight update. Implemented by ref structs so the JIT specialises the kernels for each.
/// </summary>
internal interface ITileSink
{
    /// <summary>Receives <c>C[row, col .. col + 7]</c>.</summary>
    void Store(int row, int col, Vector256<float> value);

    /// <summary>Receives <c>C[row, col]</c>.</summary>
    void Store(int row, int col, float value);
}
