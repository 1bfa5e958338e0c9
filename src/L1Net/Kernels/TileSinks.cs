using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Stores <c>C[row, col] = f(value + bias[row])</c> into a row-major matrix: a layer's forward pass (<c>Z = W X + b</c>)
/// with its activation applied to the tile in registers (<see cref="ITileActivation"/>: identity, tanh, ReLU).
/// </summary>
/// <typeparam name="TActivation">The activation, a struct so each kernel is compiled for it.</typeparam>
internal readonly ref struct BiasActivationStoreSink<TActivation> : ITileSink
    where TActivation : struct, ITileActivation
{
    private readonly ref float _c;
    private readonly ref float _bias;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    /// <param name="bias">Bias of row 0 (rows are consecutive).</param>
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
        TOps.Store(TActivation.Apply<TOps, TVec>(TOps.Add(value, TOps.Broadcast(Unsafe.Add(ref _bias, row)))), ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) =>
        Unsafe.Add(ref _c, (row * _ld) + col) = TActivation.Apply(value + Unsafe.Add(ref _bias, row));
}

/// <summary>An activation applied element by element to a GEMM tile in registers (<see cref="BiasActivationStoreSink{TActivation}"/>).</summary>
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
/// Stores <c>C[row, col] = f(value + bias[col])</c> into a row-major matrix: a layer's forward pass in the row-major
/// orientation (<c>Z = X W^T + b</c>, one row per sample, one column per unit), the bias loaded along the columns and the
/// activation applied to the tile in registers. Each element is the same <c>value + bias</c> and the same activation of it
/// as <see cref="BiasActivationStoreSink{TActivation}"/> computes for the transposed product, so the two give the same bits.
/// </summary>
/// <typeparam name="TActivation">The activation, a struct so each kernel is compiled for it.</typeparam>
internal readonly ref struct ColumnBiasActivationStoreSink<TActivation> : ITileSink
    where TActivation : struct, ITileActivation
{
    private readonly ref float _c;
    private readonly ref float _bias;
    private readonly nint _ld;

    /// <param name="c">Element <c>C[0, 0]</c>.</param>
    /// <param name="ld">Distance between rows of C.</param>
    /// <param name="bias">Bias of column 0 (columns are consecutive; readable for every column the product stores, padding included).</param>
    public ColumnBiasActivationStoreSink(ref float c, int ld, ref float bias)
    {
        _c = ref c;
        _ld = ld;
        _bias = ref bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TVec>(int row, int col, TVec value)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Store(TActivation.Apply<TOps, TVec>(TOps.Add(value, TOps.Load(ref Unsafe.Add(ref _bias, col)))), ref Unsafe.Add(ref _c, (row * _ld) + col));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(int row, int col, float value) =>
        Unsafe.Add(ref _c, (row * _ld) + col) = TActivation.Apply(value + Unsafe.Add(ref _bias, col));
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
    public readonly bool AnyNonFinite
    {
        get
        {
            float sum = 0f;
            for (int i = 0; i < Vector512<float>.Count; i++)
            {
                sum += _flags.GetElement(i);
            }

            return float.IsNaN(sum);
        }
    }

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
