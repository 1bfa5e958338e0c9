using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// Elastic net by proximal gradient descent: <c>R(w) = l1 * sum |w| + l2 / 2 * sum w^2</c>. The smooth L2 part is in the
/// gradient (<c>dR/dw = l2 * w</c>, fused into <see cref="Update"/>); the L1 part is applied after every update by
/// soft-thresholding, <c>w = sign(w) max(|w| - rate * l1, 0)</c>, so weights reach exactly zero.
/// <c>ProximalElasticNet(l1, 0)</c> behaves as <see cref="ProximalL1Regularizer"/> and <c>ProximalElasticNet(0, l2)</c>
/// as <see cref="L2Regularizer"/>.
/// </summary>
public sealed class ProximalElasticNetRegularizer : IRegularizer, IProximalStep
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="l1">L1 strength, finite and at least zero.</param>
    /// <param name="l2">L2 strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative, NaN or infinite.</exception>
    public ProximalElasticNetRegularizer(float l1, float l2)
    {
        Guard.NonNegative(l1);
        Guard.NonNegative(l2);
        L1 = l1;
        L2 = l2;
    }

    /// <summary>The L1 strength, applied by soft-thresholding.</summary>
    public float L1 { get; }

    /// <summary>The L2 strength, applied through the gradient.</summary>
    public float L2 { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"ProximalElasticNet({L1}, {L2})");

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> weights) =>
        (L1 * (double)TensorPrimitives.SumOfMagnitudes(weights)) + (0.5 * L2 * TensorPrimitives.SumOfSquares(weights));

    /// <summary>Adds the gradient of the smooth part only, <c>l2 * w</c>; the L1 part is applied by <see cref="AfterUpdate"/>.</summary>
    /// <param name="weights">The weights, before this step's update.</param>
    /// <param name="gradient">The data gradient of the same weights, updated in place.</param>
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient) =>
        TensorPrimitives.MultiplyAdd(weights, L2, gradient, gradient);

    /// <summary>The smooth step in one pass: <c>w = w (1 - rate * l2) - rate * gradient</c>.</summary>
    /// <param name="weights">The weights, updated in place.</param>
    /// <param name="gradient">The data gradient.</param>
    /// <param name="learningRate">The step size.</param>
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.ElasticNet(weights, gradient, learningRate, 0f, L2);

    /// <summary>Soft-thresholds the weights by <c>learningRate * L1</c>.</summary>
    /// <param name="weights">The updated weights, changed in place.</param>
    /// <param name="learningRate">The step size of the update just made.</param>
    public void AfterUpdate(Span<float> weights, float learningRate) =>
        ProximalKernels.SoftThreshold(weights, learningRate * L1);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <inheritdoc />
    float IProximalStep.DataStepL2 => L2;

    /// <inheritdoc />
    bool IProximalStep.ElementWise => true;
}
