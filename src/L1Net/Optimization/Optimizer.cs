namespace L1Net.Optimization;

/// <summary>The built-in optimizers, each validated when created.</summary>
/// <remarks>The formulas are those of PyTorch's <c>torch.optim</c> documentation; docs/math.md writes each one out.</remarks>
public static class Optimizer
{
    /// <summary>
    /// Stochastic gradient descent, optionally with momentum, as <c>torch.optim.SGD</c>: with <c>g = gradient + weightDecay w</c>,
    /// <c>b = g</c> at the first step and <c>b = momentum b + (1 - dampening) g</c> after it; the direction is <c>g</c>
    /// without momentum, <c>g + momentum b</c> with <paramref name="nesterov"/>, else <c>b</c>; then <c>w -= learningRate direction</c>.
    /// </summary>
    /// <param name="learningRate">The step size; finite and greater than 0. Default 0.01.</param>
    /// <param name="momentum">The momentum factor <c>mu</c>; finite, in [0, 1). Default 0 (plain SGD).</param>
    /// <param name="dampening">The dampening of the gradient in the velocity; finite, in [0, 1]. Default 0, PyTorch's default.</param>
    /// <param name="nesterov">Nesterov momentum; needs <paramref name="momentum"/> &gt; 0 and <paramref name="dampening"/> = 0. Default false (heavy ball).</param>
    /// <param name="weightDecay">Coupled weight decay (an L2 term added to the gradient of every parameter this optimizer moves, biases included); finite, at least 0. Default 0.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the exception names it).</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum or with dampening.</exception>
    public static IOptimizer Sgd(float learningRate = 0.01f, float momentum = 0f, float dampening = 0f, bool nesterov = false, float weightDecay = 0f)
    {
        Guard.Positive(learningRate);
        if (!float.IsFinite(momentum) || momentum < 0f || momentum >= 1f)
        {
            throw Guard.OutOfRange(nameof(momentum), momentum, Guard.Text($"'{nameof(momentum)}' must be in [0, 1), but was {momentum}."));
        }

        if (!float.IsFinite(dampening) || dampening < 0f || dampening > 1f)
        {
            throw Guard.OutOfRange(nameof(dampening), dampening, Guard.Text($"'{nameof(dampening)}' must be in [0, 1], but was {dampening}."));
        }

        Guard.NonNegative(weightDecay);
        if (nesterov && (momentum == 0f || dampening != 0f))
        {
            throw new ArgumentException("Nesterov momentum needs a momentum greater than 0 and zero dampening.", nameof(nesterov));
        }

        return new SgdOptimizer(learningRate, momentum, dampening, nesterov, weightDecay);
    }

    /// <summary>
    /// Adam (Kingma and Ba, 2015) as <c>torch.optim.Adam</c>: with <c>g = gradient + weightDecay w</c>,
    /// <c>m = beta1 m + (1 - beta1) g</c>, <c>v = beta2 v + (1 - beta2) g^2</c> (both 0 before the first step), and at step
    /// <c>t</c>: <c>w -= lr / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)</c>.
    /// </summary>
    /// <param name="learningRate">The step size; finite and greater than 0. Default 0.001.</param>
    /// <param name="beta1">Decay of the first-moment estimate; in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay of the second-moment estimate; in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Added to the denominator; finite, greater than 0. Default 1e-8.</param>
    /// <param name="weightDecay">Coupled weight decay (L2 added to the gradient, so it is scaled by Adam's denominator like the data gradient); finite, at least 0. Default 0.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the exception names it).</exception>
    public static IOptimizer Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    {
        ValidateAdam(learningRate, beta1, beta2, epsilon, weightDecay);
        return new AdamOptimizer(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false);
    }

    /// <summary>
    /// AdamW (Loshchilov and Hutter, 2019) as <c>torch.optim.AdamW</c>: first the decoupled decay
    /// <c>w *= 1 - lr weightDecay</c>, then Adam's step on the gradient alone.
    /// </summary>
    /// <param name="learningRate">The step size; finite and greater than 0. Default 0.001.</param>
    /// <param name="beta1">Decay of the first-moment estimate; in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay of the second-moment estimate; in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Added to the denominator; finite, greater than 0. Default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay; finite, at least 0, and <c>learningRate * weightDecay</c> at most 1. Default 0.01, PyTorch's default.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the exception names it).</exception>
    public static IOptimizer AdamW(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
    {
        ValidateAdam(learningRate, beta1, beta2, epsilon, weightDecay);
        if ((double)learningRate * weightDecay > 1d)
        {
            throw Guard.OutOfRange(nameof(weightDecay), weightDecay, Guard.Text($"'{nameof(learningRate)} * {nameof(weightDecay)}' must be at most 1 (the decay factor 1 - lr * weightDecay would change sign), but was {(double)learningRate * weightDecay}."));
        }

        return new AdamOptimizer(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true);
    }

    private static void ValidateAdam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
    {
        Guard.Positive(learningRate);
        Beta(beta1);
        Beta(beta2);
        Guard.Positive(epsilon);
        Guard.NonNegative(weightDecay);
    }

    private static void Beta(float value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!float.IsFinite(value) || value < 0f || value >= 1f)
        {
            throw Guard.OutOfRange(name, value, Guard.Text($"'{name}' must be in [0, 1), but was {value}."));
        }
    }
}
