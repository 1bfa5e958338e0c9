using System.Buffers;
using L1Net.Kernels;

namespace L1Net;

/// <summary>The forward pass shared by prediction, evaluation and training.</summary>
internal static class FeedForward
{
    /// <summary>Total number of units over all layers: the length of the flat activation buffer.</summary>
    public static int TotalUnits(ReadOnlySpan<LayerInfo> layers)
    {
        int total = 0;
        foreach (LayerInfo layer in layers)
        {
            total += layer.OutputSize;
        }

        return total;
    }

    /// <summary>
    /// Runs the network on <paramref name="input"/>, writing every layer's output into <paramref name="activations"/>
    /// (layer 0's units first); the network output is the last <c>OutputSize</c> values.
    /// </summary>
    public static void Run(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> activations)
    {
        ReadOnlySpan<float> x = input;
        int offset = 0;
        foreach (LayerInfo layer in layers)
        {
            Span<float> a = activations.Slice(offset, layer.OutputSize);
            DenseKernels.Forward(
                parameters.Slice(layer.WeightOffset, layer.WeightCount),
                parameters.Slice(layer.BiasOffset, layer.OutputSize),
                x,
                a);
            ActivationKernels.Apply(layer.Activation, a, a);
            x = a;
            offset += layer.OutputSize;
        }
    }

    /// <summary>Runs the network on each row of <paramref name="inputs"/>, using a pooled scratch buffer (no allocation once the pool is warm).</summary>
    public static void RunRows(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize)
    {
        int rows = inputs.Length / inputSize;
        int units = TotalUnits(layers);
        float[]? rented = null;
        Span<float> scratch = units <= 1024 ? stackalloc float[units] : (rented = ArrayPool<float>.Shared.Rent(units)).AsSpan(0, units);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                Run(layers, parameters, inputs.Slice(r * inputSize, inputSize), scratch);
                scratch[^outputSize..].CopyTo(outputs.Slice(r * outputSize, outputSize));
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }
}
