namespace L1Net.Tests.Training;

/// <summary>
/// The per-sample engine's fused sweep (a layer's gradient and its plain-SGD step in one pass, chosen when the optimizer is
/// plain SGD and the regularizer declares its whole smooth gradient) against the separate passes of
/// <see cref="ParameterUpdate"/>: the same bits, whoever wrote the regularizer.
/// </summary>
public class FusedSweepTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "None", "L1", "L2", "ElasticNet", "ProximalL1", "ProximalElasticNet", "CumulativeL1", "GroupLasso", "UserL1" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fused_sweep_trains_bit_identically_to_the_separate_passes(string name, bool regularizeBiases)
    {
        Dataset data = FastPathTests.RandomData(60, 10, 4, seed: 5);
        IRegularizer regularizer = Make(name);
        float[] fused = Train(regularizer, data, regularizeBiases, fuse: true, out bool fusedUsed);
        float[] separate = Train(regularizer, data, regularizeBiases, fuse: false, out _);
        Assert.True(fusedUsed, "the contract allows the fused sweep here");
        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
        Assert.Contains(fused, v => v != 0f);
    }

    [Fact]
    public void A_user_L1_declaring_its_sign_part_trains_bit_identically_to_the_built_in_per_sample()
    {
        Dataset data = FastPathTests.RandomData(60, 10, 4, seed: 6);
        float[] builtIn = Train(Regularizer.L1(0.01f), data, regularizeBiases: true, fuse: true, out _);
        float[] user = Train(new DeclaredL1(0.01f), data, regularizeBiases: true, fuse: true, out _);
        Assert.Equal(builtIn.Select(BitConverter.SingleToInt32Bits), user.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_regularizer_with_its_own_gradient_or_momentum_takes_the_separate_passes()
    {
        LayerInfo[] layers = Layers();
        int parameters = layers.Sum(l => l.WeightCount + l.OutputSize);
        using (var workspace = new TrainingWorkspace(layers, parameters, [new CountingL1(0.01f), new CountingL1(0.01f)], LossFunction.SquaredError, null, regularizeBiases: false))
        {
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f), 1);
            Assert.False(workspace.FusesSteps);
        }

        using (var workspace = new TrainingWorkspace(layers, parameters, [Regularizer.L1(0.01f), Regularizer.L1(0.01f)], LossFunction.SquaredError, null, regularizeBiases: false))
        {
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f, momentum: 0.9f), 1);
            Assert.False(workspace.FusesSteps);
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f), 1);
            Assert.True(workspace.FusesSteps);
        }
    }

    private static LayerInfo[] Layers() =>
        NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1)).Layers.ToArray();

    private static float[] Train(IRegularizer regularizer, Dataset data, bool regularizeBiases, bool fuse, out bool fusedUsed)
    {
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        LayerInfo[] layers = network.Layers.ToArray();
        using var workspace = new TrainingWorkspace(layers, network.ParameterCount, [regularizer, regularizer], LossFunction.SquaredError, null, regularizeBiases);
        workspace.PrepareTraining(1, Optimizer.Sgd(0.2f), 1);
        workspace.FuseSteps = fuse;
        fusedUsed = workspace.FusesSteps;
        for (int epoch = 0; epoch < 4; epoch++)
        {
            for (int r = 0; r < data.Count; r++)
            {
                workspace.Step(network, data, [r]);
            }
        }

        return network.Parameters.ToArray();
    }

    private static IRegularizer Make(string name) => name switch
    {
        "None" => Regularizer.None,
        "L1" => Regularizer.L1(0.01f),
        "L2" => Regularizer.L2(0.05f),
        "ElasticNet" => Regularizer.ElasticNet(0.01f, 0.05f),
        "ProximalL1" => Regularizer.ProximalL1(0.01f),
        "ProximalElasticNet" => Regularizer.ProximalElasticNet(0.01f, 0.05f),
        "CumulativeL1" => Regularizer.CumulativeL1(0.01f),
        "GroupLasso" => Regularizer.SparseGroupLasso(0.01f, 0.5f),
        _ => new DeclaredL1(0.01f),
    };

    /// <summary>A user's L1 through the public contract: it declares its subgradient instead of adding it.</summary>
    private sealed class DeclaredL1(float lambda) : IRegularizer
    {
        public string Name => "DeclaredL1";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public float SignCoefficient => lambda;

        public bool HasGradient => false;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => lambda * values.ToArray().Sum(v => (double)Math.Abs(v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }

    /// <summary>A user's L1 that adds its subgradient itself (the default <see cref="IRegularizer.HasGradient"/>).</summary>
    private sealed class CountingL1(float lambda) : IRegularizer
    {
        public string Name => "CountingL1";

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => lambda * values.ToArray().Sum(v => (double)Math.Abs(v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < values.Length; i++)
            {
                gradient[i] += values[i] == 0f ? 0f : MathF.CopySign(lambda, values[i]);
            }
        }
    }
}
