using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace L1Net.Kernels;

/// <summary>
/// The element-wise pieces of the built-in regularizers that <c>TensorPrimitives</c> does not have: the L1 subgradient with
/// <c>sign(0) = 0</c>, and soft-thresholding with one threshold per value (the proximal L1 step under Adam). Each operation
/// is one <see cref="IElementwiseOperator"/> body for every width, run by <see cref="Elementwise"/> at
/// <see cref="KernelWidths.Elementwise"/>; the scalar tail runs the same body, so every element gets the same bits whatever
/// the width and wherever it falls in the span.
/// </summary>
internal static class RegularizerKernels
{
    /// <summary>
    /// <c>gradient[i] = w[i] == 0 ? gradient[i] : gradient[i] + copysign(l1, w[i])</c>: adds <c>l1 sign(w[i])</c> with
    /// <c>sign(0) = 0</c>, leaving the gradient untouched (a <c>-0</c> stays <c>-0</c>) where the weight is zero.
    /// </summary>
    public static void AddL1Subgradient(ReadOnlySpan<float> weights, Span<float> gradient, float l1) =>
        AddL1Subgradient(weights, gradient, l1, KernelWidths.Elementwise);

    /// <summary><see cref="AddL1Subgradient(ReadOnlySpan{float}, Span{float}, float)"/> at a given width (tests run every width).</summary>
    internal static void AddL1Subgradient(ReadOnlySpan<float> weights, Span<float> gradient, float l1, VectorWidth width)
    {
        Check(weights, gradient);
        Elementwise.Run(ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(gradient), weights.Length, new L1Subgradient(l1), width);
    }

    /// <summary>
    /// Adds a regularizer's declared smooth gradient, <c>l1 sign(w) + decay w</c> (<see cref="Regularization.IRegularizer.SignCoefficient"/>
    /// and <see cref="Regularization.IRegularizer.WeightDecay"/>), in that order; a zero coefficient skips its pass.
    /// </summary>
    public static void AddDeclaredGradient(ReadOnlySpan<float> weights, Span<float> gradient, float l1, float decay)
    {
        if (l1 != 0f)
        {
            AddL1Subgradient(weights, gradient, l1); // g + l sign(w)
        }

        if (decay != 0f)
        {
            TensorPrimitives.MultiplyAdd(weights, decay, gradient, gradient); // g + d w, as PyTorch's weight_decay
        }
    }

    /// <summary>
    /// <c>w[i] = sign(w[i]) max(|w[i]| - lambda eta[i], 0)</c>: the proximal operator of <c>lambda |w|</c> with per-value
    /// step sizes <paramref name="stepSizes"/>; a clipped value becomes <c>+0</c>.
    /// </summary>
    public static void SoftThreshold(Span<float> weights, ReadOnlySpan<float> stepSizes, float lambda) =>
        SoftThreshold(weights, stepSizes, lambda, KernelWidths.Elementwise);

    /// <summary><see cref="SoftThreshold(Span{float}, ReadOnlySpan{float}, float)"/> at a given width.</summary>
    internal static void SoftThreshold(Span<float> weights, ReadOnlySpan<float> stepSizes, float lambda, VectorWidth width)
    {
        Check(stepSizes, weights);
        Elementwise.Run(ref MemoryMarshal.GetReference(stepSizes), ref MemoryMarshal.GetReference(weights), weights.Length, new ScaledSoftThreshold(lambda), width);
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
            throw new ArgumentException(Guard.Text($"The spans differ in length ({x.Length} and {y.Length})."), nameof(y));
        }
    }

    /// <summary><c>g + l1 sign(w)</c>, <c>sign(0) = 0</c> (x = w, y = g): where <c>w</c> is zero, <c>g</c> itself, so a <c>-0</c> gradient keeps its sign.</summary>
    private readonly struct L1Subgradient(float l1) : IElementwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec x, TVec y)
            where TOps : IVectorOps<TVec>
            where TVec : struct =>
            TOps.SelectWhereZero(x, y, TOps.Add(y, TOps.CopySign(TOps.Broadcast(l1), x)));
    }

    /// <summary><c>|w| &lt;= lambda eta ? +0 : w - copysign(lambda eta, w)</c> (x = eta, y = w); NaN stays NaN.</summary>
    private readonly struct ScaledSoftThreshold(float lambda) : IElementwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec x, TVec y)
            where TOps : IVectorOps<TVec>
            where TVec : struct
        {
            TVec t = TOps.Multiply(x, TOps.Broadcast(lambda));
            return TOps.ZeroWhereAtMost(TOps.Subtract(y, TOps.CopySign(t, y)), TOps.Abs(y), t);
        }
    }
}
