using L1Net.Kernels;

namespace L1Net;

/// <summary>No regularization: <c>R(w) = 0</c>.</summary>
public sealed class NoRegularizer : IRegularizer, IElasticNetStep
{
    /// <summary>The single instance.</summary>
    public static NoRegularizer Instance { get; } = new();

    private NoRegularizer()
    {
    }

    /// <inheritdoc />
    public string Name => "None";

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> weights) => 0d;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient)
    {
    }

    /// <inheritdoc />
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.Sgd(weights, gradient, learningRate);

    /// <inheritdoc />
    float IElasticNetStep.StepL1 => 0f;

    /// <inheritdoc />
    float IElasticNetStep.StepL2 => 0f;

    /// <inheritdoc />
    public override string ToString() => Name;
}
