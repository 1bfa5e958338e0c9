using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace L1Net.Kernels;

/// <summary>
/// The operations a kernel needs on a vector of <see cref="Count"/> floats, as static members of a struct: a kernel is
/// written once, generic over <c>TOps</c> and its vector type <c>TVec</c>, and the JIT compiles one copy per width
/// (<see cref="Vec512Ops"/>, <see cref="Vec256Ops"/>, <see cref="Vec128Ops"/>, and <see cref="ScalarOps"/>, a "vector"
/// of one float for machines where no vector type is accelerated). <see cref="KernelWidths"/> picks the width at start-up.
/// </summary>
/// <remarks>
/// <see cref="MultiplyAdd"/> is fused (one rounding) when the hardware has a fused multiply-add instruction (x64 FMA3,
/// every Arm64), and a multiply then an add otherwise: without the instruction a fused result costs a software
/// emulation per element (hundreds of times slower). The vector forms use <c>MultiplyAddEstimate</c>, which the JIT
/// compiles to exactly that; a branch on <c>Fma.IsSupported</c> around <c>FusedMultiplyAdd</c> would not do: the JIT
/// inlines the dead software fallback first, which takes the accumulators' addresses and keeps every one of them on the
/// stack (measured: the Vector128 GEMM under <c>DOTNET_EnableAVX=0</c> then ran no faster than the scalar one). Results are therefore deterministic per width and per machine
/// kind; on a machine with FMA, every width computes a multiply-add chain to the same bits.
/// </remarks>
/// <typeparam name="TVec">The vector type.</typeparam>
internal interface IVectorOps<TVec>
    where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Loads <see cref="Count"/> floats from <paramref name="source"/> (no alignment needed).</summary>
    static abstract TVec Load(ref float source);

    /// <summary>Loads <see cref="Count"/> floats from <c>source + offset</c>.</summary>
    static abstract TVec Load(ref float source, nuint offset);

    /// <summary>Stores the lanes at <paramref name="target"/>.</summary>
    static abstract void Store(TVec value, ref float target);

    /// <summary>Stores the lanes at <c>target + offset</c>.</summary>
    static abstract void Store(TVec value, ref float target, nuint offset);

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TVec Broadcast(float value);

    /// <summary><c>a b + c</c>, fused where the hardware fuses (see the type's remarks).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary><c>a + b</c>.</summary>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary><c>a - b</c>.</summary>
    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary><c>a b</c>.</summary>
    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary><c>-a</c>.</summary>
    static abstract TVec Negate(TVec a);

    /// <summary>Lanes of <paramref name="value"/> where <paramref name="keep"/> is greater than zero, zero elsewhere.</summary>
    static abstract TVec KeepWherePositive(TVec value, TVec keep);

    /// <summary><c>copysign(magnitude, sign)</c> where <paramref name="sign"/> is not zero, zero where it is (the elastic-net shrink).</summary>
    static abstract TVec SignedOrZero(float magnitude, TVec sign);

    /// <summary><c>|a|</c>.</summary>
    static abstract TVec Abs(TVec a);

    /// <summary><c>a / b</c>.</summary>
    static abstract TVec Divide(TVec a, TVec b);

    /// <summary><c>sqrt(a)</c>, correctly rounded.</summary>
    static abstract TVec Sqrt(TVec a);

    /// <summary>The magnitude of <paramref name="magnitude"/> with the sign bit of <paramref name="sign"/>, lane by lane.</summary>
    static abstract TVec CopySign(TVec magnitude, TVec sign);

    /// <summary><paramref name="value"/> with its sign bit flipped where <paramref name="sign"/>'s sign bit is set (<c>value ^ (sign &amp; -0f)</c>, bit for bit).</summary>
    static abstract TVec XorSign(TVec value, TVec sign);

    /// <summary>
    /// <c>e^a</c>: the runtime's vector exponential (<c>Vector128/256/512.Exp</c>, lane by lane the same function at every
    /// width) and <see cref="MathF.Exp"/> (the C runtime's) for <see cref="ScalarOps"/>.
    /// </summary>
    /// <remarks>
    /// Unlike the other operations, the scalar form is a different function from the vector forms: its results may differ
    /// from the lanes' in the last bits. A kernel that must give the same bits at every width keeps <c>Exp</c> off its scalar
    /// path (as <c>ActivationKernels.Tanh</c> does, which hands fewer than four values to <c>TensorPrimitives</c>).
    /// </remarks>
    static abstract TVec Exp(TVec a);

    /// <summary><paramref name="ifZero"/> in lanes where <paramref name="x"/> equals zero (either sign), <paramref name="otherwise"/> elsewhere (NaN is not zero).</summary>
    static abstract TVec SelectWhereZero(TVec x, TVec ifZero, TVec otherwise);

    /// <summary><c>+0</c> in lanes where <c>a &lt;= b</c>, <paramref name="value"/> elsewhere (a NaN comparison keeps <paramref name="value"/>).</summary>
    static abstract TVec ZeroWhereAtMost(TVec value, TVec a, TVec b);

    /// <summary>The sum of the lanes, in the width's fixed order.</summary>
    static abstract float Sum(TVec value);

    /// <summary>The smaller of <paramref name="a"/> and <paramref name="b"/>, lane by lane, as <see cref="MathF.Min"/> (NaN propagates, -0 below +0).</summary>
    static abstract TVec Min(TVec a, TVec b);

    /// <summary>The larger of <paramref name="a"/> and <paramref name="b"/>, lane by lane, as <see cref="MathF.Max"/> (NaN propagates, +0 above -0).</summary>
    static abstract TVec Max(TVec a, TVec b);
}

/// <summary>Scalar arithmetic shared by every width: the multiply-add that the vector kernels' scalar tails use.</summary>
internal static class KernelMath
{
    /// <summary>Whether the hardware has a fused multiply-add (x64 FMA3, Arm64); a JIT-time constant.</summary>
    public static bool FusedHardware
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.IsSupported;
    }

    /// <summary><c>a b + c</c>, fused when <see cref="FusedHardware"/>, else a multiply and an add (as every vector width does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => FusedHardware ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}

/// <summary>One float per "vector": the fallback where no vector type is accelerated.</summary>
internal readonly struct ScalarOps : IVectorOps<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float target) => target = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float target, nuint offset) => Unsafe.Add(ref target, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => KernelMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Negate(float a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float KeepWherePositive(float value, float keep) => keep > 0f ? value : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SignedOrZero(float magnitude, float sign) => sign == 0f ? 0f : MathF.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float a) => MathF.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float a) => MathF.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CopySign(float magnitude, float sign) => MathF.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float XorSign(float value, float sign) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) ^ (BitConverter.SingleToInt32Bits(sign) & int.MinValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float a) => MathF.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SelectWhereZero(float x, float ifZero, float otherwise) => x == 0f ? ifZero : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ZeroWhereAtMost(float value, float a, float b) => a <= b ? 0f : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => MathF.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => MathF.Max(a, b);
}

/// <summary>Four floats (SSE, Arm64 AdvSimd).</summary>
internal readonly struct Vec128Ops : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source) => Vector128.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float target) => value.StoreUnsafe(ref target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Negate(Vector128<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepWherePositive(Vector128<float> value, Vector128<float> keep) =>
        value & Vector128.GreaterThan(keep, Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SignedOrZero(float magnitude, Vector128<float> sign) =>
        Vector128.AndNot(Vector128.CopySign(Vector128.Create(magnitude), sign), Vector128.Equals(sign, Vector128<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> magnitude, Vector128<float> sign) => Vector128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> XorSign(Vector128<float> value, Vector128<float> sign) =>
        (value.AsUInt32() ^ (sign.AsUInt32() & Vector128.Create(0x8000_0000u))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> a) => Vector128.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectWhereZero(Vector128<float> x, Vector128<float> ifZero, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), ifZero, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroWhereAtMost(Vector128<float> value, Vector128<float> a, Vector128<float> b) =>
        Vector128.AndNot(value, Vector128.LessThanOrEqual(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
}

/// <summary>Eight floats (AVX2).</summary>
internal readonly struct Vec256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float target) => value.StoreUnsafe(ref target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepWherePositive(Vector256<float> value, Vector256<float> keep) =>
        value & Vector256.GreaterThan(keep, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SignedOrZero(float magnitude, Vector256<float> sign) =>
        Vector256.AndNot(Vector256.CopySign(Vector256.Create(magnitude), sign), Vector256.Equals(sign, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> magnitude, Vector256<float> sign) => Vector256.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> XorSign(Vector256<float> value, Vector256<float> sign) =>
        (value.AsUInt32() ^ (sign.AsUInt32() & Vector256.Create(0x8000_0000u))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> a) => Vector256.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectWhereZero(Vector256<float> x, Vector256<float> ifZero, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), ifZero, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroWhereAtMost(Vector256<float> value, Vector256<float> a, Vector256<float> b) =>
        Vector256.AndNot(value, Vector256.LessThanOrEqual(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
}

/// <summary>Sixteen floats (AVX-512).</summary>
internal readonly struct Vec512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float target) => value.StoreUnsafe(ref target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float target, nuint offset) => value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Negate(Vector512<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepWherePositive(Vector512<float> value, Vector512<float> keep) =>
        value & Vector512.GreaterThan(keep, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SignedOrZero(float magnitude, Vector512<float> sign) =>
        Vector512.AndNot(Vector512.CopySign(Vector512.Create(magnitude), sign), Vector512.Equals(sign, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> magnitude, Vector512<float> sign) => Vector512.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> XorSign(Vector512<float> value, Vector512<float> sign) =>
        (value.AsUInt32() ^ (sign.AsUInt32() & Vector512.Create(0x8000_0000u))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> a) => Vector512.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectWhereZero(Vector512<float> x, Vector512<float> ifZero, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), ifZero, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroWhereAtMost(Vector512<float> value, Vector512<float> a, Vector512<float> b) =>
        Vector512.AndNot(value, Vector512.LessThanOrEqual(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
}
