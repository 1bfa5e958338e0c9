using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net.Regularization;

/// <summary>
/// L1 (lasso) by proximal gradient descent: <c>R(w) = lambda * sum |w|</c>, applied after every optimizer step as
/// soft-thresholding, <c>w = sign(w) max(|w| - lambda * eta, 0)</c>, where <c>eta</c> is the step size the optimizer used for
/// that weight (the learning rate under SGD; Adam's per-weight step under Adam, the proximal step in Adam's diagonal
/// metric). Unlike the subgradient <see cref="L1Regularizer"/>, a weight whose data gradient stays smaller than
/// <c>lambda</c> reaches exactly zero and stays there.
/// </summary>
/// <remarks>
/// The penalty has no smooth part: <see cref="AddGradient"/> adds nothing; the whole penalty is applied by
/// <see cref="ApplyProximal"/>, which never moves a weight across zero. <see cref="Penalty"/> is the full
/// <c>lambda * sum |w|</c>.
/// </remarks>
internal sealed class ProximalL1Regularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public ProximalL1Regularizer(float lambda)
    {
        Guard.NonNegative(lambda);
        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"ProximalL1({Lambda})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public bool HasProximalStep => true;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => Lambda * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape) =>
        SoftThreshold(values, stepSizes, Lambda);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Soft-thresholding by <c>lambda eta</c>, with one step size or one per value.</summary>
    internal static void SoftThreshold(Span<float> values, ReadOnlySpan<float> stepSizes, float lambda)
    {
        if (stepSizes.Length == 1)
        {
            ProximalKernels.SoftThreshold(values, stepSizes[0] * lambda);
        }
        else
        {
            RegularizerKernels.SoftThreshold(values, stepSizes, lambda);
        }
    }
}
