using System.Globalization;
using System.Numerics;
using L1Net.Regularization;

namespace L1Net.CustomRegularizer;

/// <summary>
/// <see cref="SmoothL1"/> with its gradient loop written with <see cref="Vector{T}"/>: the same formula, the same
/// operations in the same order on each value, so the same bits, several values at a time (8 floats with AVX2 or AVX-512,
/// 4 with SSE or Arm64 AdvSimd). The remainder, and machines without vector hardware, take the scalar loop.
/// </summary>
public sealed class SmoothL1Vectorized : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">The strength, finite and at least 0.</param>
    /// <param name="epsilon">The smoothing width <c>eps</c>, finite and greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public SmoothL1Vectorized(float lambda, float epsilon)
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
    public string Name => string.Create(CultureInfo.InvariantCulture, $"SmoothL1Vectorized({Lambda}, eps {Epsilon})");

    /// <summary>Every value is independent of the others: the trainer may pass any block of rows, from any thread.</summary>
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <summary>The whole penalty, in double precision (as <see cref="SmoothL1.Penalty"/>).</summary>
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

    /// <summary>Adds <c>lambda * w / sqrt(w^2 + eps^2)</c> to each value's gradient, a vector at a time.</summary>
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
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lambda = new Vector<float>(Lambda);
            var e2 = new Vector<float>(epsilonSquared);
            for (; k <= values.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var w = new Vector<float>(values[k..]);
                var g = new Vector<float>(gradient[k..]);
                (g + (lambda * w / Vector.SquareRoot((w * w) + e2))).CopyTo(gradient[k..]);
            }
        }

        for (; k < values.Length; k++)
        {
            float w = values[k];
            gradient[k] += Lambda * w / MathF.Sqrt((w * w) + epsilonSquared);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
