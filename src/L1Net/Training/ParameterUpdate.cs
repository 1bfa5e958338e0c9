using System.Runtime.CompilerServices;
using L1Net.Kernels;

namespace L1Net.Training;

/// <summary>
/// The one update of one matrix of parameters (a layer's weights or biases) for one training call: the regularizer's smooth
/// gradient joins the data gradient, the optimizer steps (with the regularizer's <see cref="IRegularizer.WeightDecay"/>: a
/// multiplicative decay under plain SGD, otherwise folded into the gradient), the regularizer's proximal operator runs with the optimizer's step
/// sizes. Both engines (per-sample and mini-batch) call this and nothing else to change parameters, on the whole matrix or
/// on blocks of rows as the regularizer's <see cref="IRegularizer.Coupling"/> allows.
/// </summary>
internal sealed class ParameterUpdate
{
    private readonly IRegularizer _regularizer;
    private readonly IOptimizerState _optimizer;
    private readonly bool _proximal;
    private readonly bool _hasGradient;
    private readonly float _decay;
    private readonly float _sign;
    private readonly IDecayingOptimizerState? _decayingOptimizer;
    private readonly int _offset;
    private readonly int _length; // Shape.Length, cached: the step reads it per layer
    private readonly ParameterShape _shape;

    /// <param name="regularizer">The regularizer, already bound to <paramref name="shape"/>.</param>
    /// <param name="optimizer">The optimizer, bound here.</param>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <param name="offset">Where the matrix starts in the network's flat parameter (and gradient) buffer.</param>
    public ParameterUpdate(IRegularizer regularizer, IOptimizer optimizer, ParameterShape shape, int offset)
    {
        _regularizer = regularizer;
        _optimizer = optimizer.Bind(shape) ?? throw new InvalidOperationException($"{optimizer.Name}.Bind returned null.");
        _proximal = regularizer.HasProximalStep;
        _decay = regularizer.WeightDecay;
        if (!float.IsFinite(_decay))
        {
            throw new InvalidOperationException(Guard.Text($"{regularizer.Name}.WeightDecay is {_decay}; it must be finite."));
        }

        _sign = regularizer.SignCoefficient;
        if (!float.IsFinite(_sign) || _sign < 0f)
        {
            throw new InvalidOperationException(Guard.Text($"{regularizer.Name}.SignCoefficient is {_sign}; it must be finite and at least 0."));
        }

        _hasGradient = regularizer.HasGradient;
        _decayingOptimizer = _optimizer as IDecayingOptimizerState;
        if (_decayingOptimizer is not null)
        {
            // Plain SGD: the step needs the data gradient and what AddGradient adds at the values from before the step
            // (computed first, PrepareFused / FusedGradient), so the per-sample engine may run it inside its backward sweep (the same
            // FusedUpdate, the same bits).
            Fused = new FusedUpdate(_decayingOptimizer.LearningRate, _sign, _decay);
            CanFuse = true;
        }
        _shape = shape;
        _length = shape.Length;
        _offset = offset;
        RowBlocks = regularizer.Coupling is RegularizerCoupling.None or RegularizerCoupling.Rows;
    }

    /// <summary>The whole matrix's shape.</summary>
    public ParameterShape Shape => _shape;

    /// <summary>Whether the regularizer adds a gradient of its own (<see cref="IRegularizer.HasGradient"/>), which <see cref="PrepareFused"/> computes.</summary>
    public bool HasGradient => _hasGradient;

    /// <summary>
    /// Whether the whole update but the proximal part is <see cref="Fused"/> applied to the data gradient plus
    /// <see cref="FusedGradient"/> (plain SGD: no momentum, no optimizer weight decay; any regularizer).
    /// </summary>
    public bool CanFuse { get; }

    /// <summary>The step of every value when <see cref="CanFuse"/>: exactly what <see cref="Apply(Span{float}, Span{float}, int, int, long)"/> computes.</summary>
    public FusedUpdate Fused { get; }

    /// <summary>
    /// Before <see cref="Fused"/> runs on the whole matrix: the regularizer's <see cref="IRegularizer.AddGradient"/> at the
    /// values from before the step, added to zeros in the matrix's slice of <paramref name="scratch"/> (the gradient
    /// buffer, which the fused sweep does not otherwise use); nothing when the regularizer declares its whole smooth gradient
    /// (<see cref="IRegularizer.HasGradient"/> false). The sweep then steps with <c>data gradient + </c><see cref="FusedGradient"/>:
    /// the bits of <see cref="Apply(Span{float}, Span{float}, int, int, long)"/> when <c>AddGradient</c> adds one rounded term
    /// per value (see <see cref="IRegularizer.AddGradient"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // called per layer and sample; the common case is the check alone
    public void PrepareFused(ReadOnlySpan<float> parameters, Span<float> scratch)
    {
        if (_hasGradient)
        {
            RegularizerGradient(parameters, scratch);
        }
    }

    /// <summary>What <see cref="PrepareFused"/> computed: the matrix's slice of <paramref name="scratch"/>, or an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> FusedGradient(Span<float> scratch) => _hasGradient ? scratch.Slice(_offset, _length) : [];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RegularizerGradient(ReadOnlySpan<float> parameters, Span<float> scratch)
    {
        // The shape goes to the call straight from its field: copied through a local, the JIT rewrote two of its fields
        // in place and then loaded it whole, a load spanning two stores that stalled (measured, a-1).
        Span<float> r = scratch.Slice(_offset, _length);
        Elementwise.Zero(r); // a few vector stores in line: Span.Clear is a call, and the matrices here are small
        _regularizer.AddGradient(parameters.Slice(_offset, _length), r, _shape);
    }

    /// <summary>After <see cref="Fused"/> was applied to the whole matrix in <paramref name="parameters"/>: the proximal part, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // called per layer and sample; the common case is the check alone
    public void AfterFused(Span<float> parameters)
    {
        if (_proximal)
        {
            Proximal(parameters);
        }
    }

    private void Proximal(Span<float> parameters) =>
        _regularizer.ApplyProximal(parameters.Slice(_offset, _length), _decayingOptimizer!.StepSizes, _shape);

    /// <summary>Whether the update may run on blocks of rows (as soon as their gradient is known, on the thread that computed it).</summary>
    public bool RowBlocks { get; }

    /// <summary>
    /// Updates rows <c>[firstRow, firstRow + rowCount)</c> of the matrix in <paramref name="parameters"/> from the same rows of
    /// <paramref name="gradient"/> (the mean data gradient; overwritten).
    /// </summary>
    public void Apply(Span<float> parameters, Span<float> gradient, int firstRow, int rowCount, long step)
    {
        ParameterShape block = rowCount == Shape.Rows ? Shape : Shape.SliceRows(firstRow, rowCount);
        int start = _offset + block.Offset;
        Span<float> values = parameters.Slice(start, block.Length);
        Span<float> g = gradient.Slice(start, block.Length);
        if (_hasGradient)
        {
            _regularizer.AddGradient(values, g, block);
        }

        ReadOnlySpan<float> stepSizes;
        if (_decayingOptimizer is not null)
        {
            stepSizes = _decayingOptimizer.Step(values, g, block, step, _decay, _sign);
        }
        else
        {
            RegularizerKernels.AddDeclaredGradient(values, g, _sign, _decay);
            stepSizes = _optimizer.Step(values, g, block, step);
        }

        if (_proximal)
        {
            _regularizer.ApplyProximal(values, stepSizes, block);
        }
    }

    /// <summary>Updates the whole matrix.</summary>
    public void Apply(Span<float> parameters, Span<float> gradient, long step) => Apply(parameters, gradient, 0, Shape.Rows, step);
}
