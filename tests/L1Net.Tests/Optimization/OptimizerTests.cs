using L1Net.Tests.Support;

namespace L1Net.Tests.Optimization;

/// <summary>
/// Every optimizer against a double-precision reference of the update PyTorch documents (torch.optim.SGD, Adam, AdamW),
/// step by step from the first step on, and the proximal step under per-coordinate step sizes.
/// </summary>
public class OptimizerTests
{
    private const int Length = 37; // not a multiple of any vector width

    public static TheoryData<string> Optimizers() => new()
    {
        "Sgd", "SgdWeightDecay", "HeavyBall", "Dampened", "Nesterov", "NesterovWeightDecay", "Adam", "AdamWeightDecay", "AdamW", "AdamBetaZero",
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_step_matches_the_double_precision_reference_of_the_PyTorch_formula(string name)
    {
        (IOptimizer optimizer, Reference reference) = Make(name);
        var random = new Random(42);
        float[] w = Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        double[] expected = w.Select(v => (double)v).ToArray();
        ParameterShape shape = ParameterShape.Vector(Length);
        IOptimizerState state = optimizer.Bind(shape);
        for (int t = 1; t <= 25; t++)
        {
            float[] g = Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 2) - 1) * (t % 3 == 0 ? 1e-3f : 1f)).ToArray();
            reference.Step(expected, g, t);
            ReadOnlySpan<float> steps = state.Step(w, (float[])g.Clone(), shape, t);
            for (int i = 0; i < Length; i++)
            {
                Assert.True(Math.Abs(w[i] - expected[i]) <= 2e-6 * (1 + Math.Abs(expected[i])), $"{name} step {t}, value {i}: {w[i]:R} vs {expected[i]:R}");
            }

            double[] referenceSteps = reference.StepSizes(t);
            Assert.True(steps.Length == 1 || steps.Length == Length, $"{steps.Length} step sizes");
            for (int i = 0; i < steps.Length; i++)
            {
                double e = referenceSteps[steps.Length == 1 ? 0 : i];
                Assert.True(Math.Abs(steps[i] - e) <= 1e-5 * Math.Abs(e), $"{name} step {t}, step size {i}: {steps[i]:R} vs {e:R}");
            }
        }
    }

    [Fact]
    public void Adam_first_step_moves_every_weight_by_the_learning_rate_against_the_sign_of_its_gradient()
    {
        // t = 1: m_hat = g, v_hat = g^2, so the step is lr g / (|g| + eps), lr sign(g) for |g| >> eps: bias correction at work.
        float[] w = [1f, -1f, 0.5f, 0f];
        float[] g = [0.3f, -2f, 1e-3f, 0f];
        ParameterShape shape = ParameterShape.Vector(4);
        ReadOnlySpan<float> steps = Optimizer.Adam(0.01f).Bind(shape).Step(w, g, shape, 1);
        Assert.Equal(1f - 0.01f, w[0], 6);
        Assert.Equal(-1f + 0.01f, w[1], 6);
        Assert.Equal(0.5f - 0.01f, w[2], 5);
        Assert.Equal(0f, w[3]);
        Assert.Equal(0.01 / (0.3 + 1e-8), steps[0], 1e-5 * steps[0]);
        Assert.Equal(0.01 / 1e-8, steps[3], 1e-5 * steps[3]); // no gradient yet: the metric is eps alone
    }

    [Fact]
    public void AdamW_decays_the_weights_before_the_step_and_Adam_adds_the_decay_to_the_gradient()
    {
        ParameterShape shape = ParameterShape.Vector(1);
        float[] decoupled = [2f];
        Optimizer.AdamW(0.1f, weightDecay: 0.5f).Bind(shape).Step(decoupled, [0f], shape, 1);
        Assert.Equal(2f * (1f - (0.1f * 0.5f)), decoupled[0], 6); // zero gradient: only the decay moved it

        float[] coupled = [2f];
        Optimizer.Adam(0.1f, weightDecay: 0.5f).Bind(shape).Step(coupled, [0f], shape, 1);
        Assert.Equal(2f - 0.1f, coupled[0], 6); // g = 0.5 * 2 = 1: Adam's first step is lr sign(g)
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_matrix_stepped_in_blocks_of_rows_equals_the_matrix_stepped_whole(string name)
    {
        // The mini-batch engine steps blocks of rows on different threads: the state must be addressed per row.
        IOptimizer optimizer = Make(name).Optimizer;
        var shape = ParameterShape.ForWeights(0, inputs: 5, outputs: 7);
        IOptimizerState whole = optimizer.Bind(shape), blocks = optimizer.Bind(shape);
        var random = new Random(3);
        float[] a = Enumerable.Range(0, 35).Select(_ => (float)random.NextDouble()).ToArray();
        float[] b = (float[])a.Clone();
        for (int t = 1; t <= 4; t++)
        {
            float[] g = Enumerable.Range(0, 35).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            whole.Step(a, (float[])g.Clone(), shape, t);
            float[] gb = (float[])g.Clone();
            blocks.Step(b.AsSpan(0, 15), gb.AsSpan(0, 15), shape.SliceRows(0, 3), t);
            blocks.Step(b.AsSpan(15, 20), gb.AsSpan(15, 20), shape.SliceRows(3, 4), t);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void The_default_optimizer_is_SGD_with_the_options_learning_rate_and_momentum()
    {
        Dataset data = RandomProblems.Classification(5, rows: 30, features: 4, classes: 3);
        float[] Run(TrainerOptions options)
        {
            DenseNetwork network = NetworkBuilder.Input(4).Dense(5, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(2));
            new BackPropTrainer(options, Regularizer.L2(0.01f)).Train(network, data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(
            Run(new TrainerOptions { Epochs = 3, LearningRate = 0.05f, Momentum = 0.5f, BatchSize = 4, Seed = 1 }),
            Run(new TrainerOptions { Epochs = 3, Optimizer = Optimizer.Sgd(0.05f, momentum: 0.5f), BatchSize = 4, Seed = 1 }));
    }

    [Theory]
    [InlineData("Adam", 1)]
    [InlineData("Adam", 20)]
    [InlineData("AdamW", 20)]
    [InlineData("Nesterov", 20)]
    [InlineData("Nesterov", 1)]
    public void Training_steps_follow_the_reference_on_the_gradient_the_trainer_reports(string name, int rows)
    {
        // Full-batch steps (one step per epoch): step t must be the reference update on ComputeGradient at the parameters of
        // step t - 1, with the smooth regularizer (L2) in the gradient. rows = 1 runs the per-sample engine, 20 the
        // mini-batch engine.
        (IOptimizer optimizer, Reference reference) = Make(name);
        Dataset data = RandomProblems.Classification(7, rows: rows, features: 4, classes: 3);
        DenseNetwork network = NetworkBuilder.Input(4).Dense(6, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(5));
        double[] expected = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        IRegularizer regularizer = Regularizer.L2(0.02f);
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 4, BatchSize = rows, Optimizer = optimizer, SampleOrder = SequentialSampleOrder.Instance }, regularizer);
        DenseNetwork probe = NetworkBuilder.Input(4).Dense(6, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(5));
        float[] gradient = new float[network.ParameterCount];
        for (int t = 1; t <= 4; t++)
        {
            expected.Select(v => (float)v).ToArray().CopyTo(probe.Parameters);
            trainer.ComputeGradient(probe, data, gradient);
            reference.Step(expected, gradient, t);
        }

        trainer.Train(network, data);
        float[] actual = network.Parameters.ToArray();
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"parameter {i}: {actual[i]:R} vs {expected[i]:R}");
        }
    }

    [Fact]
    public void Proximal_L1_under_Adam_soft_thresholds_each_weight_by_lambda_times_its_own_step_size()
    {
        // Proximal Adam (Yun, Lozano and Yang 2021): w = sign(z) max(|z| - lambda eta_i, 0), eta_i = Adam's step for weight i.
        const float lambda = 0.5f;
        float[] z = [0.3f, -0.3f, 0.02f, -0.001f, 2f];
        float[] eta = [0.1f, 0.1f, 0.05f, 0.01f, 1f];
        float[] w = (float[])z.Clone();
        Regularizer.ProximalL1(lambda).ApplyProximal(w, eta, ParameterShape.Vector(5));
        for (int i = 0; i < z.Length; i++)
        {
            double threshold = (double)lambda * eta[i];
            double e = Math.Sign(z[i]) * Math.Max(Math.Abs(z[i]) - threshold, 0);
            Assert.Equal(e, w[i], 6);
        }

        Assert.Equal(0f, w[2]);
        Assert.Equal(0f, w[3]);
        Assert.Equal(1.5f, w[4]);
    }

    [Fact]
    public void Proximal_and_cumulative_L1_under_Adam_reach_exact_zeros_in_training()
    {
        Dataset data = RandomProblems.Classification(9, rows: 60, features: 8, classes: 3);
        foreach (IRegularizer regularizer in new[] { Regularizer.ProximalL1(0.01f), Regularizer.CumulativeL1(0.01f), Regularizer.ProximalElasticNet(0.01f, 0.01f) })
        {
            DenseNetwork network = NetworkBuilder.Input(8).Dense(10, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));
            TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 30, Optimizer = Optimizer.Adam(0.01f), BatchSize = 8 }, regularizer).Train(network, data);
            Assert.Equal(TrainingStopReason.Completed, result.StopReason);
            Assert.True(result.Final.ZeroWeights > 20, $"{regularizer.Name}: only {result.Final.ZeroWeights} of 110 weights are exactly zero");
        }
    }

    [Fact]
    public void The_cumulative_penalty_under_per_coordinate_steps_totals_lambda_times_each_weights_own_steps()
    {
        IRegularizer bound = Regularizer.CumulativeL1(1f).Bind(ParameterShape.Vector(2));
        float[] w = [0.05f, 0.05f];
        bound.ApplyProximal(w, [0.01f, 0.1f], ParameterShape.Vector(2)); // u = (0.01, 0.1)
        Assert.Equal(0.04f, w[0], 6);
        Assert.Equal(0f, w[1]);
        w[1] = 0.12f;                                                     // kicked off zero
        bound.ApplyProximal(w, [0.01f, 0.1f], ParameterShape.Vector(2)); // u = (0.02, 0.2); weight 1 has paid 0.05
        Assert.Equal(0.03f, w[0], 6);
        Assert.Equal(0f, w[1]);                                           // 0.12 - (0.2 - 0.05) < 0
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Optimizer_names_are_culture_invariant(string culture)
    {
        using var scope = new CultureScope(culture);
        Assert.Equal("Adam(lr=0.001, betas=(0.9, 0.999), eps=1E-08)", Optimizer.Adam().Name);
        Assert.Equal("AdamW(lr=0.001, betas=(0.9, 0.999), eps=1E-08, weight_decay=0.01)", Optimizer.AdamW().Name);
        Assert.Equal("SGD(lr=0.5, momentum=0.9, nesterov)", Optimizer.Sgd(0.5f, momentum: 0.9f, nesterov: true).Name);
    }

    private static (IOptimizer Optimizer, Reference Reference) Make(string name) => name switch
    {
        "Sgd" => (Optimizer.Sgd(0.1f), new SgdReference(0.1, 0, 0, false, 0)),
        "SgdWeightDecay" => (Optimizer.Sgd(0.1f, weightDecay: 0.01f), new SgdReference(0.1, 0, 0, false, 0.01)),
        "HeavyBall" => (Optimizer.Sgd(0.1f, momentum: 0.9f), new SgdReference(0.1, 0.9, 0, false, 0)),
        "Dampened" => (Optimizer.Sgd(0.1f, momentum: 0.9f, dampening: 0.3f), new SgdReference(0.1, 0.9, 0.3, false, 0)),
        "Nesterov" => (Optimizer.Sgd(0.1f, momentum: 0.9f, nesterov: true), new SgdReference(0.1, 0.9, 0, true, 0)),
        "NesterovWeightDecay" => (Optimizer.Sgd(0.05f, momentum: 0.5f, nesterov: true, weightDecay: 0.1f), new SgdReference(0.05, 0.5, 0, true, 0.1)),
        "Adam" => (Optimizer.Adam(0.01f), new AdamReference(0.01, 0.9, 0.999, 1e-8, 0, false)),
        "AdamWeightDecay" => (Optimizer.Adam(0.01f, weightDecay: 0.1f), new AdamReference(0.01, 0.9, 0.999, 1e-8, 0.1, false)),
        "AdamW" => (Optimizer.AdamW(0.01f, weightDecay: 0.1f), new AdamReference(0.01, 0.9, 0.999, 1e-8, 0.1, true)),
        _ => (Optimizer.Adam(0.02f, beta1: 0f, beta2: 0.5f, epsilon: 1e-3f), new AdamReference(0.02, 0, 0.5, 1e-3, 0, false)),
    };

    private abstract class Reference
    {
        public abstract void Step(double[] w, float[] g, int t);

        public abstract double[] StepSizes(int t);
    }

    /// <summary>torch.optim.SGD, in double: g += wd w; b = g (t = 1) or mu b + (1 - dampening) g; d = g + mu b (Nesterov) or b; w -= lr d.</summary>
    private sealed class SgdReference(double lr, double mu, double dampening, bool nesterov, double wd) : Reference
    {
        private double[]? _b;

        public override void Step(double[] w, float[] gradient, int t)
        {
            _b ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double g = gradient[i] + (wd * w[i]);
                if (mu != 0)
                {
                    _b[i] = t == 1 ? g : (mu * _b[i]) + ((1 - dampening) * g);
                    g = nesterov ? g + (mu * _b[i]) : _b[i];
                }

                w[i] -= lr * g;
            }
        }

        public override double[] StepSizes(int t) => [lr];
    }

    /// <summary>
    /// torch.optim.Adam / AdamW, in double: (AdamW: w *= 1 - lr wd; Adam: g += wd w); m = b1 m + (1 - b1) g;
    /// v = b2 v + (1 - b2) g^2; eta = lr / (sqrt(v / (1 - b2^t)) + eps) (the proximal step size); w -= eta m / (1 - b1^t).
    /// </summary>
    private sealed class AdamReference(double lr, double b1, double b2, double eps, double wd, bool decoupled) : Reference
    {
        private double[]? _m;
        private double[]? _v;
        private double[]? _eta;

        public override void Step(double[] w, float[] gradient, int t)
        {
            _m ??= new double[w.Length];
            _v ??= new double[w.Length];
            _eta ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double g = gradient[i];
                if (decoupled)
                {
                    w[i] *= 1 - (lr * wd);
                }
                else
                {
                    g += wd * w[i];
                }

                _m[i] = (b1 * _m[i]) + ((1 - b1) * g);
                _v[i] = (b2 * _v[i]) + ((1 - b2) * g * g);
                _eta[i] = lr / ((Math.Sqrt(_v[i]) / Math.Sqrt(1 - Math.Pow(b2, t))) + eps);
                w[i] -= _eta[i] * _m[i] / (1 - Math.Pow(b1, t));
            }
        }

        public override double[] StepSizes(int t) => _eta!;
    }
}
