using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// L2 penalty (weight decay): <c>R(w) = lambda / 2 * sum w^2</c>, <c>dR/dw = lambda * w</c>. With this convention
/// <c>lambda</c> equals the weight-decay factor of PyTorch's SGD: each step scales every weight by <c>1 - rate * lambda</c>
/// on top of the data gradient.
/// </summary>
public sealed class L2Regularizer : IRegularizer, IElasticNetStep
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
    public double Penalty(ReadOnlySpan<float> weights) => 0.5 * Lambda * TensorPrimitives.SumOfSquares(weights);

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient) =>
        TensorPrimitives.MultiplyAdd(weights, Lambda, gradient, gradient);

    /// <inheritdoc />
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.ElasticNet(weights, gradient, learningRate, 0f, Lambda);

    /// <inheritdoc />
    float IElasticNetStep.StepL1 => 0f;

    /// <inheritdoc />
    float IElasticNetStep.StepL2 => Lambda;

    /// <inheritdoc />
    public override string ToString() => Name;
}
