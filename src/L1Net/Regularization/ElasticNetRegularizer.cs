using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// Elastic net by subgradient: <c>R(w) = l1 * sum |w| + l2 / 2 * sum w^2</c>, <c>dR/dw = l1 * sign(w) + l2 * w</c>.
/// <c>ElasticNet(l1, 0)</c> behaves as <see cref="L1Regularizer"/> and <c>ElasticNet(0, l2)</c> as <see cref="L2Regularizer"/>.
/// </summary>
internal sealed class ElasticNetRegularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="l1">L1 strength, finite and at least zero.</param>
    /// <param name="l2">L2 strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative, NaN or infinite.</exception>
    public ElasticNetRegularizer(float l1, float l2)
    {
        Guard.NonNegative(l1);
        Guard.NonNegative(l2);
        L1 = l1;
        L2 = l2;
    }

    /// <summary>The L1 strength.</summary>
    public float L1 { get; }

    /// <summary>The L2 strength.</summary>
    public float L2 { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"ElasticNet({L1}, {L2})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    /// <remarks>The L2 strength: the whole of <c>d(l2/2 w^2)/dw = l2 w</c>.</remarks>
    public float WeightDecay => L2;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) =>
        (L1 * (double)TensorPrimitives.SumOfMagnitudes(values)) + (0.5 * L2 * TensorPrimitives.SumOfSquares(values));

    /// <inheritdoc />
    /// <remarks>Adds nothing: the L1 subgradient <c>l1 sign(w)</c> is declared by <see cref="SignCoefficient"/>, the L2 part <c>l2 w</c> by <see cref="WeightDecay"/>.</remarks>
    public float SignCoefficient => L1;

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        // Both parts are declared (SignCoefficient and WeightDecay): the trainer applies them in the step.
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
