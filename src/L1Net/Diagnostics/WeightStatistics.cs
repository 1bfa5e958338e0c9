using System.Numerics.Tensors;

namespace L1Net.Diagnostics;

/// <summary>Summary of a network's weights: the numbers that show what a regularizer did.</summary>
public readonly record struct WeightStatistics
{
    /// <summary>Number of weights counted.</summary>
    public int Count { get; init; }

    /// <summary>L1 norm, <c>sum |w|</c>.</summary>
    public double L1Norm { get; init; }

    /// <summary>L2 norm, <c>sqrt(sum w^2)</c>.</summary>
    public double L2Norm { get; init; }

    /// <summary>The threshold used for <see cref="BelowThreshold"/>.</summary>
    public float Threshold { get; init; }

    /// <summary>Number of weights with <c>|w| &lt; Threshold</c> (exact zeros included).</summary>
    public int BelowThreshold { get; init; }

    /// <summary>Number of weights exactly equal to zero.</summary>
    public int ExactZeros { get; init; }

    /// <summary>Computes the statistics over every layer's weights (and biases if asked).</summary>
    /// <param name="network">The network; the values counted must be finite.</param>
    /// <param name="threshold">Magnitude below which a weight counts as near zero; finite and at least 0. Default 1e-3.</param>
    /// <param name="includeBiases">Whether biases are counted too. Default false.</param>
    /// <returns>The statistics.</returns>
    /// <remarks>
    /// A NaN or an infinity among the values counted is refused rather than summed: it would make both norms NaN or
    /// infinite and say nothing about the other weights. A network that <see cref="Training.BackPropTrainer.Train"/>
    /// returned is always finite. Finite weights whose float sums would overflow are summed in double (see
    /// <see cref="FromValues"/>).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">A weight (or, with <paramref name="includeBiases"/>, a bias) is NaN or infinite; the message names the layer and the element.</exception>
    public static WeightStatistics Compute(INetwork network, float threshold = 1e-3f, bool includeBiases = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        Guard.NonNegative(threshold);
        var acc = default(Accumulator); // local: a throw leaves nothing behind
        for (int l = 0; l < network.Layers.Count; l++)
        {
            AddFinite(ref acc, network.GetWeights(l), l, "weights", threshold);
            if (includeBiases)
            {
                AddFinite(ref acc, network.GetBiases(l), l, "biases", threshold);
            }
        }

        return acc.ToStatistics(threshold);

        static void AddFinite(ref Accumulator acc, ReadOnlySpan<float> values, int layer, string what, float threshold)
        {
            int bad = Guard.IndexOfNonFinite(values);
            if (bad >= 0)
            {
                throw new ArgumentException(Guard.Text($"The network's layer {layer} {what} must be finite, but element {bad} is {values[bad]}."), nameof(network));
            }

            acc.Add(values, threshold);
        }
    }

    /// <summary>Computes the statistics of one span of values.</summary>
    /// <param name="values">The values; all finite.</param>
    /// <param name="threshold">Magnitude below which a value counts as near zero; finite and at least 0.</param>
    /// <returns>The statistics.</returns>
    /// <remarks>
    /// A NaN or an infinity is refused rather than summed: it would make both norms NaN or infinite and say nothing about the
    /// other values. Finite values whose float sums would overflow (squares beyond <see cref="float.MaxValue"/>, from
    /// magnitudes of about 1.8e19) are summed in double, so the norms stay finite.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> holds a NaN or an infinity; the message gives the first one's index.</exception>
    public static WeightStatistics FromValues(ReadOnlySpan<float> values, float threshold = 1e-3f)
    {
        Guard.NonNegative(threshold);
        Guard.AllFinite(values, nameof(values));
        var acc = default(Accumulator);
        acc.Add(values, threshold);
        return acc.ToStatistics(threshold);
    }

    private struct Accumulator
    {
        private int _count, _below, _zeros;
        private double _l1, _sumSquares;

        /// <summary>Adds finite values.</summary>
        public void Add(ReadOnlySpan<float> values, float threshold)
        {
            _count += values.Length;
            float l1 = TensorPrimitives.SumOfMagnitudes(values);
            float sumSquares = TensorPrimitives.SumOfSquares(values);
            if (float.IsFinite(l1) && float.IsFinite(sumSquares))
            {
                _l1 += l1;
                _sumSquares += sumSquares;
            }
            else
            {
                // Finite values whose float sums overflow (squares beyond about 1.8e19): summed in double, which holds them.
                foreach (float v in values)
                {
                    _l1 += Math.Abs((double)v);
                    _sumSquares += (double)v * v;
                }
            }

            foreach (float v in values)
            {
                if (MathF.Abs(v) < threshold)
                {
                    _below++;
                }

                if (v == 0f)
                {
                    _zeros++;
                }
            }
        }

        public readonly WeightStatistics ToStatistics(float threshold) => new()
        {
            Count = _count,
            L1Norm = _l1,
            L2Norm = Math.Sqrt(_sumSquares),
            Threshold = threshold,
            BelowThreshold = _below,
            ExactZeros = _zeros,
        };
    }

    /// <summary>The members as the compiler's record text (<c>WeightStatistics { ... }</c>), every number in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InvariantText.Record(nameof(WeightStatistics), PrintMembers);
}
