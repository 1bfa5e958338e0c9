using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Regularization;

namespace L1Net.Seed;

/// <summary>
/// The article's "L1", as its listing wrote it, sign error included: before each update, every weight's step term gets
/// <c>+lambda</c> when the weight is positive and <c>-lambda</c> when it is negative (nothing at exactly 0). The listing's
/// terms are descent directions (it adds <c>rate * term</c>), so this moves every weight <em>away</em> from zero by
/// <c>rate * lambda</c> per step: it grows the weights instead of shrinking them. Kept here only to reproduce the
/// published numbers; use <see cref="Regularizer.L1"/> for a real L1.
/// </summary>
/// <remarks>
/// In L1Net's convention (<c>w -= rate * gradient</c>) the listing's term is <c>-gradient</c>, so this regularizer
/// adds <c>-lambda * sign(w)</c> to the gradient, the opposite of L1's subgradient <c>+lambda * sign(w)</c>. The penalty
/// it reports is therefore <c>-lambda * sum |w|</c>: the function this update actually descends. Biases are left alone
/// as in the listing (L1Net does not regularize biases unless asked).
/// </remarks>
public sealed class PublishedL1Regularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">The listing's <c>lamda</c>, finite and at least 0 (the article: 0.001).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public PublishedL1Regularizer(float lambda)
    {
        if (!float.IsFinite(lambda) || lambda < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "'lambda' must be finite and at least 0.");
        }

        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"PublishedL1({Lambda})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => -Lambda * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float w = values[i];
            if (w > 0f)
            {
                gradient[i] -= Lambda;
            }
            else if (w < 0f)
            {
                gradient[i] += Lambda;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
