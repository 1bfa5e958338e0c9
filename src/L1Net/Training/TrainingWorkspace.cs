using System.Buffers;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// The buffers and inner loops of back-propagation for one network shape. Created once per training call; the step
/// methods allocate nothing.
/// </summary>
/// <remarks>
/// <see cref="Step"/> picks one of three paths, all with the same semantics (gradients from the weights before the step,
/// data gradient averaged over the batch, regularizer gradient not divided by the batch size):
/// <list type="bullet">
/// <item>per-sample SGD with built-in regularizers (the proximal L1 and elastic net included: their soft-threshold runs
/// on each layer right after its fused update) and no momentum: <see cref="FusedSampleStep"/>, one pass per layer that
/// back-propagates through the old weights and applies the rank-1 update with the regularizer fused in;</item>
/// <item>mini-batches: <see cref="MiniBatchEngine"/> (matrix products, update fused into the weight-gradient product
/// when the regularizers allow it, otherwise a gradient buffer handed to <see cref="IRegularizer.Update"/>);</item>
/// <item>otherwise (custom regularizers or momentum at batch size 1): the general sample-by-sample path through the
/// gradient buffer and the public <see cref="IRegularizer"/> contract.</item>
/// </list>
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
    private readonly IRegularizer[] _biasRegularizers;
    private readonly LossFunction _loss;
    private readonly IOutputErrorRule? _outputRule;
    private readonly bool _regularizeBiases;

    public TrainingWorkspace(LayerInfo[] layers, int parameterCount, IRegularizer[] regularizers, LossFunction loss, IOutputErrorRule? outputRule, bool regularizeBiases, bool momentum)
    {
        _layers = layers;
        (_regularizers, _biasRegularizers) = BindRegularizers(layers, regularizers, regularizeBiases);
        _loss = loss;
        _outputRule = outputRule;
        _regularizeBiases = regularizeBiases;
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
        Velocity = momentum ? new float[parameterCount] : [];
    }

    private FusedUpdate[]? _weightSteps;
    private FusedUpdate[]? _biasSteps;
    private IRegularizer?[]? _afterUpdates;
    private float _learningRate;
    private MiniBatchEngine? _engine;
    private bool _fusedSample;

    /// <summary>Whether per-sample steps run the fused loop (set by <see cref="PrepareTraining"/>).</summary>
    internal bool FusedSampleSteps => _fusedSample;

    /// <summary>Threads a mini-batch step runs on (1 for per-sample SGD).</summary>
    public int Threads => _engine?.Threads ?? 1;

    /// <summary>
    /// Sets up <see cref="Step"/> for a training call: fused steps when every regularizer is a built-in elastic-net step and
    /// there is no momentum, and the mini-batch engine when <paramref name="batchSize"/> &gt; 1.
    /// </summary>
    /// <param name="batchSize">Rows per step.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="momentum">Momentum (0: none).</param>
    /// <param name="threads">Most threads a mini-batch step may use.</param>
    public void PrepareTraining(int batchSize, float learningRate, float momentum, int threads)
    {
        bool fusable = momentum == 0f;
        foreach (IRegularizer regularizer in _regularizers)
        {
            fusable &= regularizer is IElasticNetStep || (regularizer is IProximalStep proximal && (proximal.ElementWise || batchSize == 1));
        }

        if (fusable)
        {
            _weightSteps = new FusedUpdate[_layers.Length];
            _biasSteps = new FusedUpdate[_layers.Length];
            _afterUpdates = new IRegularizer?[_layers.Length];
            _learningRate = learningRate;
            for (int l = 0; l < _layers.Length; l++)
            {
                if (_regularizers[l] is IElasticNetStep step)
                {
                    _weightSteps[l] = new FusedUpdate(learningRate, step.StepL1, step.StepL2);
                }
                else
                {
                    // Proximal L1 / elastic net, cumulative L1 (per-sample only): their data step in the fused loops, then
                    // their own AfterUpdate, exactly what the general path does after IRegularizer.Update.
                    _weightSteps[l] = new FusedUpdate(learningRate, 0f, ((IProximalStep)_regularizers[l]).DataStepL2);
                    _afterUpdates[l] = _regularizers[l];
                }

                _biasSteps[l] = _regularizeBiases ? _weightSteps[l] : FusedUpdate.Sgd(learningRate);
            }
        }

        _fusedSample = fusable && batchSize == 1;
        if (batchSize > 1)
        {
            int parts = MiniBatchEngine.MultiplyAdds(_layers, batchSize) >= ParallelThreshold ? threads : 1;
            _engine = new MiniBatchEngine(_layers, batchSize, _loss, _outputRule, Gradient, parts);
            _engine.SetUpdate(_weightSteps, _biasSteps, _afterUpdates, _regularizeBiases ? _biasRegularizers : null, learningRate);
        }
    }

    /// <summary>
    /// One training step on <paramref name="rows"/> (indices into <paramref name="data"/>): gradients from the current
    /// parameters, then the update. Returns the summed loss of the rows (non-finite when training diverged).
    /// </summary>
    public float Step(INetwork network, Dataset data, ReadOnlySpan<int> rows, float learningRate, float momentum)
    {
        if (_engine is not null)
        {
            float batchLoss = _engine.Step(network, data, rows);
            if (_weightSteps is null)
            {
                Update(network.Parameters, learningRate, momentum);
            }

            return batchLoss;
        }

        Span<float> parameters = network.Parameters;
        if (_fusedSample && rows.Length == 1)
        {
            return FusedSampleStep(parameters, data.GetFeatures(rows[0]), data.GetTarget(rows[0]));
        }

        float loss = 0f;
        for (int i = 0; i < rows.Length; i++)
        {
            loss += AccumulateSample(parameters, data.GetFeatures(rows[i]), data.GetTarget(rows[i]), overwrite: i == 0);
        }

        if (!float.IsFinite(loss))
        {
            return loss;
        }

        if (rows.Length > 1)
        {
            ScaleGradient(1f / rows.Length);
        }

        Update(parameters, learningRate, momentum);
        return loss;
    }

    /// <summary>
    /// Per-sample SGD in one forward pass and one fused pass per layer: the error goes back through the weights from
    /// before the step while the same rows get <c>W = step(W, delta x^T)</c>, the regularizer included.
    /// </summary>
    private float FusedSampleStep(Span<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        LayerInfo[] layers = _layers;
        int last = layers.Length - 1;
        ReadOnlySpan<float> input = x;
        for (int l = 0; l <= last; l++)
        {
            LayerInfo layer = layers[l];
            Span<float> a = _activations.AsSpan(_unitOffsets[l], layer.OutputSize);
            SampleKernels.Forward(parameters.Slice(layer.WeightOffset, layer.WeightCount), parameters.Slice(layer.BiasOffset, layer.OutputSize), input, a);
            if (layer.Activation == Activation.Softmax)
            {
                OutputKernels.SoftmaxInPlace(a);
            }
            else
            {
                ActivationKernels.Apply(layer.Activation, a, a);
            }

            input = a;
        }

        ReadOnlySpan<float> output = _activations.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        Span<float> delta = _deltas.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        float loss;
        if (_outputRule is null)
        {
            loss = OutputKernels.LossAndError(_loss, layers[last].Activation, output, t, delta);
        }
        else
        {
            loss = LossFunctions.Compute(_loss, layers[last].Activation, output, t);
            _outputRule.ComputeOutputError(output, t, delta);
        }

        FusedUpdate[] weightSteps = _weightSteps!;
        FusedUpdate[] biasSteps = _biasSteps!;
        for (int l = last; l >= 0; l--)
        {
            LayerInfo layer = layers[l];
            delta = _deltas.AsSpan(_unitOffsets[l], layer.OutputSize);
            ReadOnlySpan<float> layerInput = l == 0 ? x : _activations.AsSpan(_unitOffsets[l - 1], layer.InputSize);
            Span<float> below = l == 0 ? [] : _deltas.AsSpan(_unitOffsets[l - 1], layer.InputSize);
            below.Clear();
            SampleKernels.BackwardAndUpdate(
                parameters.Slice(layer.WeightOffset, layer.WeightCount),
                parameters.Slice(layer.BiasOffset, layer.OutputSize),
                delta,
                layerInput,
                below,
                weightSteps[l],
                biasSteps[l]);
            if (_afterUpdates![l] is { } proximal)
            {
                proximal.AfterUpdate(parameters.Slice(layer.WeightOffset, layer.WeightCount), _learningRate);
                if (_regularizeBiases)
                {
                    _biasRegularizers[l].AfterUpdate(parameters.Slice(layer.BiasOffset, layer.OutputSize), _learningRate);
                }
            }

            if (l > 0)
            {
                ActivationKernels.MultiplyByDerivative(layers[l - 1].Activation, layerInput, below);
            }
        }

        return loss;
    }

    /// <summary>Stops the worker threads, if any.</summary>
    public void Dispose() => _engine?.Dispose();

    /// <summary>The gradient buffer, in the network's parameter layout.</summary>
    public float[] Gradient { get; }

    /// <summary>Momentum velocity, in the network's parameter layout (empty without momentum).</summary>
    public float[] Velocity { get; }

    public ReadOnlySpan<float> Output => _activations.AsSpan(_unitOffsets[^1], _layers[^1].OutputSize);

    /// <summary>Forward pass only; the output is in <see cref="Output"/>.</summary>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x) =>
        FeedForward.Run(_layers, parameters, x, _activations);

    /// <summary>
    /// Forward and backward pass for one sample: adds its gradient to <see cref="Gradient"/> (or overwrites it when
    /// <paramref name="overwrite"/>) and returns its loss.
    /// </summary>
    public float AccumulateSample(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> t, bool overwrite)
    {
        LayerInfo[] layers = _layers;
        FeedForward.Run(layers, parameters, x, _activations);

        int last = layers.Length - 1;
        ReadOnlySpan<float> output = _activations.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        float loss = LossFunctions.Compute(_loss, layers[last].Activation, output, t);
        Span<float> delta = _deltas.AsSpan(_unitOffsets[last], layers[last].OutputSize);
        if (_outputRule is null)
        {
            LossFunctions.TrueOutputError(_loss, layers[last].Activation, output, t, delta);
        }
        else
        {
            _outputRule.ComputeOutputError(output, t, delta);
        }

        Span<float> gradient = Gradient;
        for (int l = last; l >= 0; l--)
        {
            LayerInfo layer = layers[l];
            delta = _deltas.AsSpan(_unitOffsets[l], layer.OutputSize);
            ReadOnlySpan<float> input = l == 0 ? x : _activations.AsSpan(_unitOffsets[l - 1], layer.InputSize);
            Span<float> gw = gradient.Slice(layer.WeightOffset, layer.WeightCount);
            Span<float> gb = gradient.Slice(layer.BiasOffset, layer.OutputSize);
            if (overwrite)
            {
                DenseKernels.SetGradient(delta, input, gw, gb);
            }
            else
            {
                DenseKernels.AccumulateGradient(delta, input, gw, gb);
            }

            if (l > 0)
            {
                Span<float> below = _deltas.AsSpan(_unitOffsets[l - 1], layer.InputSize);
                DenseKernels.BackwardInput(parameters.Slice(layer.WeightOffset, layer.WeightCount), delta, below);
                ActivationKernels.MultiplyByDerivative(layers[l - 1].Activation, input, below);
            }
        }

        return loss;
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
            weights[l] = regularizers[l].Bind(layers[l].WeightCount) ?? throw new InvalidOperationException($"{regularizers[l].Name}.Bind returned null.");
            biases[l] = regularizeBiases ? regularizers[l].Bind(layers[l].OutputSize) ?? throw new InvalidOperationException($"{regularizers[l].Name}.Bind returned null.") : weights[l];
        }

        return (weights, biases);
    }

    /// <summary>Scales the accumulated data gradient, e.g. by <c>1 / batch size</c>.</summary>
    public void ScaleGradient(float factor) => TensorPrimitives.Multiply(Gradient, factor, Gradient);

    /// <summary>Applies one step to every layer: data gradient, regularizer (fused), momentum, then the regularizer's after-update step.</summary>
    public void Update(Span<float> parameters, float rate, float momentum)
    {
        Span<float> gradient = Gradient;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            IRegularizer regularizer = _regularizers[l];
            Span<float> w = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            Span<float> b = parameters.Slice(layer.BiasOffset, layer.OutputSize);
            Span<float> gw = gradient.Slice(layer.WeightOffset, layer.WeightCount);
            Span<float> gb = gradient.Slice(layer.BiasOffset, layer.OutputSize);
            if (momentum == 0f)
            {
                regularizer.Update(w, gw, rate);
                if (_regularizeBiases)
                {
                    _biasRegularizers[l].Update(b, gb, rate);
                }
                else
                {
                    UpdateKernels.Sgd(b, gb, rate);
                }
            }
            else
            {
                regularizer.AddGradient(w, gw);
                if (_regularizeBiases)
                {
                    _biasRegularizers[l].AddGradient(b, gb);
                }

                Span<float> v = Velocity.AsSpan(layer.WeightOffset, layer.ParameterCount);
                Span<float> g = gradient.Slice(layer.WeightOffset, layer.ParameterCount);
                TensorPrimitives.MultiplyAdd(v, momentum, g, v);
                UpdateKernels.Sgd(parameters.Slice(layer.WeightOffset, layer.ParameterCount), v, rate);
            }

            regularizer.AfterUpdate(w, rate);
            if (_regularizeBiases)
            {
                _biasRegularizers[l].AfterUpdate(b, rate);
            }
        }
    }

    /// <summary>Adds every layer's regularizer gradient to <see cref="Gradient"/>.</summary>
    public void AddRegularizerGradient(ReadOnlySpan<float> parameters)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            _regularizers[l].AddGradient(parameters.Slice(layer.WeightOffset, layer.WeightCount), Gradient.AsSpan(layer.WeightOffset, layer.WeightCount));
            if (_regularizeBiases)
            {
                _biasRegularizers[l].AddGradient(parameters.Slice(layer.BiasOffset, layer.OutputSize), Gradient.AsSpan(layer.BiasOffset, layer.OutputSize));
            }
        }
    }

    /// <summary>Sum over layers of the regularizers' penalties.</summary>
    public double Penalty(ReadOnlySpan<float> parameters)
    {
        double penalty = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            penalty += _regularizers[l].Penalty(parameters.Slice(layer.WeightOffset, layer.WeightCount));
            if (_regularizeBiases)
            {
                penalty += _biasRegularizers[l].Penalty(parameters.Slice(layer.BiasOffset, layer.OutputSize));
            }
        }

        return penalty;
    }

    /// <summary>Evaluates the network on <paramref name="data"/>: mean loss, penalty, accuracy and weight statistics.</summary>
    public EpochReport Evaluate(ReadOnlySpan<float> parameters, Dataset data, int epoch, int epochs, long steps)
    {
        double loss = 0;
        int correct = 0;
        LayerInfo output = _layers[^1];

        // Blocks of rows through the batched forward product (the same bits as one row at a time).
        int inputs = _layers[0].InputSize;
        int outputs = output.OutputSize;
        int block = Math.Min(data.Count, FeedForward.BlockRows * 4);
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Max(1, block * outputs));
        try
        {
            ReadOnlySpan<float> features = data.Features;
            for (int r0 = 0; r0 < data.Count; r0 += block)
            {
                int count = Math.Min(block, data.Count - r0);
                Span<float> outs = rented.AsSpan(0, count * outputs);
                FeedForward.RunRows(_layers, parameters, features.Slice(r0 * inputs, count * inputs), outs, inputs, outputs);
                for (int i = 0; i < count; i++)
                {
                    int r = r0 + i;
                    ReadOnlySpan<float> o = outs.Slice(i * outputs, outputs);
                    loss += LossFunctions.Compute(_loss, output.Activation, o, data.GetTarget(r));
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
            DataLoss = loss / data.Count,
            Penalty = Penalty(parameters),
            Accuracy = data.HasLabels ? (double)correct / data.Count : double.NaN,
            WeightL1 = l1,
            ZeroWeights = zeros,
        };
    }
}
