using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// L1 (lasso) by proximal gradient descent: <c>R(w) = lambda * sum |w|</c>, applied as soft-thresholding after every
/// update, <c>w = sign(w) max(|w| - rate * lambda, 0)</c>. Unlike the subgradient <see cref="L1Regularizer"/>, a weight
/// whose data gradient stays smaller than <c>lambda</c> reaches exactly zero and stays there.
/// </summary>
/// <remarks>
/// The penalty has no smooth part: <see cref="AddGradient"/> adds nothing and <see cref="Update"/> is the plain data step;
/// the whole penalty is applied by <see cref="AfterUpdate"/>, which never moves a weight across zero. <see cref="Penalty"/>
/// is the full <c>lambda * sum |w|</c>.
/// </remarks>
public sealed class ProximalL1Regularizer : IRegularizer, IProximalStep
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
    public double Penalty(ReadOnlySpan<float> weights) => Lambda * (double)TensorPrimitives.SumOfMagnitudes(weights);

    /// <summary>Adds nothing: the L1 penalty has no smooth part; <see cref="AfterUpdate"/> applies it.</summary>
    /// <param name="weights">The weights (unused).</param>
    /// <param name="gradient">The data gradient, left unchanged.</param>
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient)
    {
    }

    /// <summary>The plain data step <c>w -= rate * gradient</c>; the penalty follows in <see cref="AfterUpdate"/>.</summary>
    /// <param name="weights">The weights, updated in place.</param>
    /// <param name="gradient">The data gradient.</param>
    /// <param name="learningRate">The step size.</param>
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.Sgd(weights, gradient, learningRate);

    /// <summary>Soft-thresholds the weights by <c>learningRate * Lambda</c>: <c>w = sign(w) max(|w| - rate * lambda, 0)</c>.</summary>
    /// <param name="weights">The updated weights, changed in place.</param>
    /// <param name="learningRate">The step size of the update just made.</param>
    public void AfterUpdate(Span<float> weights, float learningRate) =>
        ProximalKernels.SoftThreshold(weights, learningRate * Lambda);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <inheritdoc />
    float IProximalStep.DataStepL2 => 0f;

    /// <inheritdoc />
    bool IProximalStep.ElementWise => true;
}
