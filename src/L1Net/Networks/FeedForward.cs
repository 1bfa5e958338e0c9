using System.Buffers;
using System.Numerics.Tensors;
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
            SampleKernels.Forward(
                parameters.Slice(layer.WeightOffset, layer.WeightCount),
                parameters.Slice(layer.BiasOffset, layer.OutputSize),
                x,
                a);
            ActivationKernels.Apply(layer.Activation, a, a);
            x = a;
            offset += layer.OutputSize;
        }
    }

    /// <summary>Samples per block of <see cref="RunBatch"/> at most: a multiple of every width's panel (<see cref="Gemm.PanelColumns"/>).</summary>
    public const int BatchColumns = 128;

    /// <summary>Scratch of <see cref="RunBatch"/> kept per thread up to this many floats (4 MiB); larger needs are allocated per call.</summary>
    private const int CachedScratchFloats = 1 << 20;

    /// <summary>Inputs of <see cref="RunBatch"/> up to this many floats (1 MiB) are transposed by columns of blocks (<see cref="TransposeKernels.TransposeByColumnBlocks"/>).</summary>
    private const int CachedInputFloats = 1 << 18;

    /// <summary>Budget in floats that <see cref="RunBatch"/> sizes its blocks to (1 MiB), so the transposed block stays in the L2 cache.</summary>
    private const int ScratchBudgetFloats = 1 << 18;

    [ThreadStatic]
    private static ArraySegment<float> t_scratch;

    /// <summary>
    /// Runs the network on each row of <paramref name="inputs"/> (rows of <paramref name="inputSize"/> values), writing each
    /// row's output to <paramref name="outputs"/>, through the register-tiled GEMM of training (<see cref="Gemm"/>): a block
    /// of up to <see cref="BatchColumns"/> rows is transposed into columns, every layer computes <c>Z^T = W X^T + b</c>
    /// for the whole block (the activations stay transposed, one row per unit, from layer to layer), and the output layer's
    /// activation runs across the transposed block (softmax down each column) before its columns are transposed back into
    /// rows. A tanh or ReLU layer's activation is applied to each GEMM tile in registers
    /// (<see cref="BiasActivationStoreSink{TActivation}"/>; tanh as <see cref="RationalTanh"/>), not in a second pass over the block.
    /// </summary>
    /// <remarks>
    /// Each pre-activation is one multiply-add chain over the layer's inputs in order (see <see cref="Gemm"/>), so it does not
    /// depend on the tiling, on the block a row falls into or on the other rows: a row gives the same bits alone or in any
    /// batch; every activation value is computed alone (softmax: its sum in unit order). With hardware FMA it is also the
    /// same at every vector width. It differs from <see cref="RunRows"/> (vector partial sums per dot product,
    /// <see cref="TensorPrimitives.Tanh{T}(ReadOnlySpan{T}, Span{T})"/>, softmax per row) in the last bits. Blocks are padded with zero columns to whole panels, so the hidden
    /// activations always run over whole vectors; the transposed matrices' rows are <see cref="Gemm.PaddedStride"/> apart (an odd
    /// number of cache lines, so a panel walking down them does not fall into a few cache sets). Scratch is per thread and kept (no allocation per call once warm) up to
    /// 4 MiB.
    /// </remarks>
    public static void RunBatch(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return;
        }

        int widest = 0;
        foreach (LayerInfo layer in layers)
        {
            widest = Math.Max(widest, layer.OutputSize);
        }

        int panel = Gemm.PanelColumns;
        long perColumn = (long)inputSize + (2L * widest) + 2;
        int budgetColumns = (int)Math.Clamp(ScratchBudgetFloats / perColumn / panel * panel, panel, BatchColumns);
        int columns = Math.Min(budgetColumns, RoundUp(rows, panel));
        long length = perColumn * Gemm.PaddedStride(columns);
        Span<float> scratch = length <= CachedScratchFloats ? CachedScratch((int)length) : AlignedMemory.Allocate(checked((int)length));
        int capacity = Gemm.PaddedStride(columns);
        Span<float> inputT = scratch.Slice(0, inputSize * capacity);
        Span<float> even = scratch.Slice(inputSize * capacity, widest * capacity);
        Span<float> odd = scratch.Slice((inputSize + widest) * capacity, widest * capacity);
        Span<float> columnScratch = scratch.Slice((inputSize + (2 * widest)) * capacity, 2 * capacity);
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float x = ref MemoryMarshal.GetReference(inputs);

        // An input of up to 1 MiB is likely in the L2 cache: transposed by columns of blocks (whole target lines). A
        // larger one streams from memory, where eight source rows at a time suit the hardware prefetcher better
        // (measured: 3 % faster on 256 rows of 784, 1 % slower on 10,000).
        bool cachedInput = inputs.Length <= CachedInputFloats;
        for (int r0 = 0; r0 < rows; r0 += columns)
        {
            int count = Math.Min(columns, rows - r0);
            int n = RoundUp(count, panel);
            int ld = Gemm.PaddedStride(n);
            if (cachedInput)
            {
                TransposeKernels.TransposeByColumnBlocks(ref Unsafe.Add(ref x, (nint)r0 * inputSize), new StridedRows(inputSize), 0, count, inputSize, ref MemoryMarshal.GetReference(inputT), ld);
            }
            else
            {
                TransposeKernels.Transpose(ref Unsafe.Add(ref x, (nint)r0 * inputSize), new StridedRows(inputSize), 0, count, inputSize, ref MemoryMarshal.GetReference(inputT), ld);
            }
            if (n > count)
            {
                for (int i = 0; i < inputSize; i++)
                {
                    inputT.Slice((i * ld) + count, n - count).Clear();
                }
            }

            scoped ref float b = ref MemoryMarshal.GetReference(inputT);
            for (int l = 0; l < layers.Length; l++)
            {
                LayerInfo layer = layers[l];
                int units = layer.OutputSize;
                Span<float> z = ((l & 1) == 0 ? even : odd).Slice(0, units * ld);
                ref float z0 = ref MemoryMarshal.GetReference(z);
                ref float w = ref Unsafe.Add(ref p, layer.WeightOffset);
                ref float bias = ref Unsafe.Add(ref p, layer.BiasOffset);
                if (layer.Activation == Activation.Tanh)
                {
                    // The activation on the tile in registers, as it leaves the GEMM (no second pass over the block).
                    MultiplyLayer<TanhTileActivation>(ref w, layer.InputSize, ref b, units, n, ld, ref z0, ref bias);
                }
                else if (layer.Activation == Activation.ReLU)
                {
                    MultiplyLayer<ReluTileActivation>(ref w, layer.InputSize, ref b, units, n, ld, ref z0, ref bias);
                }
                else
                {
                    MultiplyLayer<IdentityTileActivation>(ref w, layer.InputSize, ref b, units, n, ld, ref z0, ref bias);
                    if (layer.Activation == Activation.Softmax)
                    {
                        SoftmaxColumns(z, units, ld, n, columnScratch.Slice(0, n), columnScratch.Slice(capacity, n));
                    }
                    else if (layer.Activation != Activation.Identity)
                    {
                        for (int o = 0; o < units; o++)
                        {
                            Span<float> unit = z.Slice(o * ld, n);
                            ActivationKernels.Apply(layer.Activation, unit, unit);
                        }
                    }
                }

                if (l < layers.Length - 1)
                {
                    b = ref z0;
                }
                else
                {
                    TransposeKernels.Transpose(ref z0, new StridedRows(ld), 0, units, count, ref MemoryMarshal.GetReference(outputs.Slice(r0 * outputSize, count * outputSize)), outputSize);
                }
            }
        }
    }

    /// <summary>
    /// Softmax down each column of <paramref name="z"/> (unit <c>u</c> of sample <c>s</c> at <c>z[u * ld + s]</c>, the
    /// transposed output block): <c>a_u = exp(z_u - max z) / sum_v exp(z_v - max z)</c>, every step a whole-row span
    /// operation across the samples (<see cref="TensorPrimitives"/>), the sum in unit order.
    /// </summary>
    private static void SoftmaxColumns(Span<float> z, int units, int ld, int n, Span<float> max, Span<float> sum)
    {
        z.Slice(0, n).CopyTo(max);
        for (int u = 1; u < units; u++)
        {
            TensorPrimitives.Max(max, z.Slice(u * ld, n), max);
        }

        for (int u = 0; u < units; u++)
        {
            Span<float> row = z.Slice(u * ld, n);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
        }

        z.Slice(0, n).CopyTo(sum);
        for (int u = 1; u < units; u++)
        {
            TensorPrimitives.Add(sum, z.Slice(u * ld, n), sum);
        }

        for (int u = 0; u < units; u++)
        {
            Span<float> row = z.Slice(u * ld, n);
            TensorPrimitives.Divide(row, sum, row);
        }
    }

    /// <summary><c>Z = f(W B + b)</c> for one layer of <see cref="RunBatch"/>: the activation applied to each GEMM tile as it is stored.</summary>
    private static void MultiplyLayer<TActivation>(ref float w, int inputSize, ref float b, int units, int n, int ld, ref float z0, ref float bias)
        where TActivation : struct, ITileActivation
    {
        var sink = new BiasActivationStoreSink<TActivation>(ref z0, ld, ref bias);
        Gemm.MultiplyBlocked(ref w, inputSize, 1, ref b, new StridedRows(ld), 0, units, n, inputSize, ref z0, ld, ref sink);
    }

    private static Span<float> CachedScratch(int length)
    {
        if (t_scratch.Count < length)
        {
            t_scratch = AlignedMemory.Allocate(length);
        }

        return t_scratch.AsSpan(0, length);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

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
