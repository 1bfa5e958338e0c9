using System.Buffers;
using L1Net.Kernels;

namespace L1Net.Networks;

/// <summary>
/// A fully connected feed-forward network of any depth, with all parameters in one contiguous <see cref="float"/> array
/// that starts on a 64-byte cache-line boundary.
/// Build one with <see cref="NetworkBuilder"/>, or load one with <see cref="Serialization.NetworkSerializer"/>.
/// </summary>
/// <remarks>
/// Thread safety: <see cref="Predict"/>, <see cref="PredictBatch"/>, <see cref="Clone"/> and saving only read the parameters and
/// may run on many threads at once. Anything that writes the parameters (training, writes through <see cref="Parameters"/>,
/// <see cref="GetWeights"/> or <see cref="GetBiases"/>, an initializer) must not run at the same time as any other use.
/// Two trainings of the same network at once are detected (<see cref="BackPropTrainer.Train"/> throws
/// <see cref="InvalidOperationException"/>); prediction during training is not detected.
/// </remarks>
public sealed class DenseNetwork : INetwork
{
    /// <summary>Largest number of units a layer (or the input) may have.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxLayerSize { get; } = 1 << 20;

    /// <summary>Largest number of parameters a network may have.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxParameterCount { get; } = 1 << 28;

    private readonly LayerInfo[] _layers;
    private readonly ArraySegment<float> _parameters;
    private int _training;

    /// <summary>Creates a network with the given shape and all parameters zero.</summary>
    /// <param name="inputSize">Number of inputs, from 1 to <see cref="MaxLayerSize"/>.</param>
    /// <param name="layers">Units and activation of each layer, the output layer last; at least one.</param>
    /// <exception cref="ArgumentException">A size is out of range, there are no layers, an activation is not allowed where it stands, or the network is too large.</exception>
    public DenseNetwork(int inputSize, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputSize <= 0 || inputSize > MaxLayerSize)
        {
            throw Guard.OutOfRange(nameof(inputSize), inputSize, Guard.Text($"'inputSize' must be between 1 and {MaxLayerSize}."));
        }

        if (layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        _layers = new LayerInfo[layers.Count];
        long offset = 0;
        int previous = inputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerSpec spec = layers[l];
            if (spec.Units <= 0 || spec.Units > MaxLayerSize)
            {
                throw Guard.OutOfRange(nameof(layers), spec.Units, Guard.Text($"Layer {l} must have between 1 and {MaxLayerSize} units, but has {spec.Units}."));
            }

            ActivationRules.Validate(spec.Activation, isOutput: l == layers.Count - 1, spec.Units, nameof(layers));
            long count = ((long)previous * spec.Units) + spec.Units;
            if (offset + count > MaxParameterCount)
            {
                throw new ArgumentException(Guard.Text($"The network would have more than {MaxParameterCount} parameters."), nameof(layers));
            }

            _layers[l] = new LayerInfo(previous, spec.Units, spec.Activation, (int)offset);
            offset += count;
            previous = spec.Units;
        }

        InputSize = inputSize;
        _parameters = AlignedMemory.Allocate((int)offset);
    }

    /// <inheritdoc />
    public int InputSize { get; }

    /// <inheritdoc />
    public int OutputSize => _layers[^1].OutputSize;

    /// <inheritdoc />
    public IReadOnlyList<LayerInfo> Layers => _layers;

    /// <inheritdoc />
    public int ParameterCount => _parameters.Count;

    /// <inheritdoc />
    public Span<float> Parameters => _parameters;

    /// <inheritdoc />
    public Span<float> GetWeights(int layer)
    {
        LayerInfo info = Layer(layer);
        return _parameters.AsSpan(info.WeightOffset, info.WeightCount);
    }

    /// <inheritdoc />
    public Span<float> GetBiases(int layer)
    {
        LayerInfo info = Layer(layer);
        return _parameters.AsSpan(info.BiasOffset, info.OutputSize);
    }

    /// <inheritdoc />
    /// <remarks><paramref name="output"/> may overlap <paramref name="input"/> (the same array, in place): the input is then read from a pooled copy.</remarks>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        Guard.Length(input, InputSize, nameof(input));
        if (output.Length != OutputSize)
        {
            throw new ArgumentException(Guard.Text($"'output' must have length {OutputSize}, but has length {output.Length}."), nameof(output));
        }

        Guard.AllFinite(input, nameof(input));
        if (input.Overlaps(output))
        {
            // In place (or overlapping): the forward pass writes outputs while it still reads the input, so read a copy.
            PredictFromCopy(input, output, static (network, copy, destination) => FeedForward.RunRows(network._layers, network._parameters, copy, destination, network.InputSize, network.OutputSize));
            return;
        }

        FeedForward.RunRows(_layers, _parameters, input, output, InputSize, OutputSize);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Blocks of rows go through each layer together in the register-tiled matrix product of training, with no
    /// allocation once the calling thread has its scratch (up to 4 MiB per thread, kept). Each output is one multiply-add
    /// chain per element, so a row gives the same bits alone or in any batch and on any thread (and, where the hardware
    /// has FMA, at every vector width). Tanh layers use a rational approximation of tanh applied while the product is in
    /// registers (within 2.9e-7 of tanh with FMA, 4.1e-7 without); <see cref="Predict"/> sums its dot products in vector
    /// lanes and has <c>TensorPrimitives.Tanh</c>'s bits, so the two agree to float rounding (about 1e-6), not bit for bit.
    /// The inputs are checked for NaN and infinity block by block as they are used; when one is found the call throws
    /// before any output is written (the outputs are staged per thread until the last block).
    /// <paramref name="outputs"/> may overlap <paramref name="inputs"/> (the same array, in place): the inputs are then
    /// checked whole and read from a pooled copy.
    /// </remarks>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (inputs.Length == 0 || inputs.Length % InputSize != 0)
        {
            throw new ArgumentException(Guard.Text($"'inputs' must hold a positive whole number of rows of {InputSize} values, but has length {inputs.Length}."), nameof(inputs));
        }

        int rows = inputs.Length / InputSize;
        if (outputs.Length != rows * OutputSize)
        {
            throw new ArgumentException(Guard.Text($"'outputs' must have length {rows * OutputSize} ({rows} rows of {OutputSize}), but has length {outputs.Length}."), nameof(outputs));
        }

        if (inputs.Overlaps(outputs))
        {
            // In place (or overlapping): a block's outputs could overwrite rows of a later block before they are read.
            Guard.AllFinite(inputs, nameof(inputs));
            PredictFromCopy(inputs, outputs, static (network, copy, destination) => network.PredictBatchChecked(copy, destination));
            return;
        }

        if (FeedForward.RunBatchValidating(_layers, _parameters, inputs, outputs, InputSize, OutputSize) >= 0)
        {
            // A NaN or an infinity: nothing was written; the same message as every entry point's check.
            Guard.AllFinite(inputs, nameof(inputs));
        }
    }

    private delegate void Forward(DenseNetwork network, ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>Runs <paramref name="forward"/> on a pooled copy of <paramref name="inputs"/>, for outputs that overlap the inputs.</summary>
    private void PredictFromCopy(ReadOnlySpan<float> inputs, Span<float> outputs, Forward forward)
    {
        float[] copy = ArrayPool<float>.Shared.Rent(inputs.Length);
        try
        {
            inputs.CopyTo(copy);
            forward(this, copy.AsSpan(0, inputs.Length), outputs);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }
    }

    /// <summary>
    /// <see cref="PredictBatch"/> without its checks, for callers that have checked the shapes and that every value is
    /// finite (a <see cref="Dataset"/>, a model's validated and preprocessed rows): the batched forward product only.
    /// </summary>
    internal void PredictBatchChecked(ReadOnlySpan<float> inputs, Span<float> outputs) =>
        FeedForward.RunBatch(_layers, _parameters, inputs, outputs, InputSize, OutputSize);

    /// <summary>A deep copy: same shape, same parameter values, no shared storage.</summary>
    /// <returns>The copy.</returns>
    public DenseNetwork Clone()
    {
        var copy = new DenseNetwork(InputSize, _layers.Select(l => new LayerSpec(l.OutputSize, l.Activation)).ToArray());
        _parameters.AsSpan().CopyTo(copy._parameters);
        return copy;
    }

    /// <summary>The parameter storage (a pinned array, the segment starting on a 64-byte boundary), for tests of the alignment.</summary>
    internal ArraySegment<float> ParameterStorage => _parameters;

    /// <summary>Marks the network as being trained; false when a training already holds it. Costs one interlocked operation per training call.</summary>
    internal bool TryBeginTraining() => Interlocked.CompareExchange(ref _training, 1, 0) == 0;

    /// <summary>Releases the mark set by <see cref="TryBeginTraining"/>.</summary>
    internal void EndTraining() => Volatile.Write(ref _training, 0);

    /// <summary>A short description such as <c>10-8(Tanh)-4(Softmax)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{InputSize}-" + string.Join("-", _layers.Select(l => $"{l.OutputSize}({l.Activation})"));

    private LayerInfo Layer(int layer)
    {
        if ((uint)layer >= (uint)_layers.Length)
        {
            throw Guard.OutOfRange(nameof(layer), layer, Guard.Text($"'layer' must be between 0 and {_layers.Length - 1}."));
        }

        return _layers[layer];
    }
}
