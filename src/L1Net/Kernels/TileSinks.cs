using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Stores <c>C[row, col] = f(value + bias)</c> into a row-major matrix: a layer's forward pass with its activation applied to
/// the tile in registers (<see cref="ITileActivation"/>: identity, tanh, ReLU). <typeparamref name="TBias"/> reads the bias:
/// <see cref="RowBias"/> (<c>bias[row]</c>, broadcast across the row: <c>Z = W X + b</c>, one row per unit) or
/// <see cref="ColumnBias"/> (<c>bias[col]</c>, loaded along the columns: <c>Z = X W^T + b</c>, one column per unit). Each
/// element is the same <c>value + bias</c> and the same activation of it either way, so the two orientations give the same bits.
/// </summary>
/// <typeparam name="TBias">How the bias of an element is read, a struct so each kernel is compiled for it.</typeparam>
/// <typeparam name="TActivation">The activation, a struct so each kernel is compiled for it.</typeparam>
internal readonly ref struct BiasActivationStoreSink<TBias, TActivation> : ITileSink
    where TBias : struct, IBiasRead
    where TActivation : struct, ITileActivation
{
    private readonly ref float _c;
    private readonly ref float _bias;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    /// <param name="bias">
    /// Bias of row 0 (<see cref="RowBias"/>: rows are consecutive) or of column 0 (<see cref="ColumnBias"/>: columns are
    /// consecutive; readable for every column the product stores, padding included).
    /// </param>
    public BiasActivationStoreSink(ref float c, int ld, ref float bias)
    {
        _c = ref c;
        _ld = ld;
        _bias = ref bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(TActivation.Apply<TOps, TVec>(TOps.Add(value, TBias.Read<TOps, TVec>(ref _bias, row, col))), ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) =>
        Unsafe.Add(ref _c, (row * _ld) + col) = TActivation.Apply(value + TBias.Read(ref _bias, row, col));
}

/// <summary>How <see cref="BiasActivationStoreSink{TBias, TActivation}"/> reads the bias of the element at <c>(row, col)</c>.</summary>
internal interface IBiasRead
{
    /// <summary>The biases of a vector of elements starting at <c>(row, col)</c> along a row.</summary>
    static abstract TVec Read<TOps, TVec>(ref float bias, int row, int col)
        where TOps : IVectorOps<TVec>
        where TVec : struct;

    /// <summary>The bias of the element at <c>(row, col)</c>.</summary>
    static abstract float Read(ref float bias, int row, int col);
}

/// <summary>One bias per row, <c>bias[row]</c>, broadcast across the row (<c>Z = W X + b</c>: a row per unit).</summary>
internal readonly struct RowBias : IBiasRead
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Read<TOps, TVec>(ref float bias, int row, int col)
        where TOps : IVectorOps<TVec>
        where TVec : struct => TOps.Broadcast(Unsafe.Add(ref bias, row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(ref float bias, int row, int col) => Unsafe.Add(ref bias, row);
}

/// <summary>One bias per column, <c>bias[col]</c>, loaded along the row (<c>Z = X W^T + b</c>: a column per unit).</summary>
internal readonly struct ColumnBias : IBiasRead
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Read<TOps, TVec>(ref float bias, int row, int col)
        where TOps : IVectorOps<TVec>
        where TVec : struct => TOps.Load(ref Unsafe.Add(ref bias, col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(ref float bias, int row, int col) => Unsafe.Add(ref bias, col);
}

/// <summary>An activation applied element by element to a GEMM tile in registers (<see cref="BiasActivationStoreSink{TBias, TActivation}"/>).</summary>
internal interface ITileActivation
{
    /// <summary><c>f(x)</c> in every lane.</summary>
    static abstract TVec Apply<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct;

    /// <summary><c>f(x)</c> of one value, the bits of a lane.</summary>
    static abstract float Apply(float x);
}

/// <summary><c>x</c> unchanged: the plain biased store <c>C = W X + b</c>.</summary>
internal readonly struct IdentityTileActivation : ITileActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x) => x;
}

/// <summary><c>tanh</c>, as <see cref="RationalTanh"/>.</summary>
internal readonly struct TanhTileActivation : ITileActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct => RationalTanh.Evaluate<TOps, TVec>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x) => RationalTanh.Evaluate(x);
}

/// <summary><c>max(x, 0)</c> with <see cref="MathF.Max"/>'s semantics (NaN propagates, <c>-0</c> becomes <c>+0</c>): the bits of <c>TensorPrimitives.Max(z, 0)</c>.</summary>
internal readonly struct ReluTileActivation : ITileActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct => TOps.Max(x, TOps.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x) => MathF.Max(x, 0f);
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
/// Passes every element to <typeparamref name="TSink"/> unchanged and notes whether any was not finite: the input check
/// of a validating <c>PredictBatch</c> folded into the first layer's product. A NaN or an infinity among a row's inputs
/// makes every pre-activation of that row non-finite (NaN propagates, <c>w Inf</c> is an infinity or, for <c>w = 0</c>,
/// NaN, and a sum or multiply-add with a non-finite term stays non-finite), so a block without the flag has only finite
/// inputs; the flag can also come from finite inputs whose product overflows, so the caller confirms it with the exact
/// search (<see cref="FiniteKernels.IndexOfNonFinite"/>). Each vector adds <c>value 0</c> (<c>+-0</c> when finite, NaN
/// otherwise) into an accumulator: one multiply-add per finished element of a long multiply-add chain.
/// </summary>
/// <typeparam name="TSink">The sink that stores the elements.</typeparam>
internal ref struct NonFiniteFlagSink<TSink> : ITileSink
    where TSink : ITileSink, allows ref struct
{
    private TSink _inner;

    /// <summary>Lane accumulators of every width (a narrower vector uses the first lanes): <c>+-0</c>, or NaN once a non-finite element passed.</summary>
    private Vector512<float> _flags;

    /// <param name="inner">The sink that stores the elements.</param>
    public NonFiniteFlagSink(TSink inner)
    {
        _inner = inner;
        _flags = Vector512<float>.Zero;
    }

    /// <summary>Whether any element passed so far was NaN or an infinity.</summary>
    public readonly bool AnyNonFinite => float.IsNaN(Vector512.Sum(_flags));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        ref TVec flags = ref Unsafe.As<Vector512<float>, TVec>(ref _flags);
        flags = TOps.MultiplyAdd(value, TOps.Zero, flags);
        _inner.Store<TOps, TVec>(row, col, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value)
    {
        ref float flag = ref Unsafe.As<Vector512<float>, float>(ref _flags);
        flag = KernelMath.MultiplyAdd(value, 0f, flag);
        _inner.Store(row, col, value);
    }
}
