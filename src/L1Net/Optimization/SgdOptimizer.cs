using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Kernels;

namespace L1Net.Optimization;

/// <summary>SGD with optional momentum (heavy ball or Nesterov), dampening and coupled weight decay: <c>torch.optim.SGD</c>.</summary>
internal sealed class SgdOptimizer : IOptimizer
{
    private readonly float[] _stepSize;

    public SgdOptimizer(float learningRate, float momentum, float dampening, bool nesterov, float weightDecay)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _stepSize = [learningRate];
    }

    public float LearningRate { get; }

    public float Momentum { get; }

    public float Dampening { get; }

    public bool Nesterov { get; }

    public float WeightDecay { get; }

    public string Name
    {
        get
        {
            var text = new System.Text.StringBuilder("SGD(");
            text.Append(CultureInfo.InvariantCulture, $"lr={LearningRate}");
            if (Momentum != 0f)
            {
                text.Append(CultureInfo.InvariantCulture, $", momentum={Momentum}");
            }

            if (Dampening != 0f)
            {
                text.Append(CultureInfo.InvariantCulture, $", dampening={Dampening}");
            }

            if (Nesterov)
            {
                text.Append(", nesterov");
            }

            if (WeightDecay != 0f)
            {
                text.Append(CultureInfo.InvariantCulture, $", weight_decay={WeightDecay}");
            }

            return text.Append(')').ToString();
        }
    }

    public IOptimizerState Bind(ParameterShape shape) =>
        Momentum == 0f && WeightDecay == 0f ? new Plain(this) : new State(this, Momentum == 0f ? 0 : shape.TotalLength);

    public override string ToString() => Name;

    /// <summary>
    /// Plain SGD, <c>w -= lr g</c>: no state. A regularizer's declared weight decay <c>d</c> and sign part <c>l</c> join in
    /// the elastic-net step <c>w (1 - lr d) - (lr g + lr l sign(w))</c> (0.1's arithmetic, so the same seed gives 0.1's weights).
    /// </summary>
    private sealed class Plain(SgdOptimizer owner) : IDecayingOptimizerState
    {
        public float LearningRate => owner.LearningRate;

        public ReadOnlySpan<float> StepSizes => owner._stepSize;

        public ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step) =>
            Step(values, gradient, shape, step, 0f, 0f);

        public ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step, float decay, float sign)
        {
            UpdateKernels.ElasticNet(values, gradient, owner.LearningRate, sign, decay);
            return owner._stepSize;
        }
    }

    /// <summary>Momentum and/or weight decay: the momentum buffer <c>b</c> of the bound matrix.</summary>
    private sealed class State(SgdOptimizer owner, int length) : IOptimizerState
    {
        private readonly float[] _buffer = new float[length];

        public ReadOnlySpan<float> Step(Span<float> values, Span<float> gradient, ParameterShape shape, long step)
        {
            SgdOptimizer o = owner;
            if (o.WeightDecay != 0f)
            {
                TensorPrimitives.MultiplyAdd(values, o.WeightDecay, gradient, gradient); // g = g + wd w
            }

            Span<float> direction = gradient;
            if (o.Momentum != 0f)
            {
                Span<float> b = _buffer.AsSpan(shape.Offset, values.Length);
                if (step == 1)
                {
                    gradient.CopyTo(b); // b = g (PyTorch's first step, whatever the dampening)
                }
                else if (o.Dampening == 0f)
                {
                    TensorPrimitives.MultiplyAdd(b, o.Momentum, gradient, b); // b = mu b + g
                }
                else
                {
                    TensorPrimitives.Multiply(b, o.Momentum, b);
                    TensorPrimitives.MultiplyAdd(gradient, 1f - o.Dampening, b, b); // b = mu b + (1 - dampening) g
                }

                if (o.Nesterov)
                {
                    TensorPrimitives.MultiplyAdd(b, o.Momentum, gradient, gradient); // g = g + mu b
                }
                else
                {
                    direction = b;
                }
            }

            TensorPrimitives.MultiplyAdd(direction, -o.LearningRate, values, values);
            return o._stepSize;
        }
    }
}
