namespace L1Net.Tests.Training;

/// <summary>
/// A user's L1 that adds its subgradient itself in a scalar loop (the default <see cref="IRegularizer.HasGradient"/>, true),
/// as users write them. Its penalty allocates nothing, so the allocation tests can train with it.
/// </summary>
internal sealed class AddedL1(float lambda) : IRegularizer
{
    public string Name => "AddedL1";

    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += Math.Abs(v);
        }

        return lambda * sum;
    }

    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0f)
            {
                gradient[i] += MathF.CopySign(lambda, values[i]);
            }
        }
    }
}
