using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// L1 (lasso) penalty by subgradient: <c>R(w) = lambda * sum |w|</c>, <c>dR/dw = lambda * sign(w)</c> with <c>sign(0) = 0</c>.
/// Under SGD each step moves every nonzero weight towards zero by <c>rate * lambda</c> on top of the data gradient. A
/// subgradient step can cross zero, so weights end near zero rather than exactly at it.
/// </summary>
internal sealed class L1Regularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public L1Regularizer(float lambda)
    {
        Guard.NonNegative(lambda);
        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"L1({Lambda})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => Lambda * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <inheritdoc />
    public float SignCoefficient => Lambda;

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        // The whole subgradient lambda sign(w) is declared as SignCoefficient: the trainer applies it in the step.
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
