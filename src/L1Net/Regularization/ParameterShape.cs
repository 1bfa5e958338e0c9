namespace L1Net.Regularization;

/// <summary>Whether a span of parameters holds a layer's weights or its biases.</summary>
public enum ParameterKind
{
    /// <summary>The weight matrix <c>W[o, i]</c>, row-major: one row per output unit, one column per input.</summary>
    Weights,

    /// <summary>The bias vector <c>b[o]</c>: one row per output unit, one column.</summary>
    Biases,
}

/// <summary>
/// Where a span of parameters handed to an <see cref="IRegularizer"/> or an <see cref="IOptimizer"/> sits: the layer, weights
/// or biases, the shape of the whole matrix (<see cref="Rows"/> x <see cref="Columns"/>, row-major), and which of its rows the
/// span holds (<see cref="FirstRow"/>, <see cref="RowCount"/>).
/// </summary>
/// <remarks>
/// A layer with <c>n</c> inputs and <c>m</c> outputs has a weights span of shape <c>m x n</c> (row <c>o</c> holds the weights
/// into output unit <c>o</c>, so a row is a unit's fan-in and a column an input's fan-out) and a biases span of shape
/// <c>m x 1</c>. The trainer hands a strategy either the whole matrix or, when the strategy allows it
/// (<see cref="IRegularizer.Coupling"/>), a block of whole consecutive rows; then element <c>k</c> of the span is element
/// <see cref="Offset"/><c> + k</c> of the whole matrix.
/// </remarks>
public readonly record struct ParameterShape
{
    /// <summary>Describes a whole matrix, or a block of its rows.</summary>
    /// <param name="layer">The layer's index, 0 for the first hidden layer.</param>
    /// <param name="kind">Weights or biases.</param>
    /// <param name="rows">Rows of the whole matrix (the layer's output units), at least 1.</param>
    /// <param name="columns">Columns of the whole matrix (the layer's inputs for weights, 1 for biases), at least 1.</param>
    /// <param name="firstRow">The first row the span holds; default 0.</param>
    /// <param name="rowCount">How many rows the span holds; default -1, meaning all rows from <paramref name="firstRow"/> on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the layer is negative, the kind is undefined, or the row block does not lie inside the matrix.</exception>
    public ParameterShape(int layer, ParameterKind kind, int rows, int columns, int firstRow = 0, int rowCount = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        if (kind is not (ParameterKind.Weights or ParameterKind.Biases))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, Guard.Text($"'{nameof(kind)}' is not a defined ParameterKind value."));
        }

        Guard.Positive(rows);
        Guard.Positive(columns);
        if (checked((long)rows * columns) > Array.MaxLength)
        {
            throw Guard.OutOfRange(nameof(columns), columns, Guard.Text($"A {rows} x {columns} matrix has more elements than an array can hold."));
        }

        if (rowCount == -1)
        {
            rowCount = rows - firstRow;
        }

        if (firstRow < 0 || firstRow >= rows)
        {
            throw Guard.OutOfRange(nameof(firstRow), firstRow, Guard.Text($"'{nameof(firstRow)}' must be in [0, {rows}), but was {firstRow}."));
        }

        if (rowCount <= 0 || rowCount > rows - firstRow)
        {
            throw Guard.OutOfRange(nameof(rowCount), rowCount, Guard.Text($"'{nameof(rowCount)}' must be in [1, {rows - firstRow}] (or -1 for the rest of the rows), but was {rowCount}."));
        }

        Layer = layer;
        Kind = kind;
        Rows = rows;
        Columns = columns;
        FirstRow = firstRow;
        RowCount = rowCount;
    }

    /// <summary>The layer's index, 0 for the first hidden layer.</summary>
    public int Layer { get; }

    /// <summary>Weights or biases.</summary>
    public ParameterKind Kind { get; }

    /// <summary>Rows of the whole matrix: the layer's output units.</summary>
    public int Rows { get; }

    /// <summary>Columns of the whole matrix: the layer's inputs for weights, 1 for biases.</summary>
    public int Columns { get; }

    /// <summary>The first row the span holds.</summary>
    public int FirstRow { get; }

    /// <summary>How many rows the span holds.</summary>
    public int RowCount { get; }

    /// <summary>Values in the span: <c>RowCount * Columns</c>.</summary>
    public int Length => RowCount * Columns;

    /// <summary>Values in the whole matrix: <c>Rows * Columns</c>.</summary>
    public int TotalLength => Rows * Columns;

    /// <summary>Index in the whole matrix of the span's first value: <c>FirstRow * Columns</c>.</summary>
    public int Offset => FirstRow * Columns;

    /// <summary>Whether the span holds the whole matrix.</summary>
    public bool IsWhole => RowCount == Rows;

    /// <summary>The shape of the whole matrix this span is part of.</summary>
    public ParameterShape Whole => new(Layer, Kind, Rows, Columns);

    /// <summary>The shape of a block of rows of the same matrix.</summary>
    /// <param name="firstRow">The block's first row.</param>
    /// <param name="rowCount">The block's number of rows.</param>
    /// <returns>The block's shape.</returns>
    public ParameterShape SliceRows(int firstRow, int rowCount) => new(Layer, Kind, Rows, Columns, firstRow, rowCount);

    /// <summary>A one-row shape for a plain vector of <paramref name="length"/> values (layer 0, weights): for calling a strategy outside training.</summary>
    /// <param name="length">The number of values, at least 1.</param>
    /// <returns>The shape <c>1 x length</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public static ParameterShape Vector(int length)
    {
        Guard.Positive(length);
        return new(0, ParameterKind.Weights, 1, length);
    }

    /// <summary>The shape of a layer's weights, <c>outputs x inputs</c>.</summary>
    /// <param name="layer">The layer's index.</param>
    /// <param name="inputs">The layer's inputs (columns).</param>
    /// <param name="outputs">The layer's outputs (rows).</param>
    /// <returns>The shape.</returns>
    public static ParameterShape ForWeights(int layer, int inputs, int outputs) => new(layer, ParameterKind.Weights, outputs, inputs);

    /// <summary>The shape of a layer's biases, <c>outputs x 1</c>.</summary>
    /// <param name="layer">The layer's index.</param>
    /// <param name="outputs">The layer's outputs (rows).</param>
    /// <returns>The shape.</returns>
    public static ParameterShape ForBiases(int layer, int outputs) => new(layer, ParameterKind.Biases, outputs, 1);

    /// <summary>Throws unless <paramref name="length"/> equals <see cref="Length"/>.</summary>
    internal void CheckLength(int length, string name)
    {
        if (length != Length)
        {
            throw new ArgumentException(Guard.Text($"'{name}' has {length} values, but the shape {this} holds {Length}."), name);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layer {Layer} {Kind} {Rows}x{Columns} rows [{FirstRow}, {FirstRow + RowCount})");
}
