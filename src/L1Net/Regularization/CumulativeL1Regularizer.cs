using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net;

/// <summary>
/// L1 by the cumulative penalty of Tsuruoka, Tsujii and Ananiadou (2009), "Stochastic gradient descent training for
/// L1-regularized log-linear models with cumulative penalty" (the method behind scikit-learn's SGD L1):
/// <c>R(w) = lambda * sum |w|</c>, applied after every update as a clipped catch-up penalty.
/// </summary>
/// <remarks>
/// <para>
/// Let <c>u</c> be the total penalty a weight could have received so far (the sum of <c>rate * lambda</c> over the steps
/// of this training call) and <c>q_i</c> the signed total actually applied to weight <c>i</c>. After each data step a
/// positive weight becomes <c>max(0, w - (u + q_i))</c> and a negative one <c>min(0, w + (u - q_i))</c>; <c>q_i</c> then
/// records the change. A weight that a noisy gradient kicks off zero therefore first pays the penalty it was spared while
/// clipped, which is what keeps it at zero where plain soft-thresholding (<see cref="ProximalL1Regularizer"/>) lets it
/// wander.
/// </para>
/// <para>
/// The state (<c>u</c> and <c>q</c>) is per span and per training call: <see cref="BackPropTrainer"/> obtains it through
/// <see cref="Bind"/> at the start of every call. This object itself holds no state and may be shared; its
/// <see cref="AfterUpdate"/> throws, because only a bound copy knows what was applied before.
/// <see cref="AddGradient"/> adds nothing (the penalty has no smooth part) and <see cref="Update"/> is the plain data step.
/// </para>
/// </remarks>
public sealed class CumulativeL1Regularizer : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public CumulativeL1Regularizer(float lambda)
    {
        Guard.NonNegative(lambda);
        Lambda = lambda;
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"CumulativeL1({Lambda})");

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> weights) => Lambda * (double)TensorPrimitives.SumOfMagnitudes(weights);

    /// <summary>Adds nothing: the L1 penalty has no smooth part; a bound copy's <see cref="AfterUpdate"/> applies it.</summary>
    /// <param name="weights">The weights (unused).</param>
    /// <param name="gradient">The data gradient, left unchanged.</param>
    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient)
    {
    }

    /// <summary>The plain data step <c>w -= rate * gradient</c>; the penalty follows in <see cref="AfterUpdate"/>.</summary>
    /// <param name="weights">The weights, updated in place.</param>
    /// <param name="gradient">The data gradient.</param>
    /// <param name="learningRate">The step size.</param>
    public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
        UpdateKernels.Sgd(weights, gradient, learningRate);

    /// <summary>Always throws: the cumulative penalty needs per-weight state, which only a copy from <see cref="Bind"/> holds.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="learningRate">The step size.</param>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public void AfterUpdate(Span<float> weights, float learningRate) =>
        throw new InvalidOperationException($"{Name} keeps per-weight state: call Bind(length) and use the returned regularizer for the span (BackPropTrainer does this at the start of every training call).");

    /// <summary>Returns a copy with fresh state (<c>u = 0</c>, every <c>q_i = 0</c>) for one span of <paramref name="length"/> weights.</summary>
    /// <param name="length">The number of weights in the span, at least 1.</param>
    /// <returns>The bound regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is less than 1.</exception>
    public IRegularizer Bind(int length)
    {
        Guard.Positive(length);
        return new Bound(this, length);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The cumulative penalty's state for one span during one training call.</summary>
    private sealed class Bound(CumulativeL1Regularizer owner, int length) : IRegularizer, IProximalStep
    {
        private readonly double[] _applied = new double[length];
        private double _total;

        public string Name => owner.Name;

        public double Penalty(ReadOnlySpan<float> weights) => owner.Penalty(weights);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient)
        {
        }

        public void Update(Span<float> weights, Span<float> gradient, float learningRate) =>
            UpdateKernels.Sgd(weights, gradient, learningRate);

        public void AfterUpdate(Span<float> weights, float learningRate)
        {
            if (weights.Length != _applied.Length)
            {
                throw new ArgumentException($"This {Name} was bound to a span of {_applied.Length} weights but was given {weights.Length}.", nameof(weights));
            }

            _total += (double)learningRate * owner.Lambda;
            ProximalKernels.CumulativeClip(weights, _applied, _total);
        }

        public IRegularizer Bind(int length) => owner.Bind(length);

        public override string ToString() => Name;

        float IProximalStep.DataStepL2 => 0f;

        bool IProximalStep.ElementWise => false;
    }
}
