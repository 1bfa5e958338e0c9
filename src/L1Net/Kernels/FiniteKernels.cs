using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Finds the first value that is not finite (NaN or an infinity): the input check of every public entry point
/// (<c>Guard.AllFinite</c>), written once for every width (<see cref="IVectorOps{TVec}"/>, at <see cref="KernelWidths.Elementwise"/>).
/// </summary>
/// <remarks>
/// <c>x - x</c> is <c>+0</c> for every finite <c>x</c> and NaN for NaN and the infinities, so each chunk of
/// <see cref="Chunk"/> values is summed as <c>x - x</c> in two vector accumulators (NaN sticks); only a chunk whose sum is
/// NaN is searched value by value for the index. A 256-row <c>PredictBatch</c> of 784 inputs spent about 90 us of 850 in
/// the plain one-value-at-a-time loop this replaces (docs/benchmarks.md).
/// </remarks>
internal static class FiniteKernels
{
    /// <summary>Values per chunk: small enough that the value-by-value search of a bad chunk is cheap, large enough that the per-chunk test is.</summary>
    private const int Chunk = 1024;

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values) => IndexOfNonFiniteAt(values, KernelWidths.Elementwise);

    /// <summary><see cref="IndexOfNonFinite"/> at a given width (tests run every width the machine can).</summary>
    internal static int IndexOfNonFiniteAt(ReadOnlySpan<float> values, VectorWidth width) => width switch
    {
        VectorWidth.Vector512 => IndexOfNonFinite<Vec512Ops, Vector512<float>>(values),
        VectorWidth.Vector256 => IndexOfNonFinite<Vec256Ops, Vector256<float>>(values),
        VectorWidth.Vector128 => IndexOfNonFinite<Vec128Ops, Vector128<float>>(values),
        _ => IndexOfNonFinite<ScalarOps, float>(values),
    };

    private static int IndexOfNonFinite<TOps, TVec>(ReadOnlySpan<float> values)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int v = TOps.Count;
        for (int c0 = 0; c0 < n; c0 += Chunk)
        {
            int c1 = Math.Min(n, c0 + Chunk);
            TVec acc0 = TOps.Zero, acc1 = TOps.Zero;
            int i = c0;
            for (; i + (2 * v) <= c1; i += 2 * v)
            {
                TVec a = TOps.Load(ref Unsafe.Add(ref x, i));
                TVec b = TOps.Load(ref Unsafe.Add(ref x, i + v));
                acc0 = TOps.Add(acc0, TOps.Subtract(a, a));
                acc1 = TOps.Add(acc1, TOps.Subtract(b, b));
            }

            bool bad = float.IsNaN(TOps.Sum(TOps.Add(acc0, acc1)));
            for (; i < c1; i++)
            {
                bad |= !float.IsFinite(Unsafe.Add(ref x, i));
            }

            if (bad)
            {
                for (int j = c0; j < c1; j++)
                {
                    if (!float.IsFinite(Unsafe.Add(ref x, j)))
                    {
                        return j;
                    }
                }
            }
        }

        return -1;
    }
}
