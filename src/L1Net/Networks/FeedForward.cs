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
    /// row's output to <paramref name="outputs"/>, through the register-tiled GEMM of training (<see cref="Gemm"/>), in one of
    /// two layouts chosen by <see cref="ChooseLayout"/>. <see cref="BatchLayout.Transposed"/> (small batches): a block of up to
    /// <see cref="BatchColumns"/> rows is transposed into columns, every layer computes <c>Z^T = W X^T + b</c> for the whole
    /// block (the activations stay transposed, one row per unit, from layer to layer), and the output layer's activation runs
    /// across the transposed block (softmax down each column) before its columns are transposed back into rows.
    /// <see cref="BatchLayout.RowMajor"/> (large batches): each layer's <c>W^T</c> is packed once per call and blocks of
    /// <see cref="RowMajorBlockRows"/> rows compute <c>Z = X W^T + b</c> straight from the caller's rows (no input transpose);
    /// a softmax or sigmoid output goes through the transposed layout's block and code. A tanh or ReLU layer's activation
    /// is applied to each GEMM tile in registers (<see cref="BiasActivationStoreSink{TBias, TActivation}"/>,
    /// with a <see cref="RowBias"/> or a <see cref="ColumnBias"/>; tanh as <see cref="RationalTanh"/>), not in a second pass over the block.
    /// </summary>
    /// <remarks>
    /// Each pre-activation is one multiply-add chain over the layer's inputs in order (see <see cref="Gemm"/>), so it does not
    /// depend on the tiling, on the layout (the row-major layout multiplies the same two floats, <c>x w</c> instead of
    /// <c>w x</c>), on the block a row falls into or on the other rows: a row gives the same bits alone or in any batch;
    /// every activation value is computed alone (softmax: its sum in unit order). With hardware FMA it is also the
    /// same at every vector width. It differs from <see cref="RunRows"/> (vector partial sums per dot product,
    /// the bits of <see cref="TensorPrimitives.Tanh{T}(ReadOnlySpan{T}, Span{T})"/>, softmax per row) in the last bits. Blocks are padded with zero columns to whole panels, so the hidden
    /// activations always run over whole vectors; the transposed matrices' rows are <see cref="Gemm.PaddedStride"/> apart (an odd
    /// number of cache lines, so a panel walking down them does not fall into a few cache sets). Scratch is per thread and kept (no allocation per call once warm) up to
    /// 4 MiB. No packed weights outlive a call: the parameters may change between calls.
    /// </remarks>
    public static void RunBatch(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return;
        }

        RunBatchIn(layers, parameters, inputs, outputs, inputSize, outputSize, ChooseLayout(layers, rows));
    }

    /// <summary>
    /// <see cref="RunBatch"/> on inputs not yet checked: returns the index of the first value of <paramref name="inputs"/> that
    /// is not finite, leaving <paramref name="outputs"/> as they were, or -1 when every value is finite and the outputs are
    /// written. Each block is checked through its first layer's products (<see cref="NonFiniteFlagSink{TSink}"/>): a NaN or
    /// an infinity among a row's inputs makes every product of that row non-finite (<c>0 x Inf</c> is NaN), so only a block
    /// with a non-finite product (a bad input, or finite inputs whose product overflows) is searched value by value
    /// (<see cref="FiniteKernels.IndexOfNonFinite"/>); the others cost no read of their own (over 10,000 rows of 784, a
    /// separate check of each block just before its product cost about 1 ms of 30). The outputs are staged in the
    /// per-thread scratch until the last block; where they do not fit there, the whole input is checked first.
    /// </summary>
    internal static int RunBatchValidating(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return -1;
        }

        return RunIn(layers, parameters, inputs, outputs, inputSize, outputSize, ChooseLayout(layers, rows), validate: true);
    }

    /// <summary><see cref="RunBatch"/> in a given layout (tests compare the two).</summary>
    internal static void RunBatchIn(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize, BatchLayout layout) =>
        RunIn(layers, parameters, inputs, outputs, inputSize, outputSize, layout, validate: false);

    /// <summary>The batch in <paramref name="layout"/>: the first non-finite input's index when validating and one is met (nothing written), else -1.</summary>
    private static int RunIn(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize, BatchLayout layout, bool validate) =>
        layout == BatchLayout.RowMajor
            ? RunRowMajor(layers, parameters, inputs, outputs, inputSize, outputSize, validate)
            : RunTransposed(layers, parameters, inputs, outputs, inputSize, outputSize, validate);

    /// <summary>The transposed layout: input blocks transposed into columns, <c>Z^T = W X^T + b</c> layer by layer.</summary>
    private static int RunTransposed(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize, bool validate)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return -1;
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
        Span<float> target = outputs;
        if (TakeScratch(inputs, rows, outputSize, length, ref validate, ref outputs, out Span<float> scratch) is int bad and >= 0)
        {
            return bad;
        }

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

                // A validating run checks the block's inputs through the first layer's products (a non-finite input makes
                // every product of its row non-finite), not by a separate read; a flagged block is searched exactly.
                bool check = validate && l == 0;

                // The activation on the tile in registers, as it leaves the GEMM (no second pass over the block).
                if (MultiplyActivated<RowBias>(layer.Activation, ref w, layer.InputSize, ref b, ld, units, n, layer.InputSize, ref z0, ld, ref bias, check)
                    && FirstNonFiniteInBlock(inputs, inputSize, r0, count) is int blockBad and >= 0)
                {
                    return blockBad;
                }

                if (!IsTileActivation(layer.Activation))
                {
                    FinishOutputColumns(layer.Activation, z, units, ld, n, columnScratch);
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

        if (validate)
        {
            outputs.CopyTo(target);
        }

        return -1;
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

    /// <summary>
    /// Chooses the layout of <see cref="RunBatch"/>
    /// for <paramref name="rows"/> rows: <see cref="BatchLayout.RowMajor"/> where it applies (every hidden activation fused
    /// into the tile: tanh, ReLU or identity; its scratch within the per-thread cache) and the weights it transposes once
    /// per call are few against the input values the transposed layout would transpose (<c>rows x inputs</c> at least
    /// <see cref="RowMajorMinimumRatio"/> times the weight count), else <see cref="BatchLayout.Transposed"/>.
    /// </summary>
    internal static BatchLayout ChooseLayout(ReadOnlySpan<LayerInfo> layers, int rows)
    {
        long weights = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            if (l < layers.Length - 1 && !IsTileActivation(layers[l].Activation))
            {
                return BatchLayout.Transposed;
            }

            weights += layers[l].WeightCount;
        }

        long values = (long)rows * layers[0].InputSize;
        if (values < RowMajorMinimumRatio * weights)
        {
            return BatchLayout.Transposed;
        }

        return RowMajorScratchFloats(layers, Math.Min(rows, RowMajorBlockRows)) <= CachedScratchFloats ? BatchLayout.RowMajor : BatchLayout.Transposed;
    }

    /// <summary>Whether <paramref name="activation"/> is applied to the GEMM tile in registers (<see cref="ITileActivation"/>).</summary>
    private static bool IsTileActivation(Activation activation) =>
        activation is Activation.Tanh or Activation.ReLU or Activation.Identity;

    /// <summary>Rows per block of <see cref="BatchLayout.RowMajor"/>: a multiple of the 6-row tile.</summary>
    internal const int RowMajorBlockRows = 96;

    /// <summary>The row-major layout pays from <c>rows x inputs &gt;= RowMajorMinimumRatio x weights</c> on (see <see cref="ChooseLayout"/>).</summary>
    internal const double RowMajorMinimumRatio = 4;

    /// <summary>Columns of the packed <c>W^T</c> of a layer of <paramref name="units"/> units: whole vectors of the GEMM's width.</summary>
    private static int PackedColumns(int units) => RoundUp(units, (int)KernelWidths.Gemm);

    /// <summary>Floats of <see cref="BatchLayout.RowMajor"/>'s scratch for blocks of <paramref name="block"/> rows.</summary>
    private static long RowMajorScratchFloats(ReadOnlySpan<LayerInfo> layers, int block)
    {
        long packs = 0;
        int widest = 0;
        foreach (LayerInfo layer in layers)
        {
            int ldw = Gemm.PaddedStride(PackedColumns(layer.OutputSize));
            packs += ((long)layer.InputSize + 1) * ldw;
            widest = Math.Max(widest, ldw);
        }

        int ldT = Gemm.PaddedStride(RoundUp(block, Gemm.PanelColumns));
        return packs + (2L * block * widest) + (((long)layers[^1].OutputSize + 2) * ldT);
    }

    /// <summary>
    /// The scratch of a run that needs <paramref name="length"/> floats: the per-thread cache where it fits, else a fresh
    /// aligned array. A validating run stages its outputs at the scratch's end where they fit in the cache with it, so that
    /// each block is checked through its first layer's product and a non-finite value in a later block leaves the caller's
    /// outputs as they were; <paramref name="outputs"/> is redirected there (the run copies them to the caller's at the
    /// end). Where they do not fit, the whole input is checked here first: the result is its first non-finite index (the
    /// run returns it, nothing written, no scratch taken), or -1 with <paramref name="validate"/> cleared (the run goes on
    /// unstaged).
    /// </summary>
    private static int TakeScratch(ReadOnlySpan<float> inputs, int rows, int outputSize, long length, ref bool validate, ref Span<float> outputs, out Span<float> scratch)
    {
        scratch = default;
        long staged = length + ((long)rows * outputSize);
        if (validate && staged > CachedScratchFloats)
        {
            int bad = FiniteKernels.IndexOfNonFinite(inputs);
            if (bad >= 0)
            {
                return bad;
            }

            validate = false;
        }

        if (validate)
        {
            length = staged;
        }

        Span<float> taken = length <= CachedScratchFloats ? CachedScratch((int)length) : AlignedMemory.Allocate(checked((int)length));
        if (validate)
        {
            outputs = taken.Slice((int)(length - ((long)rows * outputSize)), rows * outputSize);
        }

        scratch = taken;
        return -1;
    }

    /// <summary>
    /// The row-major layout: every layer's <c>W^T</c> (and bias, padded to whole vectors with zeros) is packed once per call
    /// into the per-thread scratch; then each block of up to <see cref="RowMajorBlockRows"/> rows runs <c>Z = f(X W^T + b)</c>
    /// layer by layer, <c>X</c> broadcast straight from the caller's rows (no input transpose; packing costs what transposing
    /// as many input values would, so this pays for large batches only, see <see cref="ChooseLayout"/>) and the bias loaded
    /// along the columns (<see cref="ColumnBias"/>).
    /// A product element <c>X(s, k) W(u, k)</c> multiplies the same two floats as the transposed layout's <c>W(u, k) X(s, k)</c>,
    /// in the same chain order, so every value is the same bits. An output layer whose activation is not fused into the tile
    /// (softmax, sigmoid) is transposed into the transposed layout's block and finished by the same code.
    /// </summary>
    private static int RunRowMajor(ReadOnlySpan<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int inputSize, int outputSize, bool validate)
    {
        int rows = inputs.Length / inputSize;
        if (rows == 0)
        {
            return -1;
        }

        int block = Math.Min(rows, RowMajorBlockRows);
        long length = RowMajorScratchFloats(layers, block);
        Span<float> target = outputs;
        if (TakeScratch(inputs, rows, outputSize, length, ref validate, ref outputs, out Span<float> scratch) is int bad and >= 0)
        {
            return bad;
        }

        // W^T and the bias of every layer, zero-padded to whole vectors; packs are whole cache lines long (PaddedStride).
        int offset = 0;
        int widest = 0;
        foreach (LayerInfo layer in layers)
        {
            int units = layer.OutputSize;
            int np = PackedColumns(units);
            int ldw = Gemm.PaddedStride(np);
            Span<float> wt = scratch.Slice(offset, layer.InputSize * ldw);
            Span<float> bias = scratch.Slice(offset + (layer.InputSize * ldw), ldw);
            TransposeKernels.TransposeByColumnBlocks(ref MemoryMarshal.GetReference(parameters.Slice(layer.WeightOffset, layer.WeightCount)), new StridedRows(layer.InputSize), 0, units, layer.InputSize, ref MemoryMarshal.GetReference(wt), ldw);
            if (np > units)
            {
                for (int k = 0; k < layer.InputSize; k++)
                {
                    wt.Slice((k * ldw) + units, np - units).Clear();
                }
            }

            parameters.Slice(layer.BiasOffset, units).CopyTo(bias);
            bias.Slice(units, np - units).Clear();
            offset += (layer.InputSize + 1) * ldw;
            widest = Math.Max(widest, ldw);
        }

        int ldh = widest;
        Span<float> even = scratch.Slice(offset, block * ldh);
        Span<float> odd = scratch.Slice(offset + (block * ldh), block * ldh);
        int panel = Gemm.PanelColumns;
        int ldT = Gemm.PaddedStride(RoundUp(block, panel));
        LayerInfo last = layers[^1];
        Span<float> zT = scratch.Slice(offset + (2 * block * ldh), last.OutputSize * ldT);
        Span<float> columnScratch = scratch.Slice(offset + (2 * block * ldh) + (last.OutputSize * ldT), 2 * ldT);
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float s0 = ref MemoryMarshal.GetReference(scratch);
        for (int r0 = 0; r0 < rows; r0 += block)
        {
            int count = Math.Min(block, rows - r0);
            scoped ref float a = ref Unsafe.Add(ref x, (nint)r0 * inputSize);
            int lda = inputSize;
            int pack = 0;
            for (int l = 0; l < layers.Length; l++)
            {
                LayerInfo layer = layers[l];
                int units = layer.OutputSize;
                int np = PackedColumns(units);
                int ldw = Gemm.PaddedStride(np);
                ref float wt = ref Unsafe.Add(ref s0, pack);
                ref float bias = ref Unsafe.Add(ref s0, pack + (layer.InputSize * ldw));
                pack += (layer.InputSize + 1) * ldw;
                ref float h = ref MemoryMarshal.GetReference((l & 1) == 0 ? even : odd);

                // The last layer of whole vectors with a tile activation goes straight into the rows (the staged ones when
                // validating); every other layer into h (an output activation not fused into the tile: the identity there,
                // finished below).
                bool output = l == layers.Length - 1;
                Span<float> rowsOut = output ? outputs.Slice(r0 * outputSize, count * outputSize) : default;
                bool direct = output && np == units && IsTileActivation(layer.Activation);
                ref float c = ref direct ? ref MemoryMarshal.GetReference(rowsOut) : ref h;

                // A validating run checks the block's inputs through the first layer's products (a non-finite input makes
                // every product of its row non-finite), not by a separate read; a flagged block is searched exactly.
                bool check = validate && l == 0;
                if (MultiplyActivated<ColumnBias>(layer.Activation, ref a, lda, ref wt, ldw, count, np, layer.InputSize, ref c, direct ? outputSize : ldh, ref bias, check)
                    && FirstNonFiniteInBlock(inputs, inputSize, r0, count) is int blockBad and >= 0)
                {
                    return blockBad;
                }

                if (!output)
                {
                    a = ref h;
                    lda = ldh;
                    continue;
                }

                if (direct)
                {
                    continue;
                }

                if (IsTileActivation(layer.Activation))
                {
                    Span<float> z = (l & 1) == 0 ? even : odd;
                    for (int s = 0; s < count; s++)
                    {
                        z.Slice(s * ldh, units).CopyTo(rowsOut.Slice(s * units, units));
                    }

                    continue;
                }

                // Softmax or sigmoid: into the transposed layout's block (units x columns, zero padding columns), finished there
                // by the same whole-row operations as RunTransposed, then back into rows.
                int n = RoundUp(count, panel);
                TransposeKernels.Transpose(ref h, new StridedRows(ldh), 0, count, units, ref MemoryMarshal.GetReference(zT), ldT);
                if (n > count)
                {
                    for (int u = 0; u < units; u++)
                    {
                        zT.Slice((u * ldT) + count, n - count).Clear();
                    }
                }

                FinishOutputColumns(layer.Activation, zT.Slice(0, units * ldT), units, ldT, n, columnScratch);
                TransposeKernels.Transpose(ref MemoryMarshal.GetReference(zT), new StridedRows(ldT), 0, units, count, ref MemoryMarshal.GetReference(rowsOut), outputSize);
            }
        }

        if (validate)
        {
            outputs.CopyTo(target);
        }

        return -1;
    }

    /// <summary>An output activation not fused into the tile, over the transposed block (unit <c>u</c> of sample <c>s</c> at <c>z[u * ld + s]</c>, <c>n</c> columns).</summary>
    private static void FinishOutputColumns(Activation activation, Span<float> z, int units, int ld, int n, Span<float> columnScratch)
    {
        if (activation == Activation.Softmax)
        {
            SoftmaxColumns(z, units, ld, n, columnScratch.Slice(0, n), columnScratch.Slice(ld, n));
        }
        else if (activation != Activation.Identity)
        {
            for (int o = 0; o < units; o++)
            {
                Span<float> unit = z.Slice(o * ld, n);
                ActivationKernels.Apply(activation, unit, unit);
            }
        }
    }

    /// <summary>
    /// <c>C = f(A B + bias)</c> with <c>f</c> the tile activation of <paramref name="activation"/> (tanh, ReLU, else
    /// identity: any other activation is finished by <see cref="FinishOutputColumns"/>), chosen once per layer:
    /// <see cref="MultiplyBiased{TBias, TActivation}"/> with <typeparamref name="TBias"/> (<see cref="RowBias"/> for the
    /// transposed layout, <see cref="ColumnBias"/> for the row-major one, <paramref name="bias"/> padded to
    /// <paramref name="n"/> columns there). With <paramref name="check"/>, returns whether any product <c>A B</c> was not
    /// finite (<see cref="NonFiniteFlagSink{TSink}"/>); else false.
    /// </summary>
    private static bool MultiplyActivated<TBias>(Activation activation, ref float a, int lda, ref float b, int ldb, int m, int n, int k, ref float c, int ldc, ref float bias, bool check)
        where TBias : struct, IBiasRead
    {
        if (activation == Activation.Tanh)
        {
            return MultiplyBiased<TBias, TanhTileActivation>(ref a, lda, ref b, ldb, m, n, k, ref c, ldc, ref bias, check);
        }

        if (activation == Activation.ReLU)
        {
            return MultiplyBiased<TBias, ReluTileActivation>(ref a, lda, ref b, ldb, m, n, k, ref c, ldc, ref bias, check);
        }

        return MultiplyBiased<TBias, IdentityTileActivation>(ref a, lda, ref b, ldb, m, n, k, ref c, ldc, ref bias, check);
    }

    /// <summary>
    /// <c>C = f(A B + bias)</c>, one layer's product with the activation applied to each GEMM tile as it is stored
    /// (<see cref="BiasActivationStoreSink{TBias, TActivation}"/>): <see cref="RowBias"/> for the transposed layout
    /// (<c>Z^T = W X^T + b</c>), <see cref="ColumnBias"/> for the row-major one (<c>Z = X W^T + b</c>). With
    /// <paramref name="check"/>, returns whether any product <c>A B</c> was not finite (<see cref="NonFiniteFlagSink{TSink}"/>); else false.
    /// </summary>
    private static bool MultiplyBiased<TBias, TActivation>(ref float a, int lda, ref float b, int ldb, int m, int n, int k, ref float c, int ldc, ref float bias, bool check)
        where TBias : struct, IBiasRead
        where TActivation : struct, ITileActivation
    {
        var sink = new BiasActivationStoreSink<TBias, TActivation>(ref c, ldc, ref bias);
        if (!check)
        {
            Gemm.MultiplyBlocked(ref a, lda, 1, ref b, new StridedRows(ldb), 0, m, n, k, ref c, ldc, ref sink);
            return false;
        }

        var flagged = new NonFiniteFlagSink<BiasActivationStoreSink<TBias, TActivation>>(sink);
        Gemm.MultiplyBlocked(ref a, lda, 1, ref b, new StridedRows(ldb), 0, m, n, k, ref c, ldc, ref flagged);
        return flagged.AnyNonFinite;
    }

    /// <summary>
    /// For a validating run whose first layer's product flagged a non-finite value in the block of <paramref name="count"/>
    /// rows from <paramref name="r0"/>: the index in <paramref name="inputs"/> of its first non-finite input, or -1 when every
    /// input is finite (a finite product overflowed; the run goes on with what the product gives).
    /// </summary>
    private static int FirstNonFiniteInBlock(ReadOnlySpan<float> inputs, int inputSize, int r0, int count)
    {
        int bad = FiniteKernels.IndexOfNonFinite(inputs.Slice(r0 * inputSize, count * inputSize));
        return bad < 0 ? -1 : (r0 * inputSize) + bad;
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

/// <summary>How <see cref="FeedForward.RunBatch"/> lays out a block of rows; both give the same bits.</summary>
internal enum BatchLayout
{
    /// <summary>Input blocks transposed into columns, <c>Z^T = W X^T + b</c> (the weights broadcast): no packing, for small batches.</summary>
    Transposed,

    /// <summary><c>Z = X W^T + b</c> with the inputs broadcast from the caller's rows and <c>W^T</c> packed once per call.</summary>
    RowMajor,
}
