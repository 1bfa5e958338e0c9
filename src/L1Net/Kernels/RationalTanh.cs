using System.Runtime.CompilerServices;

namespace L1Net.Kernels;

/// <summary>
/// <c>tanh</c> as a rational function, written once for every width (<see cref="IVectorOps{TVec}"/>): the hidden
/// activation of the batched forward product (<c>FeedForward.RunBatch</c>, behind <c>PredictBatch</c>, <c>Metrics</c>
/// and training's evaluations), applied to a GEMM tile while it is still in registers (<see cref="BiasActivationStoreSink{TBias, TActivation}"/>).
/// </summary>
/// <remarks>
/// <para>
/// <c>tanh(x) ~ x P(x^2) / Q(x^2)</c> with <c>x</c> clamped to <c>[-9, 9]</c> and the result to <c>[-1, 1]</c>, P of degree
/// 6 and Q of degree 3 in <c>x^2</c> (the minimax coefficients Eigen's <c>generic_fast_tanh_float</c> uses): nine
/// multiply-adds, three multiplies and one division per vector. Measured against double-precision <c>Math.Tanh</c> on
/// every float in <c>[1e-6, 12]</c> (odd, so the negatives alike): at most 5 ulp and 2.92e-7 absolute, 1.07 ulp on
/// average, with FMA; at most 7 ulp and 4.1e-7 without (each multiply-add rounded twice). <see cref="System.Numerics.Tensors.TensorPrimitives.Tanh{T}(System.ReadOnlySpan{T}, System.Span{T})"/>, whose bits
/// the per-sample paths keep (<c>ActivationKernels.Tanh</c>), is within 1.5e-7 absolute, but computes <c>exp</c> in double precision: 5x the time of
/// this kernel on a layer of 784-256-10 at batch 256, a tenth of the whole <c>PredictBatch</c> (docs/benchmarks.md).
/// </para>
/// <para>
/// Every lane and the scalar form compute the same operations, so a value's result does not depend on its position or
/// on the vector width where the hardware has FMA; without FMA (x64 SSE, scalar) the multiply-adds round twice, as in
/// every kernel (<see cref="IVectorOps{TVec}"/>).
/// </para>
/// </remarks>
internal static class RationalTanh
{
    private const float Clamp = 9f;
    private const float P13 = -2.76076847742355e-16f;
    private const float P11 = 2.00018790482477e-13f;
    private const float P9 = -8.60467152213735e-11f;
    private const float P7 = 5.12229709037114e-08f;
    private const float P5 = 1.48572235717979e-05f;
    private const float P3 = 6.37261928875436e-04f;
    private const float P1 = 4.89352455891786e-03f;
    private const float Q6 = 1.19825839466702e-06f;
    private const float Q4 = 1.18534705686654e-04f;
    private const float Q2 = 2.26843463243900e-03f;
    private const float Q0 = 4.89352518554385e-03f;

    /// <summary><c>tanh(x)</c> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Evaluate<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec c = TOps.Min(TOps.Max(x, TOps.Broadcast(-Clamp)), TOps.Broadcast(Clamp));
        TVec x2 = TOps.Multiply(c, c);
        TVec p = TOps.MultiplyAdd(x2, TOps.Broadcast(P13), TOps.Broadcast(P11));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(P9));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(P7));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(P5));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(P3));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(P1));
        p = TOps.Multiply(c, p);
        TVec q = TOps.MultiplyAdd(x2, TOps.Broadcast(Q6), TOps.Broadcast(Q4));
        q = TOps.MultiplyAdd(x2, q, TOps.Broadcast(Q2));
        q = TOps.MultiplyAdd(x2, q, TOps.Broadcast(Q0));
        return TOps.Min(TOps.Max(TOps.Divide(p, q), TOps.Broadcast(-1f)), TOps.Broadcast(1f));
    }

    /// <summary><c>tanh(x)</c> of one value: the bits of a lane of <see cref="Evaluate{TOps, TVec}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Evaluate(float x) => Evaluate<ScalarOps, float>(x);
}
