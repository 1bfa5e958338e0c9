using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using L1Net.Kernels;

namespace L1Net.Training;

/// <summary>
/// Mini-batch back-propagation as matrix products (<see cref="Gemm"/>), with the weight update fused into the
/// weight-gradient product and the work split over worker threads.
/// </summary>
/// <remarks>
/// <para>
/// Activations and errors are kept transposed, one row per unit and one column per sample of the batch
/// (<c>A^T[unit, m]</c>), padded to whole 16-column tiles; padded columns hold finite values and zero errors. One step:
/// gather the batch's input columns (and its rows side by side); per layer <c>Z^T = W In^T + b</c> and the activation;
/// the output error; then, layer by layer from the top, the input error <c>D^T_(l-1) = (W_l^T D^T_l) * f'(A^T_(l-1))</c>
/// with the weights from before the step; last, for every layer, the mean gradient <c>(1 / B) D^T_l In_l</c> of a block of
/// rows goes into the gradient buffer and the same thread at once updates those rows through <see cref="ParameterUpdate"/>
/// (regularizer gradient, optimizer step, proximal step) while they are in its cache. A layer whose regularizer couples
/// the whole matrix (<see cref="RegularizerCoupling.Whole"/>) is updated after the join, on the calling thread.
/// </para>
/// <para>
/// Everything before the updates is independent per sample, so threads split it by columns (chunks of whole 16-column
/// tiles) and each carries its samples through the whole network alone; after one join they split the weight gradients
/// by rows (chunks of whole 6-row tiles of output units). Two joins per step whatever the depth. Threads claim chunks
/// (four of columns and two of rows per thread) until none is left rather than taking fixed halves, so a core that is
/// busy with other work (a shared machine, a slower core) holds the others up by at most one chunk. Every element is
/// computed by one thread in one fixed summation order whichever thread claims it, and the per-sample losses are summed
/// in row order afterwards, so the result is bit-identical for any number of threads and any timing, and between runs.
/// A custom output-error rule runs on the calling thread between two column phases, as it may keep state.
/// </para>
/// </remarks>
internal sealed class MiniBatchEngine : IPartitionedWork, IDisposable
{
    private readonly LayerInfo[] _layers;
    private readonly LossFunction _loss;
    private readonly IOutputErrorRule? _outputRule;
    private readonly int _capacity;
    private readonly Memory<float> _inputT;
    private readonly Memory<float> _batchRows;
    private readonly int _batchStride;
    private readonly int[] _rows;
    private readonly int[] _rowOffsets;
    private readonly Memory<float>[] _activationsT;
    private readonly Memory<float>[] _errorsT;
    private readonly Memory<float>[] _hidden;
    private readonly float[][] _output;
    private readonly float[][] _error;
    private readonly float[] _losses;
    private readonly float[] _gradient;
    private readonly WorkerPool? _pool;
    private readonly int[] _chunkLayer;
    private readonly int[] _chunkBegin;
    private readonly int[] _chunkEnd;

    private ParameterUpdate[] _weightUpdates = [];
    private ParameterUpdate[] _biasUpdates = [];
    private long _step;
    private INetwork? _network;
    private Dataset? _data;
    private int _count;
    private int _columns;
    private int _columnChunk;
    private int _nextChunk;
    private Phase _phase;

    /// <param name="layers">The network's layers.</param>
    /// <param name="batchSize">Largest batch.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputRule">Custom output-error rule, or null for the true gradient.</param>
    /// <param name="gradient">Receives the mean data gradient (scratch of the updates), in the network's parameter layout.</param>
    /// <param name="threads">Threads to split the work over (1: the calling thread only).</param>
    public MiniBatchEngine(LayerInfo[] layers, int batchSize, LossFunction loss, IOutputErrorRule? outputRule, float[] gradient, int threads)
    {
        _layers = layers;
        _loss = loss;
        _outputRule = outputRule;
        _gradient = gradient;
        _capacity = Gemm.PaddedStride(batchSize);
        _inputT = AlignedMemory.Allocate(checked(layers[0].InputSize * _capacity));
        _batchStride = Gemm.PaddedStride(layers[0].InputSize);
        _batchRows = AlignedMemory.Allocate(checked(batchSize * _batchStride));
        _rows = new int[batchSize];
        _rowOffsets = new int[batchSize];
        _activationsT = new Memory<float>[layers.Length];
        _errorsT = new Memory<float>[layers.Length];
        _hidden = new Memory<float>[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            _activationsT[l] = AlignedMemory.Allocate(checked(layers[l].OutputSize * _capacity));
            _errorsT[l] = l == 0 && layers.Length == 1 ? Memory<float>.Empty : AlignedMemory.Allocate(checked(layers[l].OutputSize * _capacity));
            _hidden[l] = l < layers.Length - 1 ? AlignedMemory.Allocate(checked(Gemm.PaddedStride(layers[l].OutputSize) * batchSize)) : Memory<float>.Empty;
        }

        _errorsT[^1] = AlignedMemory.Allocate(checked(layers[^1].OutputSize * _capacity));
        _output = new float[Math.Max(1, threads)][];
        _error = new float[_output.Length][];
        for (int t = 0; t < _output.Length; t++)
        {
            _output[t] = new float[layers[^1].OutputSize];
            _error[t] = new float[layers[^1].OutputSize];
        }

        _losses = new float[batchSize];
        if (threads > 1)
        {
            _pool = new WorkerPool(threads);
        }

        // The update phase's chunks: each layer's rows (from the top layer down) in whole 6-row tiles, about
        // RowChunksPerThread per thread, so that a thread slowed down by other work on its core takes fewer of them.
        var layer = new List<int>();
        var begin = new List<int>();
        var end = new List<int>();
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            int rows = layers[l].OutputSize;
            int tiles = (rows + Gemm.TileRows - 1) / Gemm.TileRows;
            int chunkRows = threads == 1 ? rows : Math.Max(1, tiles / (RowChunksPerThread * threads)) * Gemm.TileRows;
            for (int r = 0; r < rows; r += chunkRows)
            {
                layer.Add(l);
                begin.Add(r);
                end.Add(Math.Min(rows, r + chunkRows));
            }
        }

        _chunkLayer = [.. layer];
        _chunkBegin = [.. begin];
        _chunkEnd = [.. end];
    }

    /// <summary>
    /// Chunks of columns per thread in the per-sample phase: threads claim chunks until none is left, so a thread whose
    /// core is busy with something else takes fewer. Smaller chunks cost nothing measurable here.
    /// </summary>
    private const int ColumnChunksPerThread = 4;

    /// <summary>
    /// Chunks of rows per thread in the update phase. Every chunk reads all of the batch's input rows once more, so fewer
    /// chunks than for the columns (four per thread measured a few percent slower than one on a quiet machine).
    /// </summary>
    private const int RowChunksPerThread = 2;

    private enum Phase
    {
        /// <summary>Per column range: gather, forward, output error and every input error.</summary>
        Columns,

        /// <summary>Per column range: gather and forward only (a custom output-error rule then runs serially).</summary>
        ColumnsForward,

        /// <summary>Per column range: every input error.</summary>
        ColumnsBackward,

        /// <summary>Per row range: the weight gradients and, where the regularizer allows blocks of rows, the updates.</summary>
        Update,
    }

    /// <summary>Number of threads a step runs on.</summary>
    public int Threads => _pool?.Parts ?? 1;

    /// <summary>Multiply-adds of one step with <paramref name="batch"/> rows (the first layer needs no input error).</summary>
    public static long MultiplyAdds(ReadOnlySpan<LayerInfo> layers, int batch)
    {
        long total = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            total += (long)layers[l].WeightCount * batch * (l == 0 ? 2 : 3);
        }

        return total;
    }

    /// <summary>Sets each layer's weight and bias update (bound for the training call).</summary>
    public void SetUpdate(ParameterUpdate[] weightUpdates, ParameterUpdate[] biasUpdates)
    {
        _weightUpdates = weightUpdates;
        _biasUpdates = biasUpdates;
    }

    /// <summary>
    /// Step <paramref name="step"/> of the training call on the given rows; returns the summed loss of the rows. A
    /// non-finite loss skips the update.
    /// </summary>
    public float Step(INetwork network, Dataset data, ReadOnlySpan<int> rows, long step)
    {
        _step = step;
        _network = network;
        _data = data;
        _count = rows.Length;
        _columns = RoundUp(rows.Length, Gemm.TileColumns);
        int panel = Gemm.PanelColumns;
        int panels = (_columns + panel - 1) / panel;
        _columnChunk = Threads == 1 ? _columns : Math.Max(1, panels / (ColumnChunksPerThread * Threads)) * panel;
        int features = data.FeatureCount;
        for (int m = 0; m < rows.Length; m++)
        {
            _rows[m] = rows[m];
            _rowOffsets[m] = rows[m] * features;
        }

        float loss = 0f;
        if (_outputRule is null)
        {
            Run(Phase.Columns);
        }
        else
        {
            // A custom rule may keep state: it sees the columns one by one on the calling thread, as before.
            Run(Phase.ColumnsForward);
            OutputError(0, _columns, _output[0], _error[0]);
            Run(Phase.ColumnsBackward);
        }

        for (int m = 0; m < _count; m++)
        {
            loss += _losses[m];
        }

        if (float.IsFinite(loss))
        {
            Run(Phase.Update);
            Span<float> parameters = network.Parameters;
            for (int l = 0; l < _layers.Length; l++)
            {
                if (!_weightUpdates[l].RowBlocks)
                {
                    _weightUpdates[l].Apply(parameters, _gradient, step);
                }

                if (!_biasUpdates[l].RowBlocks)
                {
                    _biasUpdates[l].Apply(parameters, _gradient, step);
                }
            }
        }

        _network = null;
        _data = null;
        return loss;
    }

    /// <inheritdoc />
    public void RunPart(int part, int parts)
    {
        switch (_phase)
        {
            case Phase.Columns:
            case Phase.ColumnsForward:
            case Phase.ColumnsBackward:
                ColumnsPart(part);
                break;
            case Phase.Update:
                for (int c = NextChunk(); c < _chunkLayer.Length; c = NextChunk())
                {
                    UpdateRows(_chunkLayer[c], _chunkBegin[c], _chunkEnd[c]);
                }

                break;
        }
    }

    public void Dispose() => _pool?.Dispose();

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The next unclaimed chunk of the current phase (claimed by the caller).</summary>
    private int NextChunk() => Interlocked.Increment(ref _nextChunk) - 1;

    private void Run(Phase phase)
    {
        _phase = phase;
        _nextChunk = 0; // published to the workers by the pool's fork

        if (_pool is null)
        {
            RunPart(0, 1);
        }
        else
        {
            _pool.Run(this);
        }
    }

    /// <summary>
    /// Everything of the step that is independent per sample, chunk by claimed chunk of columns: every column of every
    /// activation and error depends only on the same column below or above it, so one thread carries its samples through
    /// the whole network without waiting for the others; only the weight gradients (sums over all columns) need the join.
    /// </summary>
    private void ColumnsPart(int part)
    {
        for (int c = NextChunk(); (long)c * _columnChunk < _columns; c = NextChunk())
        {
            int begin = c * _columnChunk;
            ColumnsRange(begin, Math.Min(_columns, begin + _columnChunk), part);
        }
    }

    /// <summary>The per-sample work of <see cref="ColumnsPart"/> for the columns <c>[begin, end)</c> (whole 16-column tiles), on thread <paramref name="part"/>.</summary>
    private void ColumnsRange(int begin, int end, int part)
    {
        if (_phase != Phase.ColumnsBackward)
        {
            GatherColumns(begin, end);
            for (int l = 0; l < _layers.Length; l++)
            {
                ForwardColumns(l, begin, end);
            }
        }

        if (_phase == Phase.Columns)
        {
            OutputError(begin, end, _output[part], _error[part]);
        }

        if (_phase != Phase.ColumnsForward)
        {
            for (int l = _layers.Length - 1; l >= 1; l--)
            {
                BackwardColumns(l, begin, end);
            }
        }
    }

    /// <summary>
    /// Input columns <c>In^T[i, m] = x_(row m)[i]</c> for <c>m</c> in <c>[begin, end)</c> (padded columns zero), and from the
    /// same loads the batch's rows side by side (<c>_batchRows</c>) for the first layer's weight gradient, which then reads
    /// a compact, regularly strided block instead of rows scattered over the whole dataset.
    /// </summary>
    private void GatherColumns(int begin, int end)
    {
        int inputs = _layers[0].InputSize;
        ref float features = ref MemoryMarshal.GetReference(_data!.Features);
        Span<float> input = _inputT.Span;
        int last = Math.Min(end, _count);
        TransposeKernels.TransposeAndCopy(ref features, new GatheredRows(_rowOffsets), begin, last, inputs, ref input[0], _capacity, ref _batchRows.Span[0], _batchStride);
        ClearPadding(input, inputs, begin, end);
    }

    /// <summary>Zeroes the padded columns (those from the batch's last sample on) of <c>[begin, end)</c> in the first <paramref name="rows"/> rows.</summary>
    private void ClearPadding(Span<float> matrix, int rows, int begin, int end)
    {
        int from = Math.Max(begin, _count);
        if (from < end)
        {
            for (int r = 0; r < rows; r++)
            {
                matrix.Slice((r * _capacity) + from, end - from).Clear();
            }
        }
    }

    /// <summary>Columns <c>[begin, end)</c> of <c>A^T_l = f(W_l In^T + b_l)</c>; hidden layers also get their row-major copy for the next layer's weight gradient.</summary>
    private void ForwardColumns(int l, int begin, int end)
    {
        LayerInfo layer = _layers[l];
        int units = layer.OutputSize;
        int n = end - begin;
        Span<float> parameters = _network!.Parameters;
        Span<float> output = _activationsT[l].Span;
        var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref output[begin], _capacity, ref parameters[layer.BiasOffset]);
        ref float input = ref l == 0 ? ref _inputT.Span[begin] : ref _activationsT[l - 1].Span[begin];
        Gemm.MultiplyBlocked(ref parameters[layer.WeightOffset], layer.InputSize, 1, ref input, new StridedRows(_capacity), 0, units, n, layer.InputSize, ref output[begin], _capacity, ref sink);

        bool last = l == _layers.Length - 1;
        if (!last || layer.Activation != Activation.Softmax)
        {
            for (int o = 0; o < units; o++)
            {
                Span<float> row = output.Slice((o * _capacity) + begin, n);
                ActivationKernels.Apply(layer.Activation, row, row);
            }
        }

        if (!last)
        {
            // _hidden[l][m, o] = A^T[o, m] for the real columns m in [begin, filled).
            int filled = Math.Min(end, _count);
            if (begin < filled)
            {
                int ld = Gemm.PaddedStride(units);
                TransposeKernels.Transpose(ref output[begin], new StridedRows(_capacity), 0, units, filled - begin, ref _hidden[l].Span[begin * ld], ld);
            }
        }
    }

    /// <summary>Softmax (when the output is softmax), loss and output error of the columns <c>[begin, end)</c>; each column's loss goes to its own slot.</summary>
    private void OutputError(int begin, int end, float[] output, float[] error)
    {
        LayerInfo layer = _layers[^1];
        int units = layer.OutputSize;
        Span<float> activations = _activationsT[^1].Span;
        Span<float> errors = _errorsT[^1].Span;
        Span<float> o = output;
        Span<float> e = error;
        ReadOnlySpan<float> targets = _data!.Targets;
        int k = _data.TargetCount;
        int last = Math.Min(end, _count);
        for (int m = begin; m < last; m++)
        {
            for (int u = 0; u < units; u++)
            {
                o[u] = activations[(u * _capacity) + m];
            }

            if (layer.Activation == Activation.Softmax)
            {
                ActivationKernels.Softmax(o, o);
            }

            _losses[m] = TrainingWorkspace.OutputError(_loss, _outputRule, layer.Activation, o, targets.Slice(_rows[m] * k, k), e);

            for (int u = 0; u < units; u++)
            {
                errors[(u * _capacity) + m] = e[u];
            }
        }

        ClearPadding(errors, units, begin, end);
    }

    /// <summary>Columns <c>[begin, end)</c> of <c>D^T_(l-1) = (W_l^T D^T_l) * f'(A^T_(l-1))</c>, with the weights from before the step.</summary>
    private void BackwardColumns(int l, int begin, int end)
    {
        LayerInfo layer = _layers[l];
        int n = end - begin;
        Span<float> parameters = _network!.Parameters;
        Span<float> below = _errorsT[l - 1].Span;
        var sink = new StoreSink(ref below[begin], _capacity);
        Gemm.Multiply(ref parameters[layer.WeightOffset], 1, layer.InputSize, ref _errorsT[l].Span[begin], new StridedRows(_capacity), 0, layer.InputSize, n, layer.OutputSize, ref sink);
        Activation activation = _layers[l - 1].Activation;
        Span<float> activations = _activationsT[l - 1].Span;
        for (int i = 0; i < layer.InputSize; i++)
        {
            ActivationKernels.MultiplyByDerivative(activation, activations.Slice((i * _capacity) + begin, n), below.Slice((i * _capacity) + begin, n));
        }
    }

    /// <summary>
    /// Rows <c>[begin, end)</c> of the mean weight gradient <c>(1 / B) D^T_l In_l</c> and bias gradient into the gradient
    /// buffer, then, when the regularizer allows blocks of rows, the update of those rows of <c>W_l</c> and <c>b_l</c>.
    /// </summary>
    private void UpdateRows(int l, int begin, int end)
    {
        LayerInfo layer = _layers[l];
        Span<float> errors = _errorsT[l].Span;
        float scale = 1f / _count;
        var sink = new ScaledStoreSink(ref _gradient[layer.WeightOffset], layer.InputSize, scale);
        WeightGradient(l, ref errors[0], begin, end, ref sink);
        for (int o = begin; o < end; o++)
        {
            _gradient[layer.BiasOffset + o] = scale * SampleKernels.Sum(ref errors[o * _capacity], _count);
        }

        Span<float> parameters = _network!.Parameters;
        if (_weightUpdates[l].RowBlocks)
        {
            _weightUpdates[l].Apply(parameters, _gradient, begin, end - begin, _step);
        }

        if (_biasUpdates[l].RowBlocks)
        {
            _biasUpdates[l].Apply(parameters, _gradient, begin, end - begin, _step);
        }
    }

    private void WeightGradient<TSink>(int l, ref float errors, int begin, int end, ref TSink sink)
        where TSink : ITileSink, allows ref struct
    {
        LayerInfo layer = _layers[l];
        if (l == 0)
        {
            Gemm.Multiply(ref errors, _capacity, 1, ref _batchRows.Span[0], new StridedRows(_batchStride), begin, end, layer.InputSize, _count, ref sink);
        }
        else
        {
            Gemm.Multiply(ref errors, _capacity, 1, ref _hidden[l - 1].Span[0], new StridedRows(Gemm.PaddedStride(layer.InputSize)), begin, end, layer.InputSize, _count, ref sink);
        }
    }

}
