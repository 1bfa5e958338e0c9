using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// The element-wise pieces of the built-in regularizers that <c>TensorPrimitives</c> does not have: the L1 subgradient with
/// <c>sign(0) = 0</c>, and soft-thresholding with one threshold per value (the proximal L1 step under Adam). Each operation
/// is written once as an operator with a scalar and a generic vector form, and <see cref="Run{TOp}"/> runs it at the widest
/// accelerated width (512, 256 or 128 bits, else scalar).
/// </summary>
internal static class RegularizerKernels
{
    /// <summary><c>gradient[i] += l1 sign(w[i])</c>, with <c>sign(0) = 0</c>.</summary>
    public static void AddL1Subgradient(ReadOnlySpan<float> weights, Span<float> gradient, float l1)
    {
        Check(weights, gradient);
        Run(ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(gradient), weights.Length, new L1Subgradient(l1));
    }

    /// <summary>
    /// <c>w[i] = sign(w[i]) max(|w[i]| - lambda eta[i], 0)</c>: the proximal operator of <c>lambda |w|</c> with per-value
    /// step sizes <paramref name="stepSizes"/>.
    /// </summary>
    public static void SoftThreshold(Span<float> weights, ReadOnlySpan<float> stepSizes, float lambda)
    {
        Check(stepSizes, weights);
        Run(ref MemoryMarshal.GetReference(stepSizes), ref MemoryMarshal.GetReference(weights), weights.Length, new ScaledSoftThreshold(lambda));
    }

    /// <summary>
    /// The cumulative L1 clip (Tsuruoka, Tsujii and Ananiadou 2009) with one running total per value:
    /// <c>u[i] += lambda eta[i]</c> (eta of length 1 is shared), then <c>w[i]</c> moves towards zero by what it has not yet
    /// paid, <c>u[i] + q[i]</c> (positive weights) or <c>u[i] - q[i]</c> (negative), clipped at zero, and
    /// <c>q[i]</c> records the move; a zero of either sign becomes <c>+0</c> and NaN stays NaN. <c>u</c> and <c>q</c> are kept
    /// in double precision.
    /// </summary>
    public static void CumulativeClip(Span<float> weights, ReadOnlySpan<float> stepSizes, float lambda, Span<double> totals, Span<double> applied)
    {
        if (totals.Length != weights.Length || applied.Length != weights.Length || (stepSizes.Length != 1 && stepSizes.Length != weights.Length))
        {
            throw new ArgumentException("The state, step sizes and weights differ in length.", nameof(weights));
        }

        bool shared = stepSizes.Length == 1;
        for (int i = 0; i < weights.Length; i++)
        {
            double u = totals[i] += (double)(shared ? stepSizes[0] : stepSizes[i]) * lambda;
            double q = applied[i];
            double z = weights[i];
            // A zero of either sign becomes +0 (the documented clip writes +0, never -0); NaN stays NaN.
            double clipped = z > 0d ? Math.Max(0d, z - Math.Max(0d, u + q)) : z < 0d ? Math.Min(0d, z + Math.Max(0d, u - q)) : z == 0d ? 0d : z;
            float result = (float)clipped;
            weights[i] = result;
            applied[i] = q + (result - z);
        }
    }

    private static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The spans differ in length ({x.Length} and {y.Length}).", nameof(y));
        }
    }

    /// <summary>An element-wise operation <c>y = f(x, y)</c>, written once for every width.</summary>
    private interface IOperator
    {
        float Invoke(float x, float y);

        Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

        Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

        Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
    }

    /// <summary>Runs <typeparamref name="TOp"/> over <paramref name="n"/> values at the widest accelerated width, the tail in scalar code.</summary>
    private static void Run<TOp>(ref float x, ref float y, int n, TOp op)
        where TOp : struct, IOperator
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref x, (nuint)i), Vector128.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref float yi = ref Unsafe.Add(ref y, i);
            yi = op.Invoke(Unsafe.Add(ref x, i), yi);
        }
    }

    /// <summary><c>g + l1 sign(w)</c>, <c>sign(0) = 0</c> (x = w, y = g).</summary>
    private readonly struct L1Subgradient(float l1) : IOperator
    {
        public float Invoke(float x, float y) => x == 0f ? y : y + MathF.CopySign(l1, x);

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) =>
            y + Vector128.AndNot(Vector128.CopySign(Vector128.Create(l1), x), Vector128.Equals(x, Vector128<float>.Zero));

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
            y + Vector256.AndNot(Vector256.CopySign(Vector256.Create(l1), x), Vector256.Equals(x, Vector256<float>.Zero));

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
            y + Vector512.AndNot(Vector512.CopySign(Vector512.Create(l1), x), Vector512.Equals(x, Vector512<float>.Zero));
    }

    /// <summary><c>sign(w) max(|w| - lambda eta, 0)</c> (x = eta, y = w).</summary>
    private readonly struct ScaledSoftThreshold(float lambda) : IOperator
    {
        public float Invoke(float x, float y)
        {
            float t = lambda * x;
            return MathF.Abs(y) <= t ? 0f : y - MathF.CopySign(t, y);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y)
        {
            Vector128<float> t = x * lambda;
            return Vector128.AndNot(y - Vector128.CopySign(t, y), Vector128.LessThanOrEqual(Vector128.Abs(y), t));
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y)
        {
            Vector256<float> t = x * lambda;
            return Vector256.AndNot(y - Vector256.CopySign(t, y), Vector256.LessThanOrEqual(Vector256.Abs(y), t));
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y)
        {
            Vector512<float> t = x * lambda;
            return Vector512.AndNot(y - Vector512.CopySign(t, y), Vector512.LessThanOrEqual(Vector512.Abs(y), t));
        }
    }
}
