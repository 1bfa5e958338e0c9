using System.Numerics.Tensors;
using L1Net.Tests.Training;

namespace L1Net.Tests.Regularization;

/// <summary>
/// <see cref="IRegularizer.WeightDecay"/>: the linear part of the smooth gradient, left out of
/// <see cref="IRegularizer.AddGradient"/> and applied by the step: a multiplicative decay in one rounding under plain SGD
/// (0.1's arithmetic), <c>g + d w</c> for every other optimizer. Chosen by what a regularizer declares, not by its type.
/// </summary>
public class WeightDecayContractTests
{
    private const int Length = 37; // not a multiple of any vector width
    private const float Rate = 0.1f;

    [Fact]
    public void Built_in_L2_strengths_are_declared_as_weight_decay_and_left_out_of_AddGradient()
    {
        Assert.Equal(0.25f, Regularizer.L2(0.25f).WeightDecay);
        Assert.Equal(0.5f, Regularizer.ElasticNet(0.125f, 0.5f).WeightDecay);
        Assert.Equal(0.5f, Regularizer.ProximalElasticNet(0.125f, 0.5f).WeightDecay);
        Assert.Equal(0f, Regularizer.L1(0.25f).WeightDecay);
        Assert.Equal(0f, Regularizer.None.WeightDecay);
        Assert.Equal(0f, Regularizer.ProximalL1(0.25f).WeightDecay);
        Assert.Equal(0f, Regularizer.CumulativeL1(0.25f).WeightDecay);
        Assert.Equal(0f, ((IRegularizer)new ConstantGradient()).WeightDecay); // the interface's default

        float[] w = [1f, -3f, 0f];
        var g = new float[3];
        g[0] = 0.5f;
        Regularizer.ElasticNet(0.125f, 0.5f).AddGradient(w, g, ParameterShape.Vector(3));
        Assert.Equal([0.5f, 0f, 0f], g); // nothing: l1 sign(w) is declared too
        Assert.Equal(0.125f, Regularizer.ElasticNet(0.125f, 0.5f).SignCoefficient);
        Assert.False(Regularizer.ElasticNet(0.125f, 0.5f).HasGradient);
        Regularizer.L2(0.5f).AddGradient(w, g, ParameterShape.Vector(3));
        Assert.Equal([0.5f, 0f, 0f], g); // nothing
    }

    [Theory]
    [InlineData("L2")]
    [InlineData("ElasticNet")]
    [InlineData("ProximalElasticNet")]
    public void Plain_SGD_applies_the_declared_decay_as_w_times_one_minus_rate_d_minus_rate_g_in_one_rounding(string name)
    {
        (IRegularizer regularizer, float l1, float l2) = name switch
        {
            "L2" => (Regularizer.L2(0.3f), 0f, 0.3f),
            "ElasticNet" => (Regularizer.ElasticNet(0.05f, 0.3f), 0.05f, 0.3f),
            _ => ((IRegularizer)Regularizer.ProximalElasticNet(0f, 0.3f), 0f, 0.3f),
        };
        (float[] w, float[] g) = Values(seed: 3);
        float[] expected = new float[Length];
        float decay = 1f - (Rate * l2);
        for (int i = 0; i < Length; i++)
        {
            // 0.1's UpdateKernels.ElasticNet, w (1 - rate l2) - (rate g + rate l1 sign(w)), the declared l1 sign(w) inside the
            // step (multiply-adds fused where the hardware has FMA).
            float shrink = w[i] == 0f ? 0f : MathF.CopySign(Rate * l1, w[i]);
            expected[i] = L1Net.Kernels.KernelMath.MultiplyAdd(w[i], decay, -L1Net.Kernels.KernelMath.MultiplyAdd(g[i], Rate, shrink));
        }

        Apply(regularizer, Optimizer.Sgd(Rate), w, g, step: 1);

        Assert.Equal(expected, w);
    }

    [Theory]
    [InlineData("Momentum")]
    [InlineData("Nesterov")]
    [InlineData("SgdWeightDecay")]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    public void Every_other_optimizer_gets_the_decay_folded_into_its_gradient_as_PyTorch_weight_decay(string name)
    {
        IOptimizer optimizer = name switch
        {
            "Momentum" => Optimizer.Sgd(Rate, momentum: 0.9f),
            "Nesterov" => Optimizer.Sgd(Rate, momentum: 0.9f, nesterov: true),
            "SgdWeightDecay" => Optimizer.Sgd(Rate, weightDecay: 0.01f),
            "Adam" => Optimizer.Adam(0.01f),
            _ => Optimizer.AdamW(0.01f),
        };
        const float lambda = 0.3f;
        (float[] w, float[] _) = Values(seed: 5);
        float[] folded = (float[])w.Clone();
        ParameterShape shape = ParameterShape.Vector(Length);
        var update = new ParameterUpdate(Regularizer.L2(lambda), optimizer, shape, offset: 0);
        IOptimizerState state = optimizer.Bind(shape);
        for (long t = 1; t <= 5; t++)
        {
            (float[] _, float[] g) = Values(seed: 10 + (int)t);
            float[] gFolded = (float[])g.Clone();
            TensorPrimitives.MultiplyAdd(folded, lambda, gFolded, gFolded); // g + d w
            state.Step(folded, gFolded, shape, t);
            update.Apply(w, g, t);
            Assert.Equal(folded, w);
        }
    }

    [Theory]
    [InlineData(1, "Sgd")]
    [InlineData(8, "Sgd")]
    [InlineData(1, "Momentum")]
    [InlineData(8, "Adam")]
    public void A_user_L2_declaring_its_weight_decay_trains_bit_identically_to_the_built_in(int batchSize, string optimizerName)
    {
        Dataset data = FastPathTests.RandomData(45, 10, 4, seed: 11);
        float[] Run(IRegularizer regularizer)
        {
            DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(3));
            IOptimizer optimizer = optimizerName switch
            {
                "Sgd" => Optimizer.Sgd(0.05f),
                "Momentum" => Optimizer.Sgd(0.05f, momentum: 0.5f),
                _ => Optimizer.Adam(0.01f),
            };
            var options = new TrainerOptions { Epochs = 3, Optimizer = optimizer, BatchSize = batchSize, Seed = 9, RegularizeBiases = true };
            new BackPropTrainer(options, regularizer).Train(network, data);
            return network.Parameters.ToArray();
        }

        float[] builtIn = Run(Regularizer.L2(0.01f));
        Assert.Equal(builtIn, Run(new DeclaredL2(0.01f)));

        // An L2 that adds lambda w in AddGradient itself is the same math, rounded in another order.
        float[] added = Run(new AddedL2(0.01f));
        for (int i = 0; i < builtIn.Length; i++)
        {
            Assert.True(Math.Abs(builtIn[i] - added[i]) <= 1e-5f * (1 + Math.Abs(builtIn[i])), $"{i}: {builtIn[i]:R} vs {added[i]:R}");
        }
    }

    [Fact]
    public void Compute_gradient_includes_the_declared_linear_part()
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(3, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        Dataset data = FastPathTests.RandomData(6, 4, 2, seed: 4);
        var none = new float[network.ParameterCount];
        var l2 = new float[network.ParameterCount];
        new BackPropTrainer(new TrainerOptions(), Regularizer.None).ComputeGradient(network, data, none);
        new BackPropTrainer(new TrainerOptions(), Regularizer.L2(0.5f)).ComputeGradient(network, data, l2);
        float[] p = network.Parameters.ToArray();
        foreach (LayerInfo layer in network.Layers)
        {
            for (int i = layer.WeightOffset; i < layer.WeightOffset + layer.WeightCount; i++)
            {
                Assert.Equal(none[i] + (0.5f * p[i]), l2[i], 1e-6f);
            }
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_weight_decay_is_rejected_and_the_network_is_left_as_it_was(float decay)
    {
        DenseNetwork network = NetworkBuilder.Input(4).Dense(3, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        float[] before = network.Parameters.ToArray();
        Dataset data = FastPathTests.RandomData(6, 4, 2, seed: 4);
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 1 }, new DeclaredL2(0f, decay));

        var error = Assert.Throws<InvalidOperationException>(() => trainer.Train(network, data));

        Assert.Contains("WeightDecay", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    private static void Apply(IRegularizer regularizer, IOptimizer optimizer, float[] w, float[] g, long step)
    {
        ParameterShape shape = ParameterShape.Vector(w.Length);
        new ParameterUpdate(regularizer.Bind(shape), optimizer, shape, offset: 0).Apply(w, g, step);
    }

    private static (float[] W, float[] G) Values(int seed)
    {
        var random = new Random(seed);
        float[] w = Enumerable.Range(0, Length).Select(i => i % 7 == 0 ? 0f : (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] g = Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return (w, g);
    }

    /// <summary>A user's L2 through the contract: the whole gradient declared as weight decay.</summary>
    private sealed class DeclaredL2(float lambda, float? declared = null) : IRegularizer
    {
        public string Name => "DeclaredL2";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public float WeightDecay => declared ?? lambda;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0.5 * lambda * TensorPrimitives.SumOfSquares(values);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }

    /// <summary>A user's L2 that adds its gradient itself and declares no weight decay.</summary>
    private sealed class AddedL2(float lambda) : IRegularizer
    {
        public string Name => "AddedL2";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0.5 * lambda * TensorPrimitives.SumOfSquares(values);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape) =>
            TensorPrimitives.MultiplyAdd(values, lambda, gradient, gradient);
    }

    /// <summary>Implements only what the interface requires.</summary>
    private sealed class ConstantGradient : IRegularizer
    {
        public string Name => "Constant";

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }
}
