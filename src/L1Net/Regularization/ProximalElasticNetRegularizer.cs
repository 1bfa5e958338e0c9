using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// Elastic net by proximal gradient descent: <c>R(w) = l1 * sum |w| + l2 / 2 * sum w^2</c>. The smooth L2 part is in the
/// gradient (<c>dR/dw = l2 * w</c>); the L1 part is applied after every optimizer step by soft-thresholding,
/// <c>w = sign(w) max(|w| - l1 * eta, 0)</c> with the optimizer's step size <c>eta</c>, so weights reach exactly zero.
/// <c>ProximalElasticNet(l1, 0)</c> behaves as <see cref="ProximalL1Regularizer"/> and <c>ProximalElasticNet(0, l2)</c>
/// as <see cref="L2Regularizer"/>.
/// </summary>
internal sealed class ProximalElasticNetRegularizer : IRegularizer
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

    /// <summary>The L2 strength, in the gradient.</summary>
    public float L2 { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"ProximalElasticNet({L1}, {L2})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public bool HasProximalStep => true;

    /// <inheritdoc />
    /// <remarks>The L2 strength: the whole of <c>d(l2/2 w^2)/dw = l2 w</c>.</remarks>
    public float WeightDecay => L2;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) =>
        (L1 * (double)TensorPrimitives.SumOfMagnitudes(values)) + (0.5 * L2 * TensorPrimitives.SumOfSquares(values));

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    /// <remarks>Adds nothing: the smooth part's gradient <c>l2 w</c> is the linear part declared by <see cref="WeightDecay"/>.</remarks>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape) =>
        ProximalL1Regularizer.SoftThreshold(values, stepSizes, L1);

    /// <inheritdoc />
    public override string ToString() => Name;
}
