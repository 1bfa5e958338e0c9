using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Regularization;

namespace L1Net.CustomRegularizer;

/// <summary>
/// L1 with its own strength for each layer, <c>R(W_l) = lambda_l * sum |w|</c>, applied by its proximal operator after
/// every optimizer step: soft-thresholding with the step size the optimizer used for each value,
/// <c>w_i = sign(w_i) * max(|w_i| - lambda_l * eta_i, 0)</c>. Weights whose data gradient stays below <c>lambda_l</c>
/// reach exactly zero and stay there. A stronger first layer zeroes more of the input weights; a weaker last layer leaves
/// the output units freer.
/// </summary>
/// <remarks>
/// The operator is the exact <c>argmin_u lambda_l |u| + (u - w_i)^2 / (2 eta_i)</c> of each value, so it is right for any
/// step sizes: one for the whole block (SGD, momentum) or one per value (Adam, AdamW).
/// </remarks>
public sealed class LayerwiseProximalL1 : IRegularizer
{
    private readonly float[] _lambdas;

    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambdas">The strength of each layer (index 0 is the first hidden layer), each finite and at least 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lambdas"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lambdas"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative, NaN or infinite.</exception>
    public LayerwiseProximalL1(IReadOnlyList<float> lambdas)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        if (lambdas.Count == 0)
        {
            throw new ArgumentException("Give one strength per layer.", nameof(lambdas));
        }

        foreach (float lambda in lambdas)
        {
            if (!float.IsFinite(lambda) || lambda < 0f)
            {
                throw new ArgumentOutOfRangeException(nameof(lambdas), lambda, "Every strength must be finite and at least 0.");
            }
        }

        _lambdas = [.. lambdas];
    }

    /// <summary>The strength of each layer.</summary>
    public IReadOnlyList<float> Lambdas => _lambdas;

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"LayerwiseProximalL1({string.Join(" / ", _lambdas.Select(l => l.ToString(CultureInfo.InvariantCulture)))})");

    /// <summary>Every value is independent of the others: the trainer may pass any block of rows, from any thread.</summary>
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <summary>True: the whole penalty is applied by <see cref="ApplyProximal"/>.</summary>
    public bool HasProximalStep => true;

    /// <summary>False: no smooth part, so the trainer never calls <see cref="AddGradient"/>.</summary>
    public bool HasGradient => false;

    /// <summary>Checks, at the start of every training call, that the network has no more layers than strengths were given.</summary>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <returns>This object (it keeps no state).</returns>
    /// <exception cref="ArgumentException">The matrix belongs to a layer without a strength.</exception>
    public IRegularizer Bind(ParameterShape shape)
    {
        _ = Lambda(shape);
        return this;
    }

    /// <summary><c>lambda_l * sum |w|</c>.</summary>
    /// <param name="values">The whole matrix.</param>
    /// <param name="shape">Its shape.</param>
    /// <returns>The penalty.</returns>
    /// <exception cref="ArgumentException">The matrix belongs to a layer without a strength (<see cref="Selection.RegularizationPath"/>
    /// calls this on the unbound object, for every layer).</exception>
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) =>
        Lambda(shape) * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <summary>Adds nothing: the penalty has no smooth part.</summary>
    /// <param name="values">The values.</param>
    /// <param name="gradient">The gradient, left as it is.</param>
    /// <param name="shape">The block's shape.</param>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <summary>Soft-thresholds every value by <c>lambda_l * eta</c>, with one step size or one per value.</summary>
    /// <param name="values">The values just stepped by the optimizer (a block of whole rows, or the whole matrix).</param>
    /// <param name="stepSizes">One step size for the block, or one per value; all finite and greater than 0.</param>
    /// <param name="shape">The block's shape.</param>
    /// <exception cref="ArgumentException">The block belongs to a layer without a strength, or the step sizes are neither one
    /// nor one per value; the values are then left as they were.</exception>
    public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
    {
        float lambda = Lambda(shape);
        if (stepSizes.Length == 1)
        {
            float threshold = lambda * stepSizes[0];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = SoftThreshold(values[k], threshold);
            }
        }
        else if (stepSizes.Length == values.Length)
        {
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = SoftThreshold(values[k], lambda * stepSizes[k]);
            }
        }
        else
        {
            throw new ArgumentException("Give one step size, or one per value.", nameof(stepSizes));
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The strength of the matrix's layer; throws, naming <paramref name="shape"/>, for a layer without one.</summary>
    private float Lambda(ParameterShape shape)
    {
        if (shape.Layer >= _lambdas.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{Name} has {_lambdas.Length} strengths, but the network has a layer {shape.Layer}."),
                nameof(shape));
        }

        return _lambdas[shape.Layer];
    }

    /// <summary><c>sign(w) * max(|w| - threshold, 0)</c>, with +0 for every value it clears.</summary>
    private static float SoftThreshold(float w, float threshold) =>
        MathF.Abs(w) <= threshold ? 0f : w - MathF.CopySign(threshold, w);
}
