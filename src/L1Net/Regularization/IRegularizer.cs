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
}
