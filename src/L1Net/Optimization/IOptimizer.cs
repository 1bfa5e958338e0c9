using L1Net.Kernels;

namespace L1Net.Optimization;

/// <summary>
/// An optimization strategy: how a step moves parameters given their gradient, with its state (velocity, moment estimates)
/// bound per matrix of parameters. Built-ins come from <see cref="Optimizer"/>: SGD with optional momentum (heavy ball or
/// Nesterov) and Adam / AdamW, each matching the update PyTorch documents for <c>torch.optim.SGD</c>,
/// <c>torch.optim.Adam</c> and <c>torch.optim.AdamW</c>.
/// </summary>
/// <remarks>
/// <para>
/// At the start of every training call the trainer calls <see cref="Bind"/> once per matrix it trains (every layer's
/// weights and its biases), so state starts fresh in each call, like a new PyTorch optimizer. Then, per step and matrix,
/// the regularizer adds its smooth gradient, <see cref="IOptimizerState.Step"/> moves the values, and the regularizer's
/// proximal operator (if any) runs with the step sizes the optimizer returns.
/// </para>
/// <para>
/// Optimizers are diagonal: the update of each value depends only on its own gradient and state. The trainer relies on
/// it and may call <see cref="IOptimizerState.Step"/> on disjoint blocks of rows of one matrix, from several threads at
/// once.
/// </para>
/// </remarks>
public interface IOptimizer
{
    /// <summary>A short description for logs and reports, for example <c>Adam(lr=0.001, betas=(0.9, 0.999), eps=1E-08)</c>.</summary>
    string Name { get; }

    /// <summary>The base step size (the learning rate).</summary>
    float LearningRate { get; }

    /// <summary>Returns fresh optimizer state for one matrix of parameters, for one training call.</summary>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <returns>The state, which the trainer calls for every step on that matrix.</returns>
    IOptimizerState Bind(ParameterShape shape);
}

/// <summary>The state of an <see cref="IOptimizer"/> for one matrix of parameters, created by <see cref="IOptimizer.Bind"/>.</summary>
public interface IOptimizerState
{
    /// <summary>
    /// Applies step <paramref name="step"/> to a block of the matrix: moves <paramref name="values"/> against
    /// <paramref name="gradient"/> and returns the step size used for each value, for the regularizer's proximal operator.
    /// </summary>
    /// <param name="values">The block's values, updated in place.</param>
    /// <param name="gradient">
    /// The block's gradient (data gradient, averaged over the batch, plus the regularizer's smooth gradient); scratch space
    /// the optimizer may overwrite.
    /// </param>
    /// <param name="shape">The block's shape: which rows of the bound matrix it holds (its state lives at <see cref="ParameterShape.Offset"/>).</param>
    /// <param name="step">The number of this step in the training call, from 1 (Adam's bias correction uses it).</param>
    /// <returns>
    /// The step sizes <c>eta</c>: one value when every value of the block moved with the same step size (SGD, momentum: the
    /// learning rate), otherwise one per value (Adam: <c>lr / (sqrt(v / (1 - beta2^t)) + eps)</c>, the step its update
    /// <c>w -= eta m / (1 - beta1^t)</c> takes per unit of bias-corrected first moment). The span
    /// stays valid until the next call for the same rows.
    /// </returns>
    ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step);
}

/// <summary>
/// An optimizer state whose step applies a regularizer's declared parts (<see cref="IRegularizer.WeightDecay"/> and
/// <see cref="IRegularizer.SignCoefficient"/>) itself, in its own arithmetic: plain SGD, the elastic-net step
/// <c>w (1 - rate d) - (rate g + rate l sign(w))</c> of <see cref="FusedUpdate"/>. Other states get <c>g + l sign(w) + d w</c>
/// folded into the gradient by the trainer. The per-sample engine may run this very step inside its backward sweep.
/// </summary>
internal interface IDecayingOptimizerState : IOptimizerState
{
    /// <summary>The one step size of every value.</summary>
    float LearningRate { get; }

    /// <summary>The step sizes <see cref="Step(Span{float}, Span{float}, ParameterShape, long, float, float)"/> returns (one value, the learning rate).</summary>
    ReadOnlySpan<float> StepSizes { get; }

    /// <summary>
    /// As <see cref="IOptimizerState.Step"/>, with the declared parts <c>decay * values</c> and <c>sign * sign(values)</c> not
    /// yet in <paramref name="gradient"/>: <see cref="UpdateKernels.ElasticNet"/>.
    /// </summary>
    ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step, float decay, float sign);
}
