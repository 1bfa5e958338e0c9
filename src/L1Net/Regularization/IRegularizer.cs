namespace L1Net.Regularization;

/// <summary>
/// A regularization strategy: a penalty <c>R(w)</c> added to the training objective, split into a smooth part whose gradient
/// joins the data gradient before the optimizer's step, and an optional nonsmooth part applied after the step by its
/// proximal operator. It is applied to whole spans of parameters (one call per layer, or per block of rows, and step;
/// never one per value) and sees the shape of the matrix the span belongs to. To write your own, see the guide
/// <c>docs/custom-regularizers.md</c> in the L1Net repository: the contract in plain words, four worked examples (the code
/// of <c>samples/L1Net.CustomRegularizer</c>), how to check a gradient and a proximal step, and what each kind costs.
/// </summary>
/// <remarks>
/// <para>
/// Sign convention, used everywhere in L1Net: a gradient is <c>dJ/dw</c> of the objective
/// <c>J = mean over samples of E + sum over spans of R(w)</c>, and a step moves against it. A penalty that is minimised
/// therefore pulls weights towards zero.
/// </para>
/// <para>
/// One training step, for each regularized span (every layer's weights; its biases too when
/// <see cref="TrainerOptions.RegularizeBiases"/> is set):
/// <list type="number">
/// <item><see cref="AddGradient"/> adds the gradient of the smooth part to the data gradient (for L1 by subgradient, the
/// subgradient <c>lambda sign(w)</c>; for a purely proximal L1, nothing), except a linear part <c>d w</c> that
/// <see cref="WeightDecay"/> declares (the L2 part), which joins in the optimizer's step;</item>
/// <item>the <see cref="IOptimizer"/> moves the values by that gradient and reports the step size it used for each value:
/// one number for SGD and momentum (the learning rate), one per value for Adam (its diagonal preconditioner);</item>
/// <item>when <see cref="HasProximalStep"/>, <see cref="ApplyProximal"/> maps the values through the proximal operator of
/// the nonsmooth part, scaled by those step sizes: <c>w = argmin_u R_ns(u) + sum_i (u_i - w_i)^2 / (2 eta_i)</c>
/// (soft-thresholding by <c>lambda eta_i</c> for L1). This is the proximal gradient step with a diagonal metric
/// (Yun, Lozano and Yang, "Adaptive Proximal Gradient Methods for Structured Neural Networks", NeurIPS 2021); under SGD
/// every <c>eta_i</c> is the learning rate and it is the classic proximal SGD step.</item>
/// </list>
/// </para>
/// <para>
/// Shape: the trainer passes the <see cref="ParameterShape"/> of the span, so a penalty over groups of rows or columns can
/// be written against it. <see cref="Coupling"/> says which splits are allowed: with <see cref="RegularizerCoupling.None"/>
/// or <see cref="RegularizerCoupling.Rows"/> the trainer may call <see cref="AddGradient"/> and <see cref="ApplyProximal"/>
/// on blocks of whole rows (possibly from several threads at once, on disjoint blocks) and take its fastest update paths;
/// with <see cref="RegularizerCoupling.Whole"/> (the default) it always passes the whole matrix. <see cref="Penalty"/> always
/// gets the whole matrix. Every built-in regularizer uses this contract and nothing else, so a user's regularizer takes the
/// same paths at the same speed.
/// </para>
/// <para>
/// <see cref="Penalty"/> is always the whole <c>R(w)</c>, so reported losses are comparable across strategies, while
/// <see cref="BackPropTrainer.ComputeGradient"/> returns the gradient of the smooth part of <c>J</c> only.
/// </para>
/// <para>
/// A regularizer with per-value state returns a fresh bound copy from <see cref="Bind"/>; the trainer binds every
/// regularized span at the start of each training call, so state never leaks from one call into the next.
/// </para>
/// </remarks>
public interface IRegularizer
{
    /// <summary>A short description for logs and reports, for example <c>L1(0.001)</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Which blocks of a matrix <see cref="AddGradient"/> and <see cref="ApplyProximal"/> may be given. Default
    /// <see cref="RegularizerCoupling.Whole"/>; an element-wise penalty should say <see cref="RegularizerCoupling.None"/> to
    /// let the trainer apply it to rows as soon as their gradient is known.
    /// </summary>
    RegularizerCoupling Coupling => RegularizerCoupling.Whole;

    /// <summary>Whether the regularizer has a nonsmooth part applied by <see cref="ApplyProximal"/>. Default false.</summary>
    bool HasProximalStep => false;

    /// <summary>
    /// The coefficient <c>d</c> of the linear (weight-decay) part <c>d * w</c> of the smooth gradient, which
    /// <see cref="AddGradient"/> leaves out and the trainer applies in the optimizer's step. Default 0 (no such part).
    /// </summary>
    /// <remarks>
    /// Under plain SGD (no momentum, no optimizer weight decay) the step is the multiplicative decay
    /// <c>w = w (1 - rate d) - rate g</c>, in that arithmetic; every other optimizer gets <c>g + d w</c> as its gradient,
    /// exactly as PyTorch's <c>weight_decay</c> joins it. <see cref="BackPropTrainer.ComputeGradient"/> includes
    /// <c>d w</c>. The built-in L2 and elastic nets declare their L2 strength here, so a user's L2 that declares the same
    /// coefficient trains to the same digits. Must be finite; a regularizer that wraps another forwards it.
    /// </remarks>
    float WeightDecay => 0f;

    /// <summary>
    /// The coefficient <c>l</c> of a sign part <c>l * sign(w)</c> (with <c>sign(0) = 0</c>) of the smooth (sub)gradient, which
    /// <see cref="AddGradient"/> leaves out and the trainer applies in the optimizer's step. Default 0 (no such part).
    /// </summary>
    /// <remarks>
    /// Under plain SGD the step is <c>w = w (1 - rate d) - (rate g + rate l sign(w))</c> with <c>d</c> the
    /// <see cref="WeightDecay"/>, in that arithmetic (0.1's elastic-net step); every other optimizer gets
    /// <c>g + l sign(w)</c> as its gradient. <see cref="BackPropTrainer.ComputeGradient"/> includes it. The built-in L1 and
    /// elastic net declare their L1 strength here, so a user's L1 that declares the same coefficient trains to the same
    /// digits on the same paths. Must be finite and at least 0; a regularizer that wraps another forwards it.
    /// </remarks>
    float SignCoefficient => 0f;

    /// <summary>
    /// Whether <see cref="AddGradient"/> adds anything (beyond the declared <see cref="WeightDecay"/> and
    /// <see cref="SignCoefficient"/> parts, which it leaves out). Default true, so that a type that only implements
    /// <see cref="AddGradient"/> always has it called. A regularizer whose whole smooth gradient is declared says false: the
    /// trainer then skips the call (and, under plain SGD per sample, the clearing of the buffer it would add into).
    /// </summary>
    /// <remarks>
    /// Either way, under plain SGD the per-sample engine computes each layer's gradient and its step in one sweep over the
    /// weights (see <see cref="AddGradient"/>); the value only saves the call when there is nothing to add.
    /// </remarks>
    bool HasGradient => true;

    /// <summary>The whole penalty <c>R(w)</c> (smooth and nonsmooth parts) of one matrix of parameters.</summary>
    /// <remarks>
    /// Besides the bound regularizers of a training call, <see cref="Selection.RegularizationPath"/> calls it on the
    /// regularizer its options create for lambda 1, before any <see cref="Bind"/>, once per layer's weights with every value
    /// 1, to see which layers the penalty reaches (a positive result). It must therefore work unbound, for every layer.
    /// </remarks>
    /// <param name="values">The values, the whole matrix.</param>
    /// <param name="shape">Its shape (<see cref="ParameterShape.IsWhole"/> is true).</param>
    /// <returns>The penalty, added to the reported loss.</returns>
    double Penalty(ReadOnlySpan<float> values, ParameterShape shape);

    /// <summary>
    /// Adds the gradient of the smooth part, except its declared parts (<see cref="WeightDecay"/> <c>* w</c> and
    /// <see cref="SignCoefficient"/> <c>* sign(w)</c>): <c>gradient[k] += dR_smooth/dw[k] - WeightDecay * w[k] - SignCoefficient * sign(w[k])</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Contract: the amount added to each <c>gradient[k]</c> depends only on <paramref name="values"/> and
    /// <paramref name="shape"/>, never on what <paramref name="gradient"/> holds (do not read, scale or clip it). The trainer
    /// relies on this: under plain SGD (no momentum, no optimizer weight decay) the per-sample engine calls
    /// <see cref="AddGradient"/> on a cleared buffer, at the values from before the step, and adds the result to the data
    /// gradient inside the sweep that computes the data gradient and steps (<c>w -= rate (data gradient + added)</c>, with
    /// the declared parts as in <see cref="SignCoefficient"/>). Every other path calls it on the data gradient itself.
    /// </para>
    /// <para>
    /// Bits: an implementation that adds one rounded term per value (<c>gradient[k] += r</c>, scalar or with
    /// <see cref="System.Numerics.Vector{T}"/>) trains to the same bits on both paths. One that adds several terms one after
    /// the other (<c>gradient[k] += a; gradient[k] += b</c>) may differ in the last bits, because on the fused path the terms
    /// are summed before they meet the data gradient: one float rounding per value and step (L1Net's tests hold such a
    /// regularizer within 1e-5 relative of the separate passes after 240 steps). Add the terms' sum in one operation to keep
    /// the bits identical.
    /// </para>
    /// </remarks>
    /// <param name="values">
    /// The values before this step's update (a block of whole rows that <see cref="Coupling"/> allows; on the fused per-sample
    /// path, always the whole matrix).
    /// </param>
    /// <param name="gradient">The data gradient of the same values, or a cleared buffer (see remarks), updated in place.</param>
    /// <param name="shape">The block's shape.</param>
    void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape);

    /// <summary>
    /// Applies the proximal operator of the nonsmooth part after the optimizer's step, with the step size the optimizer
    /// used for each value: <c>w = argmin_u R_ns(u) + sum_k (u_k - w_k)^2 / (2 eta_k)</c>. Called only when
    /// <see cref="HasProximalStep"/>; the default does nothing.
    /// </summary>
    /// <param name="values">The values just updated by the optimizer, changed in place.</param>
    /// <param name="stepSizes">
    /// The step sizes <c>eta</c>: either one value for the whole block (SGD, momentum) or one per value (Adam), all finite and
    /// greater than 0.
    /// </param>
    /// <param name="shape">The block's shape.</param>
    void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
    {
    }

    /// <summary>
    /// Returns the regularizer to use for one matrix during one training call. <see cref="BackPropTrainer"/> calls it at the
    /// start of every <see cref="BackPropTrainer.Train"/> (and <see cref="BackPropTrainer.ComputeGradient"/>) call, once for
    /// each matrix it regularizes. A regularizer that keeps per-value state (such as the cumulative L1) returns a new object
    /// holding fresh state for that matrix; a stateless one returns itself, which is the default.
    /// </summary>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <returns>The regularizer to call for that matrix until the training call ends.</returns>
    IRegularizer Bind(ParameterShape shape) => this;
}
