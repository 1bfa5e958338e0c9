using System.Globalization;
using System.Numerics.Tensors;

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
            Span<float> m = _m.AsSpan(offset, n);
            Span<float> v = _v.AsSpan(offset, n);
            Span<float> eta = _steps.AsSpan(offset, n);
            if (o.WeightDecay != 0f)
            {
                if (o.Decoupled)
                {
                    TensorPrimitives.Multiply(values, 1f - (o.LearningRate * o.WeightDecay), values); // w *= 1 - lr wd
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(values, o.WeightDecay, gradient, gradient); // g += wd w
                }
            }

            // m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2  (the gradient buffer is scratch).
            TensorPrimitives.Multiply(m, o.Beta1, m);
            TensorPrimitives.MultiplyAdd(gradient, 1f - o.Beta1, m, m);
            TensorPrimitives.Multiply(gradient, gradient, gradient);
            TensorPrimitives.Multiply(v, o.Beta2, v);
            TensorPrimitives.MultiplyAdd(gradient, 1f - o.Beta2, v, v);

            // PyTorch: w -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps). The step size per coordinate, which the
            // proximal step uses (the diagonal metric of Yun et al. 2021), is eta = lr / (sqrt(v_hat) + eps); the update is
            // then w -= eta m_hat with m_hat = m / (1 - beta1^t).
            double t = step;
            float correction1 = (float)(1d - Math.Pow(o.Beta1, t));
            float correction2 = (float)Math.Sqrt(1d - Math.Pow(o.Beta2, t));
            TensorPrimitives.Sqrt(v, eta);
            TensorPrimitives.Divide(eta, correction2, eta);
            TensorPrimitives.Add(eta, o.Epsilon, eta);
            TensorPrimitives.Divide(o.LearningRate, eta, eta);
            TensorPrimitives.Multiply(eta, m, gradient);
            TensorPrimitives.MultiplyAdd(gradient, -1f / correction1, values, values);
            return eta;
        }
    }
}
