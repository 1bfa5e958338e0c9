using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using L1Net.Kernels;

namespace L1Net.Networks;

/// <summary>The forward pass shared by prediction, evaluation and training.</summary>
internal static class FeedForward
{
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

    /// <summary>Rows per block of the batched forward pass: a multiple of the 3-row tile, small enough that a block's activations stay in the L2 cache.</summary>
    public const int BlockRows = 96;

    /// <summary>
    /// Runs the network on each row of <paramref name="inputs"/> (rows of <paramref name="inputSize"/> values, one after
    /// the other), writing each row's output to <paramref name="outputs"/>. Blocks of up to <see cref="BlockRows"/> rows go
    /// through each layer together (<see cref="SampleKernels.ForwardRows"/>: tiles of rows x units, many independent chains),
    /// each element the same bits as <see cref="Run"/> on its row. Scratch is on the stack or pooled: no allocation once the
    /// pool is warm.
    /// </summary>
    public static void RunRows(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return;
        }

        int widest = 0;
        for (int l = 0; l < layers.Length - 1; l++)
        {
            widest = Math.Max(widest, layers[l].OutputSize);
        }

        int block = Math.Min(rows, BlockRows);
        int half = block * widest;
        float[]? rented = null;
        Span<float> scratch = 2 * half <= 1024 ? stackalloc float[1024] : (rented = ArrayPool<float>.Shared.Rent(2 * half));
        try
        {
            ref float p = ref MemoryMarshal.GetReference(parameters);
            for (int r0 = 0; r0 < rows; r0 += block)
            {
                int count = Math.Min(block, rows - r0);
                scoped ReadOnlySpan<float> x = inputs.Slice(r0 * inputSize, count * inputSize);
                for (int l = 0; l < layers.Length; l++)
                {
                    LayerInfo layer = layers[l];
                    int units = layer.OutputSize;
                    Span<float> z = l == layers.Length - 1
                        ? outputs.Slice(r0 * outputSize, count * outputSize)
                        : scratch.Slice((l & 1) * half, count * units);
                    SampleKernels.ForwardRows(
                        ref Unsafe.Add(ref p, layer.WeightOffset),
                        ref Unsafe.Add(ref p, layer.BiasOffset),
                        ref MemoryMarshal.GetReference(x),
                        count,
                        layer.InputSize,
                        units,
                        ref MemoryMarshal.GetReference(z),
                        units,
                        KernelWidths.Sample);
                    if (layer.Activation != Activation.Identity)
                    {
                        for (int s = 0; s < count; s++)
                        {
                            Span<float> row = z.Slice(s * units, units);
                            ActivationKernels.Apply(layer.Activation, row, row);
                        }
                    }

                    x = z;
                }
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
