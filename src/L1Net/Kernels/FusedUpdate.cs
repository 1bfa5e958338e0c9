using System.Runtime.CompilerServices;

namespace L1Net.Kernels;

/// <summary>
/// The elastic-net descent step of one weight, in the exact arithmetic of <see cref="UpdateKernels.ElasticNet"/>:
/// <c>w' = w (1 - rate l2) - (rate g + rate l1 sign(w))</c>, <c>sign(0) = 0</c>. With <c>l1 = l2 = 0</c> it is plain SGD
/// (<c>w - rate g</c>), so the unregularized and the regularized steps cost the same.
/// </summary>
internal readonly struct FusedUpdate
{
    private readonly float _decay;
    private readonly float _rate;
    private readonly float _shrink;

    public FusedUpdate(float rate, float l1, float l2)
    {
        _decay = 1f - (rate * l2);
        _rate = rate;
        _shrink = rate * l1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float w, float g)
    {
        float step = w == 0f ? 0f : MathF.CopySign(_shrink, w);
        return KernelMath.MultiplyAdd(w, _decay, -KernelMath.MultiplyAdd(g, _rate, step));
    }

    /// <summary>
    /// Whether the step is plain SGD, <c>w - rate g</c> (no sign part, <c>rate l1 = 0</c>, and no decay, <c>rate l2 = 0</c>):
    /// then <see cref="ApplyPlain{TOps, TVec}(TVec, TVec)"/> gives the bits of <see cref="Apply{TOps, TVec}(TVec, TVec)"/>
    /// without computing the sign part.
    /// </summary>
    public bool IsPlain => _shrink == 0f && _decay == 1f;

    /// <summary>The step on a vector of any width (see <see cref="IVectorOps{TVec}"/>), lane by lane the arithmetic of <see cref="Apply(float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TOps, TVec>(TVec w, TVec g)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec step = TOps.SignedOrZero(_shrink, w);
        return TOps.MultiplyAdd(w, TOps.Broadcast(_decay), TOps.Negate(TOps.MultiplyAdd(g, TOps.Broadcast(_rate), step)));
    }

    /// <summary>
    /// <see cref="Apply{TOps, TVec}(TVec, TVec)"/> when <see cref="IsPlain"/>, without computing the sign part:
    /// <c>w - (rate g + 0)</c>. The same bits: with <c>rate l1 = 0</c> the sign part is a zero (-0 where <c>w</c> is negative,
    /// +0 elsewhere), so <c>rate g + sign part</c> differs from <c>rate g + 0</c> at most in the sign of a zero, and with
    /// <c>decay = 1</c> (<c>w decay = w</c> exactly) that cannot change <c>w - sum</c>: for a nonzero <c>w</c> adding either
    /// zero gives <c>w</c>, and for a zero <c>w</c> the sign part is +0 in both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec ApplyPlain<TOps, TVec>(TVec w, TVec g)
        where TOps : IVectorOps<TVec>
        where TVec : struct =>
        TOps.Subtract(w, TOps.MultiplyAdd(g, TOps.Broadcast(_rate), TOps.Zero));
}
