using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net;

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

    public string Name => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Decoupled ? "AdamW" : "Adam")}(lr={LearningRate}, betas=({Beta1}, {Beta2}), eps={Epsilon}{(WeightDecay != 0f || Decoupled ? $", weight_decay={WeightDecay}" : "")})");

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

            // eta = (lr / (1 - beta1^t)) / (sqrt(v) / sqrt(1 - beta2^t) + eps);  w -= eta m.
            double t = step;
            float stepSize = (float)(o.LearningRate / (1d - Math.Pow(o.Beta1, t)));
            float correction2 = (float)Math.Sqrt(1d - Math.Pow(o.Beta2, t));
            TensorPrimitives.Sqrt(v, eta);
            TensorPrimitives.Divide(eta, correction2, eta);
            TensorPrimitives.Add(eta, o.Epsilon, eta);
            TensorPrimitives.Divide(stepSize, eta, eta);
            TensorPrimitives.Multiply(eta, m, gradient);
            TensorPrimitives.Subtract(values, gradient, values);
            return eta;
        }
    }
}
