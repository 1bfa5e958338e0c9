using System.Runtime.CompilerServices;

namespace L1Net.Kernels;

/// <summary>Stores <c>C[row, col] = value + bias[row]</c> into a row-major matrix (the forward pass, <c>Z = W X + b</c>).</summary>
internal readonly ref struct BiasStoreSink : ITileSink
{
    private readonly ref float _c;
    private readonly ref float _bias;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    /// <param name="bias">Bias of row 0 (rows are consecutive).</param>
    public BiasStoreSink(ref float c, int ld, ref float bias)
    {
        _c = ref c;
        _ld = ld;
        _bias = ref bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(TOps.Add(value, TOps.Broadcast(Unsafe.Add(ref _bias, row))), ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) =>
        Unsafe.Add(ref _c, (row * _ld) + col) = value + Unsafe.Add(ref _bias, row);
}

/// <summary>Stores <c>C[row, col] = value</c> into a row-major matrix.</summary>
internal readonly ref struct StoreSink : ITileSink
{
    private readonly ref float _c;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    public StoreSink(ref float c, int ld)
    {
        _c = ref c;
        _ld = ld;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(value, ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) => Unsafe.Add(ref _c, (row * _ld) + col) = value;
}

/// <summary>
/// Fuses the weight update into the weight-gradient product: <c>C[o, i]</c> is the summed data gradient of <c>W[o, i]</c>,
/// which is scaled (by <c>1 / batch size</c>) and applied at once, <c>W[o, i] = step(W[o, i], scale C[o, i])</c>;
/// no gradient buffer, no second pass over the weights.
/// </summary>
internal readonly ref struct WeightUpdateSink : ITileSink
{
    private readonly ref float _w;
    private readonly nint _ld;
    private readonly float _scale;
    private readonly FusedUpdate _update;

    /// <param name="w">Weight <c>W[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of W (the layer's input count).</param>
    /// <param name="scale">Factor from the summed to the mean gradient.</param>
    /// <param name="update">The descent step, regularizer included.</param>
    public WeightUpdateSink(ref float w, int ld, float scale, FusedUpdate update)
    {
        _w = ref w;
        _ld = ld;
        _scale = scale;
        _update = update;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        ref float w = ref Unsafe.Add(ref _w, (row * _ld) + col);
        TOps.Store(_update.Apply<TOps, TVec>(TOps.Load(ref w), TOps.Multiply(value, TOps.Broadcast(_scale))), ref w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value)
    {
        ref float w = ref Unsafe.Add(ref _w, (row * _ld) + col);
        w = _update.Apply(w, value * _scale);
    }
}

/// <summary>Writes the mean data gradient <c>scale C[o, i]</c> into a gradient buffer (for custom regularizers and momentum).</summary>
internal readonly ref struct ScaledStoreSink : ITileSink
{
    private readonly ref float _g;
    private readonly nint _ld;
    private readonly float _scale;

    /// <param name="g">Gradient of <c>W[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows.</param>
    /// <param name="scale">Factor from the summed to the mean gradient.</param>
    public ScaledStoreSink(ref float g, int ld, float scale)
    {
        _g = ref g;
        _ld = ld;
        _scale = scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(TOps.Multiply(value, TOps.Broadcast(_scale)), ref Unsafe.Add(ref _g, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) => Unsafe.Add(ref _g, (row * _ld) + col) = value * _scale;
}

/// <summary>
/// Stores <c>C[row, col] = value + bias[col]</c> into a row-major matrix: the forward product of prediction, one row per
/// sample (<c>Z = X W^T + b</c>).
/// </summary>
internal readonly ref struct ColumnBiasStoreSink : ITileSink
{
    private readonly ref float _c;
    private readonly ref float _bias;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    /// <param name="bias">Bias of column 0 (columns are consecutive).</param>
    public ColumnBiasStoreSink(ref float c, int ld, ref float bias)
    {
        _c = ref c;
        _ld = ld;
        _bias = ref bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(TOps.Add(value, TOps.Load(ref Unsafe.Add(ref _bias, col))), ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) =>
        Unsafe.Add(ref _c, (row * _ld) + col) = value + Unsafe.Add(ref _bias, col);
}
