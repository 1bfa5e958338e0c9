using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>
/// One layer of the per-sample backward pass in one sweep over its weights: the error sent to the layer below,
/// <c>below[i] += sum_o W[o, i] delta[o]</c> (with the weights from before the step), and the layer's gradient,
/// <c>gW[o, i] = delta[o] x[i]</c>, <c>gb[o] = delta[o]</c>. One generic body for every vector width
/// (<see cref="IVectorOps{TVec}"/>), run at <see cref="KernelWidths.Elementwise"/> with the same body's scalar instance for
/// the tail; products and sums are rounded separately (no fused multiply-add), exactly as
/// <see cref="DenseKernels.BackwardInput"/> computes the error and a plain float product the gradient, so the result does
/// not depend on the instruction set.
/// </summary>
internal static class SampleGradientKernels
{
    /// <summary>
    /// <paramref name="below"/> (cleared here; empty for the first layer) receives <c>W^T delta</c>; <paramref name="gradWeights"/> and
    /// <paramref name="gradBiases"/> are overwritten with the sample's gradient. A row whose <c>delta</c> is zero sends nothing
    /// down, so an infinite weight behind a zero error cannot make a NaN.
    /// </summary>
    public static void BackwardAndGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases) =>
        BackwardAndGradient(weights, delta, x, below, gradWeights, gradBiases, KernelWidths.Elementwise);

    /// <summary><see cref="BackwardAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/> at a given width (tests run every width).</summary>
    internal static void BackwardAndGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases, VectorWidth width)
    {
        if (gradWeights.Length < delta.Length * x.Length || gradBiases.Length < delta.Length)
        {
            throw new ArgumentException("A gradient span does not match the layer.", nameof(gradWeights));
        }

        switch (Prepare(weights, delta, x, below, width))
        {
            case VectorWidth.Vector512:
                Rows<Vec512Ops, Vector512<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            case VectorWidth.Vector256:
                Rows<Vec256Ops, Vector256<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            case VectorWidth.Vector128:
                Rows<Vec128Ops, Vector128<float>>(weights, delta, x, below, gradWeights, gradBiases);
                break;
            default:
                Rows<ScalarOps, float>(weights, delta, x, below, gradWeights, gradBiases);
                break;
        }
    }

    /// <summary>
    /// The same sweep with the layer's step in it, for plain SGD (<see cref="Training.ParameterUpdate.CanFuse"/>):
    /// <c>below += W^T delta</c> with the weights from before the step, then <c>W[o, i] = step(W[o, i], delta[o] x[i] + rW[o, i])</c>
    /// and <c>b[o] = biasStep(b[o], delta[o] + rb[o])</c>, where <c>rW</c> and <c>rb</c> are the regularizer gradients
    /// <see cref="IRegularizer.AddGradient"/> added to zeros at the weights from before the step (empty spans: none, the sum
    /// is skipped). Element for element the bits of
    /// <see cref="BackwardAndGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/>,
    /// then <c>g += r</c>, then <see cref="UpdateKernels.ElasticNet"/> on the weights and on the biases (the separate passes),
    /// without writing the gradient.
    /// </summary>
    public static void BackwardAndUpdate(Span<float> weights, Span<float> biases, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, ReadOnlySpan<float> regularizerWeights, ReadOnlySpan<float> regularizerBiases, FusedUpdate step, FusedUpdate biasStep) =>
        BackwardAndUpdate(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep, KernelWidths.Elementwise);

    /// <summary><see cref="BackwardAndUpdate(Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, FusedUpdate, FusedUpdate)"/> at a given width (tests run every width).</summary>
    internal static void BackwardAndUpdate(Span<float> weights, Span<float> biases, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, ReadOnlySpan<float> regularizerWeights, ReadOnlySpan<float> regularizerBiases, FusedUpdate step, FusedUpdate biasStep, VectorWidth width)
    {
        int outputs = delta.Length;
        if (biases.Length < outputs || (!regularizerWeights.IsEmpty && regularizerWeights.Length < outputs * x.Length) || (!regularizerBiases.IsEmpty && regularizerBiases.Length < outputs))
        {
            throw new ArgumentException("A span does not match the layer.", nameof(biases));
        }

        width = Prepare(weights, delta, x, below, width, clear: false); // the row loop clears below in line
        if (regularizerWeights.IsEmpty)
        {
            UpdateRows<DataGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep, width);
        }
        else
        {
            UpdateRows<PlusRegularizerGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep, width);
        }
    }

    /// <summary>
    /// What both entry points check and set up: the spans match the layer (<c>W</c> at least outputs x inputs, <c>below</c>
    /// as long as <c>x</c> or empty), <paramref name="below"/> cleared when <paramref name="clear"/>, and the width to run (rows shorter than one 512-bit
    /// vector run at 256 bits: the same bits, without the wide set-up).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VectorWidth Prepare(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, VectorWidth width, bool clear = true)
    {
        if (weights.Length < delta.Length * x.Length || (!below.IsEmpty && below.Length != x.Length))
        {
            throw new ArgumentException("A span does not match the layer.", nameof(weights));
        }

        if (clear)
        {
            below.Clear();
        }

        return width == VectorWidth.Vector512 && x.Length < 16 ? VectorWidth.Vector256 : width;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateRows<TGradient>(Span<float> weights, Span<float> biases, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, ReadOnlySpan<float> regularizerWeights, ReadOnlySpan<float> regularizerBiases, FusedUpdate step, FusedUpdate biasStep, VectorWidth width)
        where TGradient : struct, IGradientSource
    {
        switch (width)
        {
            case VectorWidth.Vector512:
                UpdateRows<Vec512Ops, Vector512<float>, TGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep);
                break;
            case VectorWidth.Vector256:
                UpdateRows<Vec256Ops, Vector256<float>, TGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep);
                break;
            case VectorWidth.Vector128:
                UpdateRows<Vec128Ops, Vector128<float>, TGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep);
                break;
            default:
                UpdateRows<ScalarOps, float, TGradient>(weights, biases, delta, x, below, regularizerWeights, regularizerBiases, step, biasStep);
                break;
        }
    }

    // The row loops are compiled as roots of their own (never inlined into a caller): inlined into the training step, they
    // exhausted the JIT's inlining budget for that method, and the per-vector steps below were left as calls.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UpdateRows<TOps, TVec, TGradient>(Span<float> weights, Span<float> biases, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, ReadOnlySpan<float> regularizerWeights, ReadOnlySpan<float> regularizerBiases, FusedUpdate step, FusedUpdate biasStep)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TGradient : struct, IGradientSource
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(below);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        ref float dr = ref MemoryMarshal.GetReference(delta);
        ref float bias = ref MemoryMarshal.GetReference(biases);
        ref float rr = ref MemoryMarshal.GetReference(regularizerWeights);
        ref float rb = ref MemoryMarshal.GetReference(regularizerBiases); // as long as the biases when not empty (checked by the caller)
        bool biasGradient = !regularizerBiases.IsEmpty;
        // A regularizer gradient read from a span and a plain SGD step (a user's regularizer that adds its whole gradient in
        // AddGradient and declares neither a sign part nor a decay): the step skips computing the sign part, with the same
        // bits (FusedUpdate.ApplyPlain). Chosen per row, not around the loop: with two copies of the row loop the JIT left
        // one as a call. Only in this instantiation: the data-gradient loop (the built-ins) keeps its code as it was,
        // which a choice here had slowed by 2-4 % at a-1 (measured).
        bool plain = TGradient.Regularized && step.IsPlain;
        Elementwise.Zero(below); // in line: a call to Span.Clear costs more than these few stores
        for (int o = 0; o < outputs; o++)
        {
            float d = Unsafe.Add(ref dr, o);
            nint rowStart = (nint)o * inputs;
            ref float w = ref Unsafe.Add(ref wr, rowStart);
            ref float r = ref TGradient.Regularized ? ref Unsafe.Add(ref rr, rowStart) : ref rr;
            if (propagate && d != 0f)
            {
                if (!plain)
                {
                    UpdateRow<TOps, TVec, Propagate, TGradient, FullStep>(ref w, ref xr, ref br, ref r, d, inputs, step);
                }
                else
                {
                    UpdateRow<TOps, TVec, Propagate, TGradient, PlainStep>(ref w, ref xr, ref br, ref r, d, inputs, step);
                }
            }
            else if (!plain)
            {
                UpdateRow<TOps, TVec, GradientOnly, TGradient, FullStep>(ref w, ref xr, ref br, ref r, d, inputs, step);
            }
            else
            {
                UpdateRow<TOps, TVec, GradientOnly, TGradient, PlainStep>(ref w, ref xr, ref br, ref r, d, inputs, step);
            }

            ref float b = ref Unsafe.Add(ref bias, o);
            b = biasStep.Apply<ScalarOps, float>(b, biasGradient ? d + Unsafe.Add(ref rb, o) : d);
        }
    }

    /// <summary>One row of W with its step: whole vectors, narrower vectors, then the scalar tail, through one body.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateRow<TOps, TVec, TMode, TGradient, TStep>(ref float w, ref float x, ref float below, ref float r, float d, int n, FusedUpdate step)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
        where TGradient : struct, IGradientSource
        where TStep : struct, IStepKind
    {
        int i = 0;
        if (TOps.Count > 1)
        {
            TVec vd = TOps.Broadcast(d);
            for (; i + TOps.Count <= n; i += TOps.Count)
            {
                UpdateStep<TOps, TVec, TMode, TGradient, TStep>(ref w, ref x, ref below, ref r, vd, (nuint)i, step);
            }
        }

        if (TOps.Count > 8 && i + 8 <= n)
        {
            UpdateStep<Vec256Ops, Vector256<float>, TMode, TGradient, TStep>(ref w, ref x, ref below, ref r, Vector256.Create(d), (nuint)i, step);
            i += 8;
        }

        if (TOps.Count > 4 && i + 4 <= n)
        {
            UpdateStep<Vec128Ops, Vector128<float>, TMode, TGradient, TStep>(ref w, ref x, ref below, ref r, Vector128.Create(d), (nuint)i, step);
            i += 4;
        }

        for (; i < n; i++)
        {
            UpdateStep<ScalarOps, float, TMode, TGradient, TStep>(ref w, ref x, ref below, ref r, d, (nuint)i, step);
        }
    }

    /// <summary>
    /// <c>below += W d</c> (product and sum rounded separately, the weight from before the step), then
    /// <c>W = step(W, x d)</c>, or <c>W = step(W, x d + r)</c> with a regularizer gradient, on one vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateStep<TOps, TVec, TMode, TGradient, TStep>(ref float w, ref float x, ref float below, ref float r, TVec vd, nuint i, FusedUpdate step)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
        where TGradient : struct, IGradientSource
        where TStep : struct, IStepKind
    {
        TVec wv = TOps.Load(ref w, i);
        if (TMode.Backward)
        {
            TOps.Store(TOps.Add(TOps.Multiply(wv, vd), TOps.Load(ref below, i)), ref below, i);
        }

        TVec g = TOps.Multiply(TOps.Load(ref x, i), vd);
        if (TGradient.Regularized)
        {
            g = TOps.Add(g, TOps.Load(ref r, i));
        }

        TOps.Store(TStep.Plain ? step.ApplyPlain<TOps, TVec>(wv, g) : step.Apply<TOps, TVec>(wv, g), ref w, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // a root of its own, as UpdateRows
    private static void Rows<TOps, TVec>(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> below, Span<float> gradWeights, Span<float> gradBiases)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        int inputs = x.Length;
        int outputs = delta.Length;
        bool propagate = !below.IsEmpty;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(below);
        for (int o = 0; o < outputs; o++)
        {
            float d = delta[o];
            ref float w = ref MemoryMarshal.GetReference(weights.Slice(o * inputs, inputs));
            ref float g = ref MemoryMarshal.GetReference(gradWeights.Slice(o * inputs, inputs));
            if (propagate && d != 0f)
            {
                Row<TOps, TVec, Propagate>(ref w, ref xr, ref br, ref g, d, inputs);
            }
            else
            {
                Row<TOps, TVec, GradientOnly>(ref w, ref xr, ref br, ref g, d, inputs);
            }

            gradBiases[o] = d;
        }
    }

    private interface IMode
    {
        static abstract bool Backward { get; }
    }

    private readonly struct Propagate : IMode
    {
        public static bool Backward => true;
    }

    private readonly struct GradientOnly : IMode
    {
        public static bool Backward => false;
    }

    /// <summary>Which arithmetic the weights' step takes: <see cref="FusedUpdate.Apply{TOps, TVec}(TVec, TVec)"/>, or its plain-SGD form (same bits, see <see cref="FusedUpdate.IsPlain"/>).</summary>
    private interface IStepKind
    {
        static abstract bool Plain { get; }
    }

    private readonly struct FullStep : IStepKind
    {
        public static bool Plain => false;
    }

    private readonly struct PlainStep : IStepKind
    {
        public static bool Plain => true;
    }

    /// <summary>What the fused step's gradient is: the data gradient alone, or plus a regularizer gradient read from a span.</summary>
    private interface IGradientSource
    {
        static abstract bool Regularized { get; }
    }

    private readonly struct DataGradient : IGradientSource
    {
        public static bool Regularized => false;
    }

    private readonly struct PlusRegularizerGradient : IGradientSource
    {
        public static bool Regularized => true;
    }

    /// <summary>One row of W: whole vectors, then narrower vectors, then the tail through the same body at <see cref="ScalarOps"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TOps, TVec, TMode>(ref float w, ref float x, ref float below, ref float g, float d, int n)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
    {
        int i = 0;
        if (TOps.Count > 1)
        {
            TVec vd = TOps.Broadcast(d);
            for (; i + TOps.Count <= n; i += TOps.Count)
            {
                Step<TOps, TVec, TMode>(ref w, ref x, ref below, ref g, vd, (nuint)i);
            }
        }

        // A layer's rows are short (the seed network's are 10 and 8 long): what is left after the widest vectors goes
        // through the narrower ones before the scalar tail. Every element is computed alone, so the bits are the same.
        if (TOps.Count > 8 && i + 8 <= n)
        {
            Step<Vec256Ops, Vector256<float>, TMode>(ref w, ref x, ref below, ref g, Vector256.Create(d), (nuint)i);
            i += 8;
        }

        if (TOps.Count > 4 && i + 4 <= n)
        {
            Step<Vec128Ops, Vector128<float>, TMode>(ref w, ref x, ref below, ref g, Vector128.Create(d), (nuint)i);
            i += 4;
        }

        for (; i < n; i++)
        {
            Step<ScalarOps, float, TMode>(ref w, ref x, ref below, ref g, d, (nuint)i);
        }
    }

    /// <summary><c>below += W d</c> (product and sum rounded separately) and <c>g = x d</c> on one vector at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TOps, TVec, TMode>(ref float w, ref float x, ref float below, ref float g, TVec vd, nuint i)
        where TOps : IVectorOps<TVec>
        where TVec : struct
        where TMode : struct, IMode
    {
        if (TMode.Backward)
        {
            TOps.Store(TOps.Add(TOps.Multiply(TOps.Load(ref w, i), vd), TOps.Load(ref below, i)), ref below, i);
        }

        TOps.Store(TOps.Multiply(TOps.Load(ref x, i), vd), ref g, i);
    }
}
