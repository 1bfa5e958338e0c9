using System.Buffers;
using System.Numerics;

namespace L1Net.Training;

/// <summary>
/// Proves, without a forward pass, that the loss of every row of a data set is finite for given parameters: interval
/// bounds carried through the layers in O(parameters). <see cref="BackPropTrainer.Train"/> uses it at the end of a
/// completed run, so that the final evaluation on the training data can be deferred (<see cref="TrainingResult.Final"/>)
/// while the guarantee that a returned network has a finite training loss stays checked at <c>Train</c> time.
/// </summary>
/// <remarks>
/// <para>
/// The bound, in double precision: the inputs are bounded per feature by <c>u_i = max_r |x_r[i]|</c>
/// (<see cref="Dataset.FeatureMagnitudes"/>, exact); a unit's pre-activation by
/// <c>|z_j| &lt;= |b_j| + sum_i |W_ji| u_i</c>; its output by 1 for tanh, sigmoid and softmax (bounded functions) and by the
/// pre-activation's bound for ReLU and identity. Every pre-activation bound must be at most <see cref="Limit"/>.
/// </para>
/// <para>
/// Why that proves finiteness of what the float code computes: any float sum of products whose exact magnitudes add up
/// to at most <c>S</c> stays within <c>S (1 + 2^-24)^(n + 1)</c> in any summation order, with or without fused
/// multiply-adds (<c>n</c> terms); over the layer widths this library allows and a few layers, that factor and the
/// rounding of the activations' outputs (tanh or sigmoid at most one ulp beyond 1) stay far below the eight orders of
/// magnitude between <see cref="Limit"/> and <see cref="float.MaxValue"/>. So no pre-activation overflows, and with
/// finite inputs no NaN can arise (NaN needs an infinity first). Then: tanh, sigmoid, ReLU and identity of a finite value
/// are finite; the softmax subtracts the largest value first (<c>exp(z - max) &lt;= 1</c>, the sum is at least 1), so its
/// outputs are in [0, 1]; cross-entropy clamps every probability to at least <see cref="LossFunctions.ProbabilityFloor"/>
/// inside its logarithms and its targets are in [0, 1], so it is finite for any finite output; squared error is
/// <c>0.5 ||o - t||^2</c>, bounded by <c>0.5 sum_k (|o_k|max + |t_k|max)^2</c>, which must be at most <see cref="Limit"/> too
/// (targets bounded per column by <see cref="Dataset.TargetMagnitudes"/>). The bound itself is summed in double precision
/// in vector lanes; its own rounding (a relative 1e-12 at most) is nothing against that margin either.
/// </para>
/// <para>
/// The bound is loose (it takes the worst row for every feature at once and ignores cancellation), so it may fail for
/// parameters whose loss is finite; the caller then evaluates. It never holds for parameters with a non-finite loss on
/// some row: <c>LossBoundTests</c> checks that over random networks, huge weights included, for every activation and loss.
/// </para>
/// </remarks>
internal static class LossBound
{
    /// <summary>The largest accepted bound of a pre-activation and of the squared-error sum: 1e30, eight orders of magnitude below <see cref="float.MaxValue"/>.</summary>
    public const double Limit = 1e30;

    /// <summary>
    /// Whether every row of <paramref name="data"/> is proven to have a finite loss <paramref name="loss"/> with
    /// <paramref name="parameters"/> (laid out as <paramref name="layers"/> say). False means "not proven", not "infinite".
    /// Assumes what <see cref="BackPropTrainer.Train"/> validates: finite data, cross-entropy only after a sigmoid or
    /// softmax output and with targets in [0, 1].
    /// </summary>
    public static bool ProvesFinite(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, Dataset data, LossFunction loss)
    {
        ReadOnlySpan<float> features = data.FeatureMagnitudes;
        int widest = features.Length;
        foreach (LayerInfo layer in layers)
        {
            widest = Math.Max(widest, layer.OutputSize);
        }

        // Two buffers of bounds (one per unit of the widest layer), rented: Train allocates nothing for the proof.
        double[] first = ArrayPool<double>.Shared.Rent(widest);
        double[] second = ArrayPool<double>.Shared.Rent(widest);
        try
        {
            return Proves(layers, parameters, data, loss, features, first, second);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(first);
            ArrayPool<double>.Shared.Return(second);
        }
    }

    /// <summary><c>sum_i |w_i| u_i</c> in double (vector lanes sum separately, then together: a bound needs no fixed order).</summary>
    private static double WeightedMagnitude(ReadOnlySpan<float> w, ReadOnlySpan<double> u)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && w.Length >= Vector<float>.Count)
        {
            int half = Vector<double>.Count;
            Vector<double> acc = Vector<double>.Zero;
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.Abs(new Vector<float>(w[i..])), out Vector<double> low, out Vector<double> high);
                acc += (low * new Vector<double>(u[i..])) + (high * new Vector<double>(u[(i + half)..]));
            }

            sum = Vector.Sum(acc);
        }

        for (; i < w.Length; i++)
        {
            sum += Math.Abs((double)w[i]) * u[i];
        }

        return sum;
    }

    private static bool Proves(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, Dataset data, LossFunction loss, ReadOnlySpan<float> features, double[] input, double[] output)
    {
        for (int i = 0; i < features.Length; i++)
        {
            input[i] = features[i];
        }

        foreach (LayerInfo layer in layers)
        {
            int inputs = layer.InputSize;
            ReadOnlySpan<float> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            ReadOnlySpan<float> biases = parameters.Slice(layer.BiasOffset, layer.OutputSize);
            for (int j = 0; j < layer.OutputSize; j++)
            {
                double z = Math.Abs((double)biases[j]) + WeightedMagnitude(weights.Slice(j * inputs, inputs), input);

                if (!(z <= Limit))
                {
                    return false;
                }

                switch (layer.Activation)
                {
                    case Activation.Tanh:
                    case Activation.Sigmoid:
                    case Activation.Softmax:
                        output[j] = 1;
                        break;
                    case Activation.ReLU:
                    case Activation.Identity:
                        output[j] = z;
                        break;
                    default:
                        return false; // no bound rule for this activation
                }
            }

            (input, output) = (output, input);
        }

        switch (loss)
        {
            case LossFunction.CrossEntropy:
                return true;
            case LossFunction.SquaredError:
                ReadOnlySpan<float> targets = data.TargetMagnitudes;
                double sum = 0;
                for (int k = 0; k < targets.Length; k++)
                {
                    double d = input[k] + targets[k];
                    sum += d * d;
                }

                return sum <= Limit;
            default:
                return false; // no bound rule for this loss
        }
    }
}
