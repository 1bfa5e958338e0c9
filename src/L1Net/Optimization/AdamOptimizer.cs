using System.Globalization;
using L1Net.Kernels;

namespace L1Net.Optimization;

/// <summary>Adam with coupled weight decay (<c>torch.optim.Adam</c>) or decoupled weight decay (<c>torch.optim.AdamW</c>).</summary>
internal sealed class AdamOptimizer : IOptimizer
{
    public AdamOptimizer(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
    }

    public float LearningRate { get; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    /// <summary>AdamW: the weight decay multiplies the weights instead of joining the gradient.</summary>
    public bool Decoupled { get; }

    public string Name
    {
        get
        {
            string decay = WeightDecay != 0f || Decoupled ? string.Create(CultureInfo.InvariantCulture, $", weight_decay={WeightDecay}") : "";
            return string.Create(CultureInfo.InvariantCulture, $"{(Decoupled ? "AdamW" : "Adam")}(lr={LearningRate}, betas=({Beta1}, {Beta2}), eps={Epsilon}{decay})");
        }
    }

    public IOptimizerState Bind(ParameterShape shape) => new State(this, shape.TotalLength);

    public override string ToString() => Name;

    /// <summary>The moment estimates <c>m</c>, <c>v</c> and the last step sizes of the bound matrix.</summary>
    private sealed class State(AdamOptimizer owner, int length) : IOptimizerState
    {
        private readonly float[] _m = new float[length];
        private readonly float[] _v = new float[length];
        private readonly float[] _steps = new float[length];

        public ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step)
        {
            AdamOptimizer o = owner;
            int offset = shape.Offset;
            int n = values.Length;
            Span<float> eta = _steps.AsSpan(offset, n);

            // One pass (OptimizerKernels.Adam), element by element the arithmetic of PyTorch's formula as this class always
            // computed it: m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  w -= lr / (1 - beta1^t) * m /
            // (sqrt(v) / sqrt(1 - beta2^t) + eps). The step size per coordinate, which the proximal step uses (the diagonal
            // metric of Yun et al. 2021), is eta = lr / (sqrt(v_hat) + eps); the update is w -= eta m_hat with
            // m_hat = m / (1 - beta1^t).
            var coefficients = new AdamCoefficients(o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.Decoupled, step);
            OptimizerKernels.Adam(values, gradient, _m.AsSpan(offset, n), _v.AsSpan(offset, n), eta, coefficients);
            return eta;
        }
    }
}
