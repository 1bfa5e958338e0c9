namespace L1Net.Regularization;

/// <summary>
/// Which groups of weights a <see cref="GroupLassoRegularizer"/> penalizes. A group is one column of a layer's weight matrix:
/// all the weights leaving one input (first layer) or one hidden unit (later layers). When a group reaches zero, that input or
/// unit can no longer change any output, and <see cref="NetworkPruner"/> removes it.
/// </summary>
[Flags]
public enum GroupTarget
{
    /// <summary>The fan-out of every input: the columns of the first layer's weights (feature selection).</summary>
    Inputs = 1,

    /// <summary>The fan-out of every hidden unit: the columns of every later layer's weights (unit selection).</summary>
    Units = 2,

    /// <summary>Both: every column of every layer (the group sparse regularization of Scardapane et al., 2017, without biases).</summary>
    InputsAndUnits = Inputs | Units,
}
