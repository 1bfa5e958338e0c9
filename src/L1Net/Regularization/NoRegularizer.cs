namespace L1Net.Regularization;

/// <summary>No regularization: <c>R(w) = 0</c>.</summary>
internal sealed class NoRegularizer : IRegularizer
{
    /// <summary>The single instance.</summary>
    public static NoRegularizer Instance { get; } = new();

    private NoRegularizer()
    {
    }

    /// <inheritdoc />
    public string Name => "None";

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0d;

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
