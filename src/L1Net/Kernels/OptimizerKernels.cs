using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// Optimizer steps in one pass over the values: Adam's moment updates, step sizes and update element by element (instead
/// of a sweep over the whole block per operation). (Plain SGD with weight decay is <see cref="UpdateKernels.ElasticNet"/>
/// with <c>l1 = 0</c>: a step without its per-element copysign measured no faster, both being memory-bound.) One generic body for every width,
/// run at <see cref="KernelWidths.Elementwise"/>, the tail through the same body at <see cref="ScalarOps"/>.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// One Adam step (<c>torch.optim.Adam</c>, or <c>AdamW</c> with decoupled decay), element by element in
    /// the arithmetic of the former operation-per-pass form, every product and sum rounded on its own (no fused
    /// multiply-add, so the result does not depend on the instruction set):
    /// <code>
    /// decoupled: w = w (1 - lr wd)        coupled: g = w wd + g            (when wd != 0)
    /// m = m beta1;  m = g (1 - beta1) + m
    /// v = v beta2;  v = (g g) (1 - beta2) + v
    /// eta = lr / (sqrt(v) / correction2 + eps)
    /// w = (eta m) (-1 / correction1) + w
    /// </code>
    /// with <c>correction1 = 1 - beta1^t</c>, <c>correction2 = sqrt(1 - beta2^t)</c>. <paramref name="steps"/> receives
    /// <c>eta</c>; <paramref name="gradient"/> is only read.
    /// </summary>
    public static void Adam(Span<float> values, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, Span<float> steps, in AdamCoefficients coefficients) =>
        Adam(values, gradient, m, v, steps, coefficients, KernelWidths.Elementwise);

    /// <summary><see cref="Adam(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, in AdamCoefficients)"/> at a given width (tests run every width).</summary>
    internal static void Adam(Span<float> values, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, Span<float> steps, in AdamCoefficients coefficients, VectorWidth width)
    {
        int n = values.Length;
        if (gradient.Length != n || m.Length != n || v.Length != n || steps.Length != n)
        {
            throw new ArgumentException("The gradient, moments and step sizes differ in length from the values.", nameof(gradient));
        }

        ref float w = ref MemoryMarshal.GetReference(values);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float er = ref MemoryMarshal.GetReference(steps);
        switch (width)
        {
            case VectorWidth.Vector512:
                Adam<Vec512Ops, Vector512<float>>(ref w, ref g, ref mr, ref vr, ref er, n, coefficients);
                break;
            case VectorWidth.Vector256:
                Adam<Vec256Ops, Vector256<float>>(ref w, ref g, ref mr, ref vr, ref er, n, coefficients);
                break;
            case VectorWidth.Vector128:
                Adam<Vec128Ops, Vector128<float>>(ref w, ref g, ref mr, ref vr, ref er, n, coefficients);
                break;
            default:
                Adam<ScalarOps, float>(ref w, ref g, ref mr, ref vr, ref er, n, coefficients);
                break;
        }
    }

    private static void Adam<TOps, TVec>(ref float w, ref float g, ref float m, ref float v, ref float eta, int n, in AdamCoefficients c)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        AdamCoefficients k = c;
        int i = 0;
        if (TOps.Count > 1)
        {
            for (; i + TOps.Count <= n; i += TOps.Count)
            {
                AdamElements<TOps, TVec>(ref w, ref g, ref m, ref v, ref eta, (nuint)i, k);
            }
        }

        for (; i < n; i++)
        {
            AdamElements<ScalarOps, float>(ref w, ref g, ref m, ref v, ref eta, (nuint)i, k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamElements<TOps, TVec>(ref float wr, ref float gr, ref float mr, ref float vr, ref float er, nuint i, in AdamCoefficients k)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec w = TOps.Load(ref wr, i);
        TVec g = TOps.Load(ref gr, i);
        if (k.Decay == DecayKind.Decoupled)
        {
            w = TOps.Multiply(w, TOps.Broadcast(k.DecoupledFactor));
        }
        else if (k.Decay == DecayKind.Coupled)
        {
            g = TOps.Add(TOps.Multiply(w, TOps.Broadcast(k.WeightDecay)), g);
        }

        TVec m = TOps.Multiply(TOps.Load(ref mr, i), TOps.Broadcast(k.Beta1));
        m = TOps.Add(TOps.Multiply(g, TOps.Broadcast(k.OneMinusBeta1)), m);
        TVec v = TOps.Multiply(TOps.Load(ref vr, i), TOps.Broadcast(k.Beta2));
        v = TOps.Add(TOps.Multiply(TOps.Multiply(g, g), TOps.Broadcast(k.OneMinusBeta2)), v);
        TVec eta = TOps.Divide(TOps.Sqrt(v), TOps.Broadcast(k.Correction2));
        eta = TOps.Divide(TOps.Broadcast(k.LearningRate), TOps.Add(eta, TOps.Broadcast(k.Epsilon)));
        w = TOps.Add(TOps.Multiply(TOps.Multiply(eta, m), TOps.Broadcast(k.NegativeInverseCorrection1)), w);
        TOps.Store(m, ref mr, i);
        TOps.Store(v, ref vr, i);
        TOps.Store(eta, ref er, i);
        TOps.Store(w, ref wr, i);
    }
}

/// <summary>Which weight decay an Adam step applies.</summary>
internal enum DecayKind
{
    /// <summary>None.</summary>
    None,

    /// <summary><c>g += wd w</c> (<c>torch.optim.Adam</c>).</summary>
    Coupled,

    /// <summary><c>w *= 1 - lr wd</c> (<c>torch.optim.AdamW</c>).</summary>
    Decoupled,
}

/// <summary>The scalars of one Adam step, computed once per step (see <see cref="OptimizerKernels.Adam(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, in AdamCoefficients)"/>).</summary>
internal readonly struct AdamCoefficients
{
    public AdamCoefficients(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        OneMinusBeta1 = 1f - beta1;
        OneMinusBeta2 = 1f - beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Decay = weightDecay == 0f ? DecayKind.None : decoupled ? DecayKind.Decoupled : DecayKind.Coupled;
        DecoupledFactor = 1f - (learningRate * weightDecay);
        double t = step;
        float correction1 = (float)(1d - Math.Pow(beta1, t));
        Correction2 = (float)Math.Sqrt(1d - Math.Pow(beta2, t));
        NegativeInverseCorrection1 = -1f / correction1;
    }

    public float LearningRate { get; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float OneMinusBeta1 { get; }

    public float OneMinusBeta2 { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public DecayKind Decay { get; }

    public float DecoupledFactor { get; }

    /// <summary><c>sqrt(1 - beta2^t)</c>.</summary>
    public float Correction2 { get; }

    /// <summary><c>-1 / (1 - beta1^t)</c>.</summary>
    public float NegativeInverseCorrection1 { get; }
}
