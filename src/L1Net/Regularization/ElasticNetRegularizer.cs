using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// Elastic net: <c>R(w) = l1 * sum |w| + l2 / 2 * sum w^2</c>, <c>dR/dw = l1 * sign(w) + l2 * w</c>.
/// <c>ElasticNet(l1, 0)</c> behaves as <see cref="L1Regularizer"/> and <c>ElasticNet(0, l2)</c> as <see cref="L2Regularizer"/>.
/// </summary>
public sealed class ElasticNetRegularizer : IRegularizer, IElasticNetStep
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
    public double Penalty(ReadOnlySpan<float> weights) =>
        (L1 * (double)TensorPrimitives.SumOfMagnitudes(weights)) + (0.5 * L2 * TensorPrimitives.SumOfSquares(weights));

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            float w = weights[i];
            gradient[i] += (L2 * w) + (w == 0f ? 0f : MathF.CopySign(L1, w));
        }
    }

    /// <inheritdoc />
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.ElasticNet(weights, gradient, learningRate, L1, L2);

    /// <inheritdoc />
    float IElasticNetStep.StepL1 => L1;

    /// <inheritdoc />
    float IElasticNetStep.StepL2 => L2;

    /// <inheritdoc />
    public override string ToString() => Name;
}
