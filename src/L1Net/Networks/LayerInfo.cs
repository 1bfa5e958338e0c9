namespace L1Net.Networks;

/// <summary>
/// The shape of one dense layer: its inputs, units and activation. Its weights and biases are read through
/// <see cref="INetwork.GetWeights"/> and <see cref="INetwork.GetBiases"/> (weights row-major <c>W[o, i]</c>: the
/// <see cref="InputSize"/> weights of output unit <c>o</c> are contiguous); where they sit in the flat
/// <see cref="INetwork.Parameters"/> is not part of the contract.
/// </summary>
public readonly record struct LayerInfo
{
    /// <summary>Creates a layer description.</summary>
    /// <param name="inputSize">Units feeding the layer, from 1 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <param name="outputSize">Units of the layer, from 1 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <param name="activation">The layer's activation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the layer would have more than <see cref="DenseNetwork.MaxParameterCount"/> parameters (so <see cref="WeightCount"/> and <see cref="ParameterCount"/> cannot overflow).</exception>
    public LayerInfo(int inputSize, int outputSize, Activation activation)
        : this(CheckSize(inputSize, nameof(inputSize)), CheckSize(outputSize, nameof(outputSize)), activation, 0)
    {
        if (((long)inputSize * outputSize) + outputSize > DenseNetwork.MaxParameterCount)
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"A layer of {inputSize} inputs and {outputSize} units would have more than {DenseNetwork.MaxParameterCount} parameters.");
        }
    }

    private static int CheckSize(int size, string name) =>
        size >= 1 && size <= DenseNetwork.MaxLayerSize
            ? size
            : throw new ArgumentOutOfRangeException(name, size, $"'{name}' must be between 1 and {DenseNetwork.MaxLayerSize}, but was {size}.");

    /// <summary>Creates a layer description whose weights start at <paramref name="weightOffset"/> in the flat parameter span.</summary>
    internal LayerInfo(int inputSize, int outputSize, Activation activation, int weightOffset)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
        WeightOffset = weightOffset;
    }

    /// <summary>Number of inputs to the layer (the previous layer's <see cref="OutputSize"/>, or the network's input size).</summary>
    public int InputSize { get; }

    /// <summary>Number of units in the layer.</summary>
    public int OutputSize { get; }

    /// <summary>The layer's activation.</summary>
    public Activation Activation { get; }

    /// <summary>Index of the first weight in <see cref="INetwork.Parameters"/> (the dense layout; internal).</summary>
    internal int WeightOffset { get; }

    /// <summary>Number of weights: <c>InputSize * OutputSize</c>.</summary>
    public int WeightCount => InputSize * OutputSize;

    /// <summary>Index of the first bias in <see cref="INetwork.Parameters"/>: <c>WeightOffset + WeightCount</c> (internal).</summary>
    internal int BiasOffset => WeightOffset + WeightCount;

    /// <summary>Number of parameters of the layer: weights plus biases.</summary>
    public int ParameterCount => WeightCount + OutputSize;
}
