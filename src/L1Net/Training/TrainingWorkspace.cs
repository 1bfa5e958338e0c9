using System.Buffers;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net.Training;

/// <summary>
/// The buffers and inner loops of back-propagation for one network shape. Created once per training call; the step
/// methods allocate nothing.
/// </summary>
/// <remarks>
/// Two engines, because a single sample and a batch want different loops, and nothing else differs:
/// <list type="bullet">
/// <item>one sample per step (<c>BatchSize = 1</c>): <see cref="Backpropagate"/>, vector-at-a-time; each layer's gradient
/// is computed (with the weights from before the step) and that layer updated at once, top layer first;</item>
/// <item>mini-batches: <see cref="MiniBatchEngine"/>, matrix products over the batch on worker threads, each thread
/// updating the rows whose gradient it has just computed.</item>
/// </list>
/// Both compute the softmax, the loss and the output error with the same functions and change parameters only through
/// <see cref="ParameterUpdate"/> (regularizer gradient, optimizer step, proximal step), whatever the regularizer and
/// optimizer: a user's regularizer takes exactly the path of a built-in one.
/// </remarks>
internal sealed class TrainingWorkspace : IDisposable
{
    /// <summary>Below this many multiply-adds per step a mini-batch runs on one thread (forking costs more than it saves).</summary>
    internal const long ParallelThreshold = 2_000_000;

    private readonly LayerInfo[] _layers;
    private readonly int[] _unitOffsets;
    private readonly float[] _activations;
    private readonly float[] _deltas;
    private readonly IRegularizer[] _regularizers;
    private readonly IRegularizer[] _biasRegularizers; // Regularizer.None per layer when biases are not regularized
    private readonly LossFunction _loss;
    private readonly IOutputErrorRule? _outputRule;
    private ParameterUpdate[] _weightUpdates = [];
    private ParameterUpdate[] _biasUpdates = [];
    private bool[] _fusable = []; // per layer: both updates CanFuse (set once per training call)
    private ParameterUpdate[] _fusedGradients = []; // the fusable updates whose regularizer adds a gradient, top layer first
    private MiniBatchEngine? _engine;
    private long _step;

    public TrainingWorkspace(LayerInfo[] layers, int parameterCount, IRegularizer[] regularizers, LossFunction loss, IOutputErrorRule? outputRule, bool regularizeBiases)
    {
        _layers = layers;
        (_regularizers, _biasRegularizers) = BindRegularizers(layers, regularizers, regularizeBiases);
        _loss = loss;
        _outputRule = outputRule;
        _unitOffsets = new int[layers.Length];
        int units = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            _unitOffsets[l] = units;
            units += layers[l].OutputSize;
        }

        _activations = new float[units];
        _deltas = new float[units];
        Gradient = new float[parameterCount];
    }

    /// <summary>
    /// Whether per-sample steps may run a layer's update inside its backward sweep when both its updates allow it
    /// (<see cref="ParameterUpdate.CanFuse"/>). On by default; tests turn it off to compare the fused sweep with the
    /// separate passes bit for bit.
    /// </summary>
    internal bool FuseSteps { get; set; } = true;

    /// <summary>Whether per-sample steps run every layer's update inside its backward sweep (see <see cref="FuseSteps"/>).</summary>
    public bool FusesSteps => FuseSteps && _engine is null && _fusable.Length > 0 && Array.TrueForAll(_fusable, static f => f);

    /// <summary>Threads a mini-batch step runs on (1 for per-sample steps).</summary>
    public int Threads => _engine?.Threads ?? 1;

    /// <summary>Whether the mini-batch engine runs the steps.</summary>
    public bool MiniBatch => _engine is not null;

    /// <summary>
    /// Whether every update runs on blocks of rows (every regularizer's coupling allows it): in the mini-batch engine each
    /// thread then updates the rows it has just computed; otherwise a layer whose regularizer couples the whole matrix is
    /// updated on the calling thread after the others.
    /// </summary>
    public bool RowBlockUpdates
    {
        get
        {
            foreach (ParameterUpdate update in _weightUpdates)
            {
                if (!update.RowBlocks)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Sets up <see cref="Step"/> for a training call: binds the optimizer to every layer's weights and biases (fresh state),
    /// and starts the mini-batch engine when <paramref name="batchSize"/> &gt; 1.
    /// </summary>
    /// <param name="batchSize">Rows per step.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="threads">Most threads a mini-batch step may use.</param>
    public void PrepareTraining(int batchSize, IOptimizer optimizer, int threads)
    {
        _weightUpdates = new ParameterUpdate[_layers.Length];
        _biasUpdates = new ParameterUpdate[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            _weightUpdates[l] = new ParameterUpdate(_regularizers[l], optimizer, WeightShape(l), layer.WeightOffset);
            _biasUpdates[l] = new ParameterUpdate(_biasRegularizers[l], optimizer, BiasShape(l), layer.BiasOffset);
        }

        // What the fused per-sample step needs, decided once here rather than per step and layer: which layers fuse, and
        // which of their updates have an AddGradient part to compute before the sweep (none for the built-ins).
        _fusable = new bool[_layers.Length];
        var fusedGradients = new List<ParameterUpdate>();
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            _fusable[l] = _weightUpdates[l].CanFuse && _biasUpdates[l].CanFuse;
            if (_fusable[l])
            {
                if (_weightUpdates[l].HasGradient)
                {
                    fusedGradients.Add(_weightUpdates[l]);
                }

                if (_biasUpdates[l].HasGradient)
                {
                    fusedGradients.Add(_biasUpdates[l]);
                }
            }
        }

        _fusedGradients = [.. fusedGradients];

        _step = 0;
        if (batchSize > 1)
        {
            int parts = MiniBatchEngine.MultiplyAdds(_layers, batchSize) >= ParallelThreshold ? threads : 1;
            _engine = new MiniBatchEngine(_layers, batchSize, _loss, _outputRule, Gradient, parts);
            _engine.SetUpdate(_weightUpdates, _biasUpdates);
        }
    }

    private ParameterShape WeightShape(int l) => ParameterShape.ForWeights(l, _layers[l].InputSize, _layers[l].OutputSize);

    private ParameterShape BiasShape(int l) => ParameterShape.ForBiases(l, _layers[l].OutputSize);

    /// <summary>
    /// One training step on <paramref name="rows"/> (indices into <paramref name="data"/>): gradients from the current
    /// parameters, then the update. Returns the summed loss of the rows (non-finite when training diverged; then the
    /// parameters are left for the caller to restore).
    /// </summary>
    public float Step(INetwork network, Dataset data, ReadOnlySpan<int> rows)
    {
        _step++;
        if (_engine is not null)
        {
            return _engine.Step(network, data, rows, _step);
        }

        if (rows.Length != 1)
        {
            throw new InvalidOperationException("Per-sample steps take one row; a larger batch runs on the mini-batch engine.");
        }

        return Backpropagate(network.Parameters, data.GetFeatures(rows[0]), data.GetTarget(rows[0]), overwrite: true, update: true);
    }

    /// <summary>Stops the worker threads, if any.</summary>
    public void Dispose() => _engine?.Dispose();

    /// <summary>The gradient buffer, in the network's parameter layout.</summary>
    public float[] Gradient { get; }

    /// <summary>
    /// Forward and backward pass for one sample: adds its gradient to <see cref="Gradient"/> (or overwrites it when
    /// <paramref name="overwrite"/>) and returns its loss.
    /// </summary>
    public float AccumulateSample(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> t, bool overwrite) =>
        Backpropagate(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters), parameters.Length), x, t, overwrite, update: false);

    /// <summary>
    /// The per-sample engine: forward pass, loss and output error, then layer by layer from the top the input error (with
    /// the layer's weights from before the step) and the layer's gradient, written into <see cref="Gradient"/> (or added,
    /// unless <paramref name="overwrite"/>); with <paramref name="update"/> the layer is updated right away (its gradient is
    /// complete, and the layers below need only the input error already computed). Returns the sample's loss; a
    /// non-finite loss skips the update.
    /// </summary>
    private float Backpropagate(Span<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> t, bool overwrite, bool update)
    {
        LayerInfo[] layers = _layers;
        int last = layers.Length - 1;
        Span<float> gradient = Gradient;
        bool fuse = update && FuseSteps;
        bool[] fusable = _fusable;
        if (fuse)
        {
            // The AddGradient parts of the fused steps (plain SGD), top layer first, at the weights from before the step,
            // into the otherwise unused gradient buffer. Computed before the forward pass, not right before each layer's
            // sweep: the sweep reads them by rows while a regularizer writes them in its own blocks, and a load that spans
            // two recent stores waits for both to reach the cache (measured: that stall cost more than the call). Only the
            // updates that have such a part are visited (none for the built-ins).
            foreach (ParameterUpdate fused in _fusedGradients)
            {
                fused.PrepareFused(parameters, gradient);
            }
        }

        FeedForward.Run(layers, parameters, x, _activations);

        ReadOnlySpan<float> output = _activations.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        Span<float> delta = _deltas.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        float loss = OutputError(_loss, _outputRule, layers[last].Activation, output, t, delta);
        if (update && !float.IsFinite(loss))
        {
            return loss;
        }

        for (int l = last; l >= 0; l--)
        {
            LayerInfo layer = layers[l];
            delta = _deltas.AsSpan(_unitOffsets[l], layer.OutputSize);
            ReadOnlySpan<float> input = l == 0 ? x : _activations.AsSpan(_unitOffsets[l - 1], layer.InputSize);
            Span<float> below = l == 0 ? [] : _deltas.AsSpan(_unitOffsets[l - 1], layer.InputSize);
            if (fuse && fusable[l])
            {
                // Plain SGD: the step inside the sweep with the AddGradient parts computed above (the same FusedUpdate
                // arithmetic as ParameterUpdate.Apply, the same bits), then the proximal parts, if any, on the whole matrices.
                ParameterUpdate weightUpdate = _weightUpdates[l];
                ParameterUpdate biasUpdate = _biasUpdates[l];
                SampleGradientKernels.BackwardAndUpdate(parameters.Slice(layer.WeightOffset, layer.WeightCount), parameters.Slice(layer.BiasOffset, layer.OutputSize), delta, input, below, weightUpdate.FusedGradient(gradient), biasUpdate.FusedGradient(gradient), weightUpdate.Fused, biasUpdate.Fused);
                weightUpdate.AfterFused(parameters);
                biasUpdate.AfterFused(parameters);
            }
            else
            {
                ReadOnlySpan<float> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
                Span<float> gw = gradient.Slice(layer.WeightOffset, layer.WeightCount);
                Span<float> gb = gradient.Slice(layer.BiasOffset, layer.OutputSize);
                if (overwrite)
                {
                    // One sweep over the weights: the error for the layer below and this layer's gradient.
                    SampleGradientKernels.BackwardAndGradient(weights, delta, input, below, gw, gb);
                }
                else
                {
                    DenseKernels.AccumulateGradient(delta, input, gw, gb);
                    if (l > 0)
                    {
                        DenseKernels.BackwardInput(weights, delta, below);
                    }
                }

                if (update)
                {
                    _weightUpdates[l].Apply(parameters, gradient, _step);
                    _biasUpdates[l].Apply(parameters, gradient, _step);
                }
            }

            if (l > 0)
            {
                ActivationKernels.MultiplyByDerivative(layers[l - 1].Activation, input, below);
            }
        }

        return loss;
    }

    /// <summary>
    /// The loss of one sample and its output error <c>dE/dz</c> (from the custom rule when there is one): the one
    /// implementation both engines use.
    /// </summary>
    internal static float OutputError(LossFunction loss, IOutputErrorRule? rule, Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> delta)
    {
        if (rule is null)
        {
            return OutputKernels.LossAndError(loss, activation, output, target, delta);
        }

        rule.ComputeOutputError(output, target, delta);
        return LossFunctions.Compute(loss, activation, output, target);
    }

    /// <summary>
    /// Binds every regularized span to its own regularizer (<see cref="IRegularizer.Bind"/>): fresh per-weight state for
    /// this training call, one object per layer's weights and, when biases are regularized, one per layer's biases.
    /// </summary>
    private static (IRegularizer[] Weights, IRegularizer[] Biases) BindRegularizers(LayerInfo[] layers, IRegularizer[] regularizers, bool regularizeBiases)
    {
        var weights = new IRegularizer[layers.Length];
        var biases = new IRegularizer[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            weights[l] = regularizers[l].Bind(ParameterShape.ForWeights(l, layers[l].InputSize, layers[l].OutputSize)) ?? throw new InvalidOperationException(Guard.Text($"{regularizers[l].Name}.Bind returned null."));
            biases[l] = regularizeBiases ? regularizers[l].Bind(ParameterShape.ForBiases(l, layers[l].OutputSize)) ?? throw new InvalidOperationException(Guard.Text($"{regularizers[l].Name}.Bind returned null.")) : Regularizer.None;
        }

        return (weights, biases);
    }

    /// <summary>Scales the accumulated data gradient, e.g. by <c>1 / batch size</c>.</summary>
    public void ScaleGradient(float factor) => TensorPrimitives.Multiply(Gradient, factor, Gradient);

    /// <summary>Adds every layer's regularizer gradient to <see cref="Gradient"/>.</summary>
    public void AddRegularizerGradient(ReadOnlySpan<float> parameters)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            AddSmoothGradient(_regularizers[l], parameters.Slice(layer.WeightOffset, layer.WeightCount), Gradient.AsSpan(layer.WeightOffset, layer.WeightCount), WeightShape(l));
            AddSmoothGradient(_biasRegularizers[l], parameters.Slice(layer.BiasOffset, layer.OutputSize), Gradient.AsSpan(layer.BiasOffset, layer.OutputSize), BiasShape(l));
        }
    }

    /// <summary>The whole smooth gradient of a regularizer: <see cref="IRegularizer.AddGradient"/> plus its declared parts <see cref="IRegularizer.SignCoefficient"/> <c>sign(w)</c> and <see cref="IRegularizer.WeightDecay"/> <c>w</c>.</summary>
    private static void AddSmoothGradient(IRegularizer regularizer, ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
        if (regularizer.HasGradient)
        {
            regularizer.AddGradient(values, gradient, shape);
        }

        RegularizerKernels.AddDeclaredGradient(values, gradient, regularizer.SignCoefficient, regularizer.WeightDecay);
    }

    /// <summary>Sum over layers of the regularizers' penalties.</summary>
    public double Penalty(ReadOnlySpan<float> parameters)
    {
        double penalty = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            penalty += _regularizers[l].Penalty(parameters.Slice(layer.WeightOffset, layer.WeightCount), WeightShape(l));
            penalty += _biasRegularizers[l].Penalty(parameters.Slice(layer.BiasOffset, layer.OutputSize), BiasShape(l));
        }

        return penalty;
    }

    /// <summary>Evaluates the network on <paramref name="data"/>: mean loss, penalty, accuracy and weight statistics.</summary>
    public EpochReport Evaluate(ReadOnlySpan<float> parameters, Dataset data, int epoch, int epochs, long steps) =>
        WithDataTerms(ParameterTerms(parameters, epoch, epochs, steps), _layers, _loss, parameters, data);

    /// <summary>
    /// The part of <see cref="Evaluate"/> that needs only the parameters (O(parameters), no pass over the data): the
    /// penalty with this call's bound regularizers, the weight statistics, and the counters; the data loss and accuracy are
    /// left 0 for <see cref="WithDataTerms"/>.
    /// </summary>
    public EpochReport ParameterTerms(ReadOnlySpan<float> parameters, int epoch, int epochs, long steps)
    {
        double l1 = 0;
        int zeros = 0;
        foreach (LayerInfo layer in _layers)
        {
            ReadOnlySpan<float> w = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            l1 += TensorPrimitives.SumOfMagnitudes(w);
            zeros += w.Count(0f);
        }

        return new EpochReport
        {
            Epoch = epoch,
            Epochs = epochs,
            Steps = steps,
            Penalty = Penalty(parameters),
            WeightL1 = l1,
            ZeroWeights = zeros,
        };
    }

    /// <summary>
    /// <paramref name="report"/> with the mean loss and the accuracy of the network on <paramref name="data"/>: the pass
    /// over the data of <see cref="Evaluate"/>. Static (it needs no buffer of the workspace), so a training result can run
    /// it after the call with a snapshot of the parameters and give the same bits.
    /// </summary>
    public static EpochReport WithDataTerms(EpochReport report, LayerInfo[] layers, LossFunction lossFunction, ReadOnlySpan<float> parameters, Dataset data)
    {
        double loss = 0;
        int correct = 0;
        LayerInfo output = layers[^1];

        // Blocks of rows through the batched forward product (the GEMM of training; the same bits as PredictBatch).
        int inputs = layers[0].InputSize;
        int outputs = output.OutputSize;
        int block = Math.Min(data.Count, FeedForward.BatchColumns);
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Max(1, block * outputs));
        try
        {
            ReadOnlySpan<float> features = data.Features;
            for (int r0 = 0; r0 < data.Count; r0 += block)
            {
                int count = Math.Min(block, data.Count - r0);
                Span<float> outs = rented.AsSpan(0, count * outputs);
                FeedForward.RunBatch(layers, parameters, features.Slice(r0 * inputs, count * inputs), outs, inputs, outputs);
                for (int i = 0; i < count; i++)
                {
                    int r = r0 + i;
                    ReadOnlySpan<float> o = outs.Slice(i * outputs, outputs);
                    loss += LossFunctions.Compute(lossFunction, output.Activation, o, data.GetTarget(r));
                    if (data.HasLabels && TensorPrimitives.IndexOfMax(o) == data.Labels[r])
                    {
                        correct++;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        return report with
        {
            DataLoss = loss / data.Count,
            Accuracy = data.HasLabels ? (double)correct / data.Count : double.NaN,
        };
    }
}
