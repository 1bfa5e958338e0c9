using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// L2 penalty (weight decay): <c>R(w) = lambda / 2 * sum w^2</c>, <c>dR/dw = lambda * w</c>. With this convention
/// <c>lambda</c> equals the (coupled) weight-decay factor of PyTorch's SGD and Adam: under plain SGD each step scales every
/// weight by <c>1 - rate * lambda</c> on top of the data gradient (<c>w (1 - rate lambda) - rate g</c>, the arithmetic of
/// 0.1), declared by <see cref="WeightDecay"/>.
/// </summary>
internal sealed class L2Regularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public L2Regularizer(float lambda)
    {
        Guard.NonNegative(lambda);
        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"L2({Lambda})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    /// <remarks>The L2 strength: the whole of <c>d(l2/2 w^2)/dw = l2 w</c>.</remarks>
    public float WeightDecay => Lambda;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0.5 * Lambda * TensorPrimitives.SumOfSquares(values);

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    /// <remarks>Adds nothing: the whole gradient <c>lambda w</c> is the linear part declared by <see cref="WeightDecay"/>.</remarks>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
