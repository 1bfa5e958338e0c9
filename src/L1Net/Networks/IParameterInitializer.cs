namespace L1Net.Networks;

/// <summary>
/// Sets a network's initial parameters. This is the seam for reproducing another program's run: write the values it
/// would have drawn, in its order, into <see cref="INetwork.GetWeights"/> and <see cref="INetwork.GetBiases"/>.
/// </summary>
public interface IParameterInitializer
{
    /// <summary>Writes every parameter of <paramref name="network"/>.</summary>
    /// <param name="network">The network to initialise; its shape is fixed.</param>
    void Initialize(INetwork network);
}
