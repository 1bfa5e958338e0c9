namespace L1Net.Networks;

/// <summary>
/// A feed-forward network of dense layers: <c>a_0 = x</c>, <c>a_l = f_l(W_l a_(l-1) + b_l)</c>, output <c>a_L</c>.
/// All parameters live in one contiguous span laid out layer by layer (weights, then biases; see <see cref="LayerInfo"/>).
/// </summary>
/// <remarks>
/// <see cref="Predict"/> and <see cref="PredictBatch"/> only read the parameters and are safe to call from many threads at once,
/// as long as nothing writes the parameters meanwhile (training, <see cref="Parameters"/> writes, loading).
/// </remarks>
public interface INetwork
{
    /// <summary>Number of inputs the network takes.</summary>
    int InputSize { get; }

    /// <summary>Number of outputs the network produces.</summary>
    int OutputSize { get; }

    /// <summary>The layers, first hidden layer first, output layer last.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Total number of parameters (weights and biases of every layer).</summary>
    int ParameterCount { get; }

    /// <summary>All parameters, layer by layer: weights <c>W[o, i]</c> row-major, then biases.</summary>
    Span<float> Parameters { get; }

    /// <summary>The weights of layer <paramref name="layer"/>, row-major <c>W[o, i]</c> (length <c>OutputSize * InputSize</c>).</summary>
    /// <param name="layer">Zero-based layer index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer index.</exception>
    Span<float> GetWeights(int layer);

    /// <summary>The biases of layer <paramref name="layer"/> (length <c>OutputSize</c>).</summary>
    /// <param name="layer">Zero-based layer index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer index.</exception>
    Span<float> GetBiases(int layer);

    /// <summary>Computes the network's output for one input.</summary>
    /// <param name="input">Exactly <see cref="InputSize"/> finite values.</param>
    /// <param name="output">Receives <see cref="OutputSize"/> values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length or the input holds NaN or infinity.</exception>
    void Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Computes the outputs of several inputs stored row by row.</summary>
    /// <param name="inputs">Rows of <see cref="InputSize"/> values; its length must be a positive multiple of <see cref="InputSize"/>.</param>
    /// <param name="outputs">Receives rows of <see cref="OutputSize"/> values, one per input row.</param>
    /// <exception cref="ArgumentException">The lengths do not describe the same number of rows, or an input is not finite.</exception>
    void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs);
}
