using System.Buffers;
using System.Numerics.Tensors;

namespace L1Net.Diagnostics;

/// <summary>Evaluation of a network on a <see cref="Dataset"/>.</summary>
public static class Metrics
{
    /// <summary>
    /// Fraction of rows whose largest output (first one on ties) is at the row's class label.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">Labelled data whose shape matches the network.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or <paramref name="data"/> has no labels.</exception>
    public static double Accuracy(INetwork network, Dataset data)
    {
        CheckShapes(network, data);
        if (!data.HasLabels)
        {
            throw new ArgumentException("Accuracy needs a dataset with class labels.", nameof(data));
        }

        return Evaluate(network, data, static (o, t, label) => TensorPrimitives.IndexOfMax(o) == label ? 1d : 0d);
    }

    /// <summary>
    /// Mean over rows of the summed squared error, <c>1/N sum_n sum_k (t_nk - o_nk)^2</c>
    /// (the "ms error" of the seed article; twice the mean <see cref="LossFunction.SquaredError"/> loss).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">Data whose shape matches the network.</param>
    /// <returns>The error.</returns>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public static double MeanSquaredError(INetwork network, Dataset data)
    {
        CheckShapes(network, data);
        return Evaluate(network, data, static (o, t, _) =>
        {
            double d = TensorPrimitives.Distance(o, t);
            return d * d;
        });
    }

    /// <summary>
    /// Mean cross-entropy, <c>-1/N sum_n sum_k t_nk ln max(o_nk, 1e-12)</c> (for a sigmoid output, the binary form
    /// described at <see cref="LossFunction.CrossEntropy"/>).
    /// </summary>
    /// <param name="network">The network; its output activation must be softmax or sigmoid.</param>
    /// <param name="data">Data whose shape matches the network.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the output activation is not softmax or sigmoid.</exception>
    public static double CrossEntropy(INetwork network, Dataset data)
    {
        CheckShapes(network, data);
        Activation output = network.Layers[^1].Activation;
        if (!LossFunctions.Supports(LossFunction.CrossEntropy, output))
        {
            throw new ArgumentException(Guard.Text($"Cross-entropy needs a softmax or sigmoid output layer, not {output}."), nameof(network));
        }

        return output == Activation.Sigmoid
            ? Evaluate(network, data, static (o, t, _) => LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Sigmoid, o, t))
            : Evaluate(network, data, static (o, t, _) => LossFunctions.Compute(LossFunction.CrossEntropy, Activation.Softmax, o, t));
    }

    /// <summary>Mean per-row loss <c>1/N sum_n E(o_n, t_n)</c> for <paramref name="loss"/>, as the trainer reports it.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">Data whose shape matches the network.</param>
    /// <param name="loss">The loss function.</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the loss is not defined for the output activation.</exception>
    public static double MeanLoss(INetwork network, Dataset data, LossFunction loss)
    {
        CheckShapes(network, data);
        Activation output = network.Layers[^1].Activation;
        if (!LossFunctions.IsDefined(loss) || !LossFunctions.Supports(loss, output))
        {
            throw new ArgumentException(Guard.Text($"Loss {loss} is not defined for a {output} output layer."), nameof(loss));
        }

        return loss == LossFunction.SquaredError
            ? MeanSquaredError(network, data) / 2d
            : CrossEntropy(network, data);
    }

    /// <summary>Fraction of rows a model classifies as their label, from raw features (the model's preprocessing is applied first).</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Labelled raw rows with the model's feature count and class count.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or <paramref name="data"/> has no labels.</exception>
    public static double Accuracy(ClassificationModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Accuracy(model.Network, model.Preprocess(data));
    }

    /// <summary>Mean cross-entropy of a model on raw rows (the model's preprocessing is applied first); see <see cref="CrossEntropy(INetwork, Dataset)"/>.</summary>
    /// <param name="model">The model; its output activation must be softmax or sigmoid.</param>
    /// <param name="data">Raw rows with the model's feature count and class count.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the output activation is not softmax or sigmoid.</exception>
    public static double CrossEntropy(ClassificationModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CrossEntropy(model.Network, model.Preprocess(data));
    }

    /// <summary>Mean per-row loss of a model on raw rows (the model's preprocessing is applied first); see <see cref="MeanLoss(INetwork, Dataset, LossFunction)"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Raw rows with the model's feature count and class count.</param>
    /// <param name="loss">The loss function.</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the loss is not defined for the output activation.</exception>
    public static double MeanLoss(ClassificationModel model, Dataset data, LossFunction loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        return MeanLoss(model.Network, model.Preprocess(data), loss);
    }

    private delegate double RowScore(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int label);

    /// <summary>Rows per <see cref="INetwork.PredictBatch"/> call: the batched forward product runs at engine speed on blocks this size.</summary>
    private const int EvaluationBlock = 256;

    private static double Evaluate(INetwork network, Dataset data, RowScore score)
    {
        int inputs = network.InputSize;
        int outputs = network.OutputSize;
        int block = Math.Min(data.Count, EvaluationBlock);
        float[] output = ArrayPool<float>.Shared.Rent(block * outputs);
        try
        {
            ReadOnlySpan<float> features = data.Features;
            DenseNetwork? dense = network as DenseNetwork; // decided once, not per block
            double sum = 0;
            for (int r0 = 0; r0 < data.Count; r0 += block)
            {
                int count = Math.Min(block, data.Count - r0);
                Span<float> o = output.AsSpan(0, count * outputs);
                if (dense is not null)
                {
                    // The data set's rows are finite and the shapes were checked: the forward product without PredictBatch's checks.
                    dense.PredictBatchChecked(features.Slice(r0 * inputs, count * inputs), o);
                }
                else
                {
                    network.PredictBatch(features.Slice(r0 * inputs, count * inputs), o);
                }

                for (int r = 0; r < count; r++)
                {
                    int row = r0 + r;
                    sum += score(o.Slice(r * outputs, outputs), data.GetTarget(row), data.HasLabels ? data.Labels[row] : -1);
                }
            }

            return sum / data.Count;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(output);
        }
    }

    internal static void CheckShapes(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != network.InputSize)
        {
            throw new ArgumentException(Guard.Text($"The data has {data.FeatureCount} features but the network takes {network.InputSize} inputs."), nameof(data));
        }

        if (data.TargetCount != network.OutputSize)
        {
            throw new ArgumentException(Guard.Text($"The data has {data.TargetCount} targets per row but the network has {network.OutputSize} outputs."), nameof(data));
        }
    }
}
