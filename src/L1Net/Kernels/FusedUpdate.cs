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

    /// <summary>The step on a vector of any width (see <see cref="IVectorOps{TVec}"/>), lane by lane the arithmetic of <see cref="Apply(float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TOps, TVec>(TVec w, TVec g)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec step = TOps.SignedOrZero(_shrink, w);
        return TOps.MultiplyAdd(w, TOps.Broadcast(_decay), TOps.Negate(TOps.MultiplyAdd(g, TOps.Broadcast(_rate), step)));
    }
}
