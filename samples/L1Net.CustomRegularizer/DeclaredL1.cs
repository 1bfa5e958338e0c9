using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Regularization;

namespace L1Net.CustomRegularizer;

/// <summary>
/// L1 by subgradient, <c>R(w) = lambda * sum |w|</c>, written against the public contract only. Its whole subgradient
/// <c>lambda * sign(w)</c> is declared (<see cref="SignCoefficient"/>), so <see cref="AddGradient"/> has nothing to add
/// (<see cref="HasGradient"/> is false) and the trainer applies the sign part inside its own step: the built-in
/// <c>Regularizer.L1</c>'s path, arithmetic and digits.
/// </summary>
public sealed class DeclaredL1 : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">The strength, finite and at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public DeclaredL1(float lambda)
    {
        if (!float.IsFinite(lambda) || lambda < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The strength must be finite and at least 0.");
        }

        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"DeclaredL1({Lambda})");

    /// <summary>Every value is independent of the others: the trainer may pass any block of rows, from any thread.</summary>
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <summary>The subgradient <c>lambda * sign(w)</c> (with <c>sign(0) = 0</c>), applied by the trainer in its step.</summary>
    public float SignCoefficient => Lambda;

    /// <summary>False: the declared sign part is the whole smooth (sub)gradient, so the trainer skips <see cref="AddGradient"/>.</summary>
    public bool HasGradient => false;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) =>
        Lambda * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <summary>Adds nothing: the subgradient is declared by <see cref="SignCoefficient"/>.</summary>
    /// <param name="values">The values.</param>
    /// <param name="gradient">The gradient, left as it is.</param>
    /// <param name="shape">The block's shape.</param>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
