using System.Globalization;
using L1Net.Regularization;

namespace L1Net.CustomRegularizer;

/// <summary>
/// A smooth L1, <c>R(w) = lambda * sum (sqrt(w^2 + eps^2) - eps)</c>, whose gradient
/// <c>lambda * w / sqrt(w^2 + eps^2)</c> is added in <see cref="AddGradient"/> by a plain scalar loop. Far from zero
/// (<c>|w| &gt;&gt; eps</c>) it pulls like L1, <c>lambda * sign(w)</c>; near zero like an L2 of strength
/// <c>lambda / eps</c>, so a weight settles close to zero instead of jumping across it as under the subgradient L1. It has
/// a gradient everywhere, so it works the same under every optimizer; it makes weights small, not exactly zero.
/// </summary>
public sealed class SmoothL1 : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">The strength, finite and at least 0.</param>
    /// <param name="epsilon">The smoothing width <c>eps</c>, finite and greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public SmoothL1(float lambda, float epsilon)
    {
        if (!float.IsFinite(lambda) || lambda < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The strength must be finite and at least 0.");
        }

        if (!float.IsFinite(epsilon) || epsilon <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The smoothing width must be finite and greater than 0.");
        }

        Lambda = lambda;
        Epsilon = epsilon;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <summary>The smoothing width <c>eps</c>.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"SmoothL1({Lambda}, eps {Epsilon})");

    /// <summary>Every value is independent of the others: the trainer may pass any block of rows, from any thread.</summary>
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <summary>The whole penalty, in double precision: each term as <c>w^2 / (sqrt(w^2 + eps^2) + eps)</c>, which equals
    /// <c>sqrt(w^2 + eps^2) - eps</c> without its cancellation near zero.</summary>
    /// <param name="values">The whole matrix.</param>
    /// <param name="shape">Its shape.</param>
    /// <returns><c>R(w)</c>.</returns>
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
    {
        double eps = Epsilon;
        double sum = 0;
        foreach (float value in values)
        {
            double square = (double)value * value;
            sum += square / (Math.Sqrt(square + (eps * eps)) + eps);
        }

        return Lambda * sum;
    }

    /// <summary>Adds <c>lambda * w / sqrt(w^2 + eps^2)</c> to each value's gradient: one rounded term per value.</summary>
    /// <param name="values">The values (a block of whole rows, or the whole matrix).</param>
    /// <param name="gradient">Their gradient, added to.</param>
    /// <param name="shape">The block's shape.</param>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        if (gradient.Length != values.Length)
        {
            throw new ArgumentException("The gradient must have one value per parameter.", nameof(gradient));
        }

        float epsilonSquared = Epsilon * Epsilon;
        for (int k = 0; k < values.Length; k++)
        {
            float w = values[k];
            gradient[k] += Lambda * w / MathF.Sqrt((w * w) + epsilonSquared);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
