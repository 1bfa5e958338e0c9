using System.Numerics.Tensors;

namespace L1Net;

/// <summary>
/// A regularization strategy: a penalty <c>R(w)</c> added to the training objective, applied by the trainer to whole
/// spans of weights (one call per layer and step, never one per weight).
/// </summary>
/// <remarks>
/// <para>
/// Sign convention, used everywhere in L1Net: a gradient is <c>dJ/dw</c> of the objective
/// <c>J = mean over samples of E + sum over layers of R(W_l)</c>, and a step moves <c>w -= rate * gradient</c>.
/// A penalty that is minimised therefore pulls weights towards zero.
/// </para>
/// <para>
/// The trainer calls, for each regularized span and each step: <see cref="Update"/> (or, with momentum,
/// <see cref="AddGradient"/>), then <see cref="AfterUpdate"/>, the place for a proximal step such as soft-thresholding.
/// Biases are not regularized unless <see cref="TrainerOptions.RegularizeBiases"/> is set; per-layer strengths come from
/// <see cref="TrainerOptions.LayerRegularizers"/>.
/// </para>
/// <para>
/// Proximal regularizers (<see cref="ProximalL1Regularizer"/>, <see cref="CumulativeL1Regularizer"/>,
/// <see cref="ProximalElasticNetRegularizer"/>) split <c>R</c> into a smooth part, whose gradient <see cref="AddGradient"/>
/// adds and <see cref="Update"/> applies, and a nonsmooth part (<c>lambda * sum |w|</c>) that <see cref="AfterUpdate"/>
/// applies as a proximal step. <see cref="Penalty"/> is always the whole <c>R(w)</c>, so reported losses are comparable
/// across strategies, while <see cref="BackPropTrainer.ComputeGradient"/> then returns the gradient of the smooth part of
/// <c>J</c> only.
/// </para>
/// <para>
/// A regularizer with per-weight state returns a fresh bound copy from <see cref="Bind"/>; the trainer binds every
/// regularized span at the start of each training call, so state never leaks from one call into the next.
/// </para>
/// </remarks>
public interface IRegularizer
{
    /// <summary>A short description for logs and reports, for example <c>L1(0.001)</c>.</summary>
    string Name { get; }

    /// <summary>The penalty <c>R(w)</c> of one span of weights.</summary>
    /// <param name="weights">The weights.</param>
    /// <returns>The penalty, added to the reported loss.</returns>
    double Penalty(ReadOnlySpan<float> weights);

    /// <summary>Adds the penalty's (sub)gradient: <c>gradient[i] += dR/dw[i]</c>.</summary>
    /// <param name="weights">The weights, before this step's update.</param>
    /// <param name="gradient">The data gradient of the same weights, updated in place.</param>
    void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient);

    /// <summary>
    /// One descent step on the weights: <c>w -= rate * (gradient + dR/dw)</c>. The default calls <see cref="AddGradient"/>
    /// and then applies the step; built-in regularizers override it with a single fused pass.
    /// </summary>
    /// <param name="weights">The weights, updated in place.</param>
    /// <param name="gradient">The data gradient; scratch space the implementation may overwrite.</param>
    /// <param name="learningRate">The step size.</param>
    void Update(Span<float> weights, Span<float> gradient, float learningRate)
    {
        AddGradient(weights, gradient);
        TensorPrimitives.MultiplyAdd(gradient, -learningRate, weights, weights);
    }

    /// <summary>
    /// A step applied after every update, for proximal regularizers (for example soft-thresholding, which sets small
    /// weights exactly to zero). The default does nothing.
    /// </summary>
    /// <param name="weights">The updated weights, changed in place.</param>
    /// <param name="learningRate">The step size of the update just made.</param>
    void AfterUpdate(Span<float> weights, float learningRate)
    {
    }

    /// <summary>
    /// Returns the regularizer to use for one span of <paramref name="length"/> values during one training call.
    /// <see cref="BackPropTrainer"/> calls it at the start of every <see cref="BackPropTrainer.Train"/> (and
    /// <see cref="BackPropTrainer.ComputeGradient"/>) call, once for each span it regularizes: every layer's weights, and
    /// its biases when <see cref="TrainerOptions.RegularizeBiases"/> is set. A regularizer that keeps per-weight state (such
    /// as <see cref="CumulativeL1Regularizer"/>) returns a new object holding fresh state for that span; a stateless one
    /// returns itself, which is the default, so custom stateless regularizers need not implement this.
    /// </summary>
    /// <param name="length">The number of values in the span, at least 1.</param>
    /// <returns>The regularizer to call for that span until the training call ends.</returns>
    IRegularizer Bind(int length) => this;
}
