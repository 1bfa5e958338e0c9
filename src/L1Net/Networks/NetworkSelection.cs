namespace L1Net.Networks;

/// <summary>
/// The inputs and hidden units a network still uses: those that can change an output, as <see cref="NetworkPruner.Analyze"/>
/// finds them from the exact zeros of its weights. A network trained with a group penalty has selected these features.
/// </summary>
public sealed class NetworkSelection
{
    private readonly int[] _inputs;
    private readonly int[][] _units;
    private readonly int[] _layerSizes;

    internal NetworkSelection(int inputCount, int[] inputs, int[][] units, int[] layerSizes)
    {
        InputCount = inputCount;
        _inputs = inputs;
        _units = units;
        _layerSizes = layerSizes;
    }

    /// <summary>The network's input width.</summary>
    public int InputCount { get; }

    /// <summary>The selected input columns, ascending.</summary>
    public IReadOnlyList<int> Inputs => _inputs;

    /// <summary>For each hidden layer, the selected units, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Units => _units;

    /// <summary>The number of hidden units of each hidden layer of the network.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => _layerSizes;

    /// <summary>The number of selected hidden units, over all hidden layers.</summary>
    public int UnitCount => _units.Sum(u => u.Length);

    /// <summary>The number of hidden units of the network, over all hidden layers.</summary>
    public int HiddenUnitCount => _layerSizes.Sum();

    /// <summary>Names the selected inputs: <c>K of P inputs used: name, name, ...</c>.</summary>
    /// <param name="names">One name per input column, or null for the column numbers (from 0).</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentException"><paramref name="names"/> does not have one entry per input.</exception>
    public string DescribeInputs(IReadOnlyList<string>? names = null)
    {
        if (names is not null && names.Count != InputCount)
        {
            throw new ArgumentException(Guard.Text($"'{nameof(names)}' must have {InputCount} entries (one per input), but has {names.Count}."), nameof(names));
        }

        string list = string.Join(", ", _inputs.Select(i => names is null ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : names[i]));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_inputs.Length} of {InputCount} inputs used{(list.Length > 0 ? ": " + list : "")}");
    }
}
