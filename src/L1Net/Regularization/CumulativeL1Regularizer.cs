using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net.Regularization;

/// <summary>
/// L1 by the cumulative penalty of Tsuruoka, Tsujii and Ananiadou (2009), "Stochastic gradient descent training for
/// L1-regularized log-linear models with cumulative penalty" (the method behind scikit-learn's SGD L1):
/// <c>R(w) = lambda * sum |w|</c>, applied after every update as a clipped catch-up penalty.
/// </summary>
/// <remarks>
/// <para>
/// Let <c>u_i</c> be the total penalty weight <c>i</c> could have received so far (the sum of <c>eta_i * lambda</c> over the
/// steps of this training call, <c>eta_i</c> being the optimizer's step size for that weight: the learning rate under SGD,
/// Adam's per-weight step under Adam) and <c>q_i</c> the signed total actually applied to weight <c>i</c>. After each data step a
/// positive weight becomes <c>max(0, w - (u_i + q_i))</c> and a negative one <c>min(0, w + (u_i - q_i))</c>; <c>q_i</c> then
/// records the change. A weight that a noisy gradient kicks off zero therefore first pays the penalty it was spared while
/// clipped, which is what keeps it at zero where plain soft-thresholding (<see cref="ProximalL1Regularizer"/>) lets it
/// wander.
/// </para>
/// <para>
/// The state (<c>u</c> and <c>q</c>) is per span and per training call: <see cref="BackPropTrainer"/> obtains it through
/// <see cref="Bind"/> at the start of every call. This object itself holds no state and may be shared; its
/// <see cref="ApplyProximal"/> throws, because only a bound copy knows what was applied before.
/// <see cref="AddGradient"/> adds nothing (the penalty has no smooth part).
/// </para>
/// </remarks>
internal sealed class CumulativeL1Regularizer : IRegularizer
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
    public RegularizerCoupling Coupling => RegularizerCoupling.None;

    /// <inheritdoc />
    public bool HasProximalStep => true;

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => Lambda * (double)TensorPrimitives.SumOfMagnitudes(values);

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <summary>Throws: only a bound copy (from <see cref="Bind"/>) holds the state the step needs.</summary>
    /// <param name="values">Unused.</param>
    /// <param name="stepSizes">Unused.</param>
    /// <param name="shape">Unused.</param>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape) =>
        throw new InvalidOperationException(Guard.Text($"{Name} keeps per-weight state: call Bind(shape) and use the returned regularizer for the matrix (BackPropTrainer does this at the start of every training call)."));

    /// <summary>Returns a copy holding fresh state (<c>u</c> and <c>q</c>, zero) for one matrix of <paramref name="shape"/>.</summary>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <returns>The bound regularizer.</returns>
    public IRegularizer Bind(ParameterShape shape) => new Bound(this, shape.TotalLength);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The regularizer bound to one matrix: per-weight totals <c>u</c> and <c>q</c>, in double precision.</summary>
    private sealed class Bound(CumulativeL1Regularizer owner, int length) : IRegularizer
    {
        private readonly double[] _totals = new double[length];
        private readonly double[] _applied = new double[length];

        public string Name => owner.Name;

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public bool HasProximalStep => true;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => owner.Penalty(values, shape);

        public bool HasGradient => false;

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }

        public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
        {
            if (shape.TotalLength != _totals.Length)
            {
                throw new ArgumentException(Guard.Text($"This {Name} was bound to a matrix of {_totals.Length} values but was given a block of a matrix of {shape.TotalLength}."), nameof(shape));
            }

            shape.CheckLength(values.Length, nameof(values));
            RegularizerKernels.CumulativeClip(values, stepSizes, owner.Lambda, _totals.AsSpan(shape.Offset, values.Length), _applied.AsSpan(shape.Offset, values.Length));
        }

        public IRegularizer Bind(ParameterShape shape) => owner.Bind(shape);

        public override string ToString() => Name;
    }
}
