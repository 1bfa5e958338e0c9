namespace L1Net.Networks;

/// <summary>
/// Builds a <see cref="DenseNetwork"/> layer by layer, reading like its diagram:
/// <code>
/// DenseNetwork net = NetworkBuilder.Input(10)
///     .Dense(8, Activation.Tanh)
///     .Dense(4, Activation.Softmax)
///     .Build(new GlorotUniformInitializer(seed: 1));
/// </code>
/// </summary>
public sealed class NetworkBuilder
{
    private readonly List<LayerSpec> _layers = [];

    private NetworkBuilder(int inputSize) => InputSize = inputSize;

    /// <summary>Number of inputs of the network being built.</summary>
    public int InputSize { get; }

    /// <summary>Starts a network with <paramref name="size"/> inputs.</summary>
    /// <param name="size">Number of inputs, from 1 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <returns>A builder with no layers yet.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is out of range.</exception>
    public static NetworkBuilder Input(int size)
    {
        if (size <= 0 || size > DenseNetwork.MaxLayerSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"'size' must be between 1 and {DenseNetwork.MaxLayerSize}.");
        }

        return new NetworkBuilder(size);
    }

    /// <summary>Appends a dense layer. The last layer appended becomes the output layer.</summary>
    /// <param name="units">Number of units, from 1 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <param name="activation">The layer's activation (checked against its position by <see cref="Build()"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is out of range or <paramref name="activation"/> is undefined.</exception>
    public NetworkBuilder Dense(int units, Activation activation)
    {
        if (units <= 0 || units > DenseNetwork.MaxLayerSize)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"'units' must be between 1 and {DenseNetwork.MaxLayerSize}.");
        }

        if (!ActivationRules.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "'activation' is not a defined Activation value.");
        }

        _layers.Add(new LayerSpec(units, activation));
        return this;
    }

    /// <summary>Builds the network with Glorot-uniform weights from seed 0 and zero biases.</summary>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidOperationException">No layer was added (call <see cref="Dense"/> first).</exception>
    /// <exception cref="ArgumentException">An activation is not allowed where it stands.</exception>
    public DenseNetwork Build() => Build(new GlorotUniformInitializer(0));

    /// <summary>Builds the network and sets its parameters with <paramref name="initializer"/>.</summary>
    /// <param name="initializer">Writes the initial parameters.</param>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidOperationException">No layer was added (call <see cref="Dense"/> first).</exception>
    /// <exception cref="ArgumentException">An activation is not allowed where it stands.</exception>
    public DenseNetwork Build(IParameterInitializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        if (_layers.Count == 0)
        {
            throw new InvalidOperationException("The builder has no layers: add at least one with Dense(units, activation) before Build().");
        }

        var network = new DenseNetwork(InputSize, _layers.ToArray());
        initializer.Initialize(network);
        int bad = Guard.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"The initializer wrote a non-finite value ({network.Parameters[bad]}) at parameter {bad}."), nameof(initializer));
        }

        return network;
    }
}
