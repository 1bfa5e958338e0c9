namespace L1Net.Networks;

/// <summary>What a layer is to be: its number of units and its activation.</summary>
/// <param name="Units">Number of units (outputs) of the layer.</param>
/// <param name="Activation">The layer's activation.</param>
public readonly record struct LayerSpec(int Units, Activation Activation);
