namespace L1Net.Selection;

/// <summary>One lambda of a regularization path and the network trained with it.</summary>
public sealed class PathPoint
{
    private readonly float[] _parameters;

    internal PathPoint(float lambda, float[] parameters, int nonzeroWeights, int weightCount, bool warmStarted, TrainingResult training, NetworkSelection selection)
    {
        Selection = selection;
        Lambda = lambda;
        _parameters = parameters;
        NonzeroWeights = nonzeroWeights;
        WeightCount = weightCount;
        WarmStarted = warmStarted;
        Training = training;
    }

    /// <summary>The regularization strength.</summary>
    public float Lambda { get; }

    /// <summary>The trained parameters, in the network's layout.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>Number of weights (biases excluded) not exactly zero.</summary>
    public int NonzeroWeights { get; }

    /// <summary>Number of weights (biases excluded).</summary>
    public int WeightCount { get; }

    /// <summary>
    /// The inputs and hidden units the trained network still uses (see <see cref="NetworkPruner.Analyze"/>): with a group
    /// penalty, the features and units selected at this lambda.
    /// </summary>
    public NetworkSelection Selection { get; }

    /// <summary>Whether training started from a neighbouring lambda's solution (see <see cref="PathDirection"/>) rather than from the initial network.</summary>
    public bool WarmStarted { get; }

    /// <summary>How the training at this lambda ended, with its final loss and accuracy on the training rows.</summary>
    public TrainingResult Training { get; }

    /// <summary>Writes this point's parameters into <paramref name="network"/>, which must have the path's shape.</summary>
    /// <param name="network">The network to change.</param>
    /// <exception cref="ArgumentException">The network has a different number of parameters.</exception>
    public void CopyTo(DenseNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.ParameterCount != _parameters.Length)
        {
            throw new ArgumentException(Guard.Text($"The network has {network.ParameterCount} parameters but the path's networks have {_parameters.Length}."), nameof(network));
        }

        _parameters.CopyTo(network.Parameters);
    }
}
