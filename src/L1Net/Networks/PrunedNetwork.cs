using System.Buffers;

namespace L1Net.Networks;

/// <summary>
/// A compact network made by <see cref="NetworkPruner.Prune"/>, with the inputs and hidden units of the original that it
/// kept. It predicts from full rows of the original width (the kept columns are picked inside) or, through
/// <see cref="Network"/>, from rows that hold only the kept columns.
/// </summary>
public sealed class PrunedNetwork
{
    private readonly int[] _keptInputs;
    private readonly int[][] _keptUnits;

    internal PrunedNetwork(DenseNetwork network, int originalInputSize, int[] keptInputs, int[][] keptUnits, int originalParameterCount)
    {
        Network = network;
        OriginalInputSize = originalInputSize;
        _keptInputs = keptInputs;
        _keptUnits = keptUnits;
        OriginalParameterCount = originalParameterCount;
    }

    /// <summary>The compact network; its inputs are the columns listed in <see cref="KeptInputs"/>, in that order.</summary>
    public DenseNetwork Network { get; }

    /// <summary>The input width of the original network.</summary>
    public int OriginalInputSize { get; }

    /// <summary>The original input columns the compact network reads, ascending. Empty when no input can change an output.</summary>
    public IReadOnlyList<int> KeptInputs => _keptInputs;

    /// <summary>For each hidden layer, the original units kept, ascending. Empty for a layer none of whose units matters.</summary>
    public IReadOnlyList<IReadOnlyList<int>> KeptUnits => _keptUnits;

    /// <summary>The number of parameters of the original network.</summary>
    public int OriginalParameterCount { get; }

    /// <summary>Copies the kept columns of each full row in <paramref name="fullRows"/> into <paramref name="keptRows"/>.</summary>
    /// <param name="fullRows">Whole rows of <see cref="OriginalInputSize"/> values each.</param>
    /// <param name="keptRows">Receives the same number of rows of <c>Network.InputSize</c> values each.</param>
    /// <exception cref="ArgumentException">A length is not a whole number of rows, or the row counts differ.</exception>
    public void SelectInputs(ReadOnlySpan<float> fullRows, Span<float> keptRows)
    {
        if (fullRows.Length == 0 || fullRows.Length % OriginalInputSize != 0)
        {
            throw new ArgumentException(Guard.Text($"'fullRows' must hold a positive whole number of rows of {OriginalInputSize} values, but has length {fullRows.Length}."), nameof(fullRows));
        }

        int rows = fullRows.Length / OriginalInputSize;
        int width = Network.InputSize;
        if (keptRows.Length != rows * width)
        {
            throw new ArgumentException(Guard.Text($"'keptRows' must have length {rows * width} ({rows} rows of {width}), but has length {keptRows.Length}."), nameof(keptRows));
        }

        if (_keptInputs.Length == 0)
        {
            keptRows.Clear(); // the one placeholder input, whose weights are zero
            return;
        }

        ColumnGather.Gather(fullRows, OriginalInputSize, _keptInputs, keptRows);
    }

    /// <summary>Predicts one full row (of <see cref="OriginalInputSize"/> values); the dropped columns are ignored.</summary>
    /// <param name="fullRow">The row, in the original network's columns.</param>
    /// <param name="output">Receives the network's outputs.</param>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="fullRow"/> holds a non-finite value.</exception>
    public void Predict(ReadOnlySpan<float> fullRow, Span<float> output)
    {
        Guard.Length(fullRow, OriginalInputSize, nameof(fullRow));
        Guard.AllFinite(fullRow, nameof(fullRow));
        if (output.Length != Network.OutputSize)
        {
            throw new ArgumentException(Guard.Text($"'output' must have length {Network.OutputSize}, but has length {output.Length}."), nameof(output));
        }

        PredictBatch(fullRow, output);
    }

    /// <summary>Predicts a batch of full rows (each of <see cref="OriginalInputSize"/> values), row-major.</summary>
    /// <param name="fullRows">The rows, in the original network's columns.</param>
    /// <param name="outputs">Receives one row of outputs per input row.</param>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="fullRows"/> holds a non-finite value.</exception>
    public void PredictBatch(ReadOnlySpan<float> fullRows, Span<float> outputs)
    {
        if (fullRows.Length == 0 || fullRows.Length % OriginalInputSize != 0)
        {
            throw new ArgumentException(Guard.Text($"'fullRows' must hold a positive whole number of rows of {OriginalInputSize} values, but has length {fullRows.Length}."), nameof(fullRows));
        }

        Guard.AllFinite(fullRows, nameof(fullRows));
        int rows = fullRows.Length / OriginalInputSize;
        int length = rows * Network.InputSize;
        float[] rented = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Span<float> kept = rented.AsSpan(0, length);
            SelectInputs(fullRows, kept);
            Network.PredictBatch(kept, outputs);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
