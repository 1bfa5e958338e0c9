using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Regularization;

namespace L1Net.CustomRegularizer;

/// <summary>
/// A smooth group penalty on each unit's fan-in: with <c>W[o, :]</c> the weights into unit <c>o</c> (a row of the layer's
/// weight matrix), <c>R(W) = lambda * sum_o (sqrt(||W[o, :]||^2 + eps^2) - eps)</c>. It pulls a unit's incoming weights
/// towards zero together, so units the data does not need fade out as a whole; biases are not penalized. Its gradient,
/// <c>lambda * W[o, i] / sqrt(||W[o, :]||^2 + eps^2)</c>, needs a whole row, so it declares
/// <see cref="RegularizerCoupling.Rows"/>.
/// </summary>
public sealed class FanInGroupPenalty : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">The strength, finite and at least 0.</param>
    /// <param name="epsilon">The smoothing width <c>eps</c>, finite and greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public FanInGroupPenalty(float lambda, float epsilon)
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
    public string Name => string.Create(CultureInfo.InvariantCulture, $"FanInGroupPenalty({Lambda}, eps {Epsilon})");

    /// <summary>A value's gradient depends on its own row only: the trainer may pass any block of whole rows, from any thread.</summary>
    public RegularizerCoupling Coupling => RegularizerCoupling.Rows;

    /// <summary>The whole penalty, in double precision, one group per row of a weight matrix; 0 for biases.</summary>
    /// <param name="values">The whole matrix, row-major (<c>shape.Rows x shape.Columns</c>).</param>
    /// <param name="shape">Its shape.</param>
    /// <returns><c>R(W)</c>.</returns>
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
    {
        if (shape.Kind == ParameterKind.Biases)
        {
            return 0d;
        }

        double eps = Epsilon;
        double sum = 0;
        for (int row = 0; row < shape.Rows; row++)
        {
            double squares = 0;
            foreach (float value in values.Slice(row * shape.Columns, shape.Columns))
            {
                squares += (double)value * value;
            }

            sum += squares / (Math.Sqrt(squares + (eps * eps)) + eps); // = sqrt(squares + eps^2) - eps, without cancellation
        }

        return Lambda * sum;
    }

    /// <summary>
    /// Adds <c>lambda * w / sqrt(||row||^2 + eps^2)</c> to the gradient of every weight of the block's rows. The block holds
    /// <c>shape.RowCount</c> whole rows of <c>shape.Columns</c> values (rows <c>shape.FirstRow</c> on of the matrix).
    /// </summary>
    /// <param name="values">The values of the block's rows.</param>
    /// <param name="gradient">Their gradient, added to.</param>
    /// <param name="shape">The block's shape.</param>
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        if (shape.Kind == ParameterKind.Biases)
        {
            return;
        }

        if (values.Length != shape.Length || gradient.Length != shape.Length)
        {
            throw new ArgumentException("The values and the gradient must hold the block's rows.", nameof(shape));
        }

        float epsilonSquared = Epsilon * Epsilon;
        for (int row = 0; row < shape.RowCount; row++)
        {
            ReadOnlySpan<float> w = values.Slice(row * shape.Columns, shape.Columns);
            Span<float> g = gradient.Slice(row * shape.Columns, shape.Columns);
            float scale = Lambda / MathF.Sqrt(TensorPrimitives.SumOfSquares(w) + epsilonSquared);
            TensorPrimitives.MultiplyAdd(w, scale, g, g); // g += scale * w
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
