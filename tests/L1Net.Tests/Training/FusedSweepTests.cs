namespace L1Net.Tests.Training;

/// <summary>
/// The per-sample engine's fused sweep (a layer's gradient and its plain-SGD step in one pass, chosen whenever the optimizer
/// is plain SGD: a regularizer's <see cref="IRegularizer.AddGradient"/> part is computed first, at the weights from before the
/// step, and added inside the sweep) against the separate passes of <see cref="ParameterUpdate"/>: the same bits, whoever
/// wrote the regularizer, whenever its <c>AddGradient</c> adds one rounded term per value.
/// </summary>
public class FusedSweepTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "None", "L1", "L2", "ElasticNet", "ProximalL1", "ProximalElasticNet", "CumulativeL1", "GroupLasso", "UserL1", "UserAddedL1", "UserVectorL1", "UserSmoothGroup", "UserElasticNetOneSum", "UserDeclaredAndAdded" })
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
    public void A_user_L1_adding_its_subgradient_takes_the_fused_sweep_and_trains_within_1e_5_relative_of_the_built_in_per_sample()
    {
        // The built-in declares l1 sign(w); the user's adds it in AddGradient (one rounded add per value): the fused sweep
        // computes g + l1 sign(w) in the built-in's FusedUpdate as rate g + rate l1 sign(w), the user's as rate (g + l1 sign(w)),
        // so the two differ in rounding; the user's equals its own separate passes bit for bit (Cases) and stays within
        // float rounding of the built-in.
        Dataset data = FastPathTests.RandomData(60, 10, 4, seed: 6);
        float[] builtIn = Train(Regularizer.L1(0.01f), data, regularizeBiases: true, fuse: true, out _);
        float[] user = Train(new AddedL1(0.01f), data, regularizeBiases: true, fuse: true, out bool fused);
        Assert.True(fused);
        for (int k = 0; k < builtIn.Length; k++)
        {
            Assert.True(Math.Abs(builtIn[k] - user[k]) <= 1e-5f * Math.Max(1f, Math.Abs(builtIn[k])), $"parameter {k}: {builtIn[k]} against {user[k]}");
        }
    }

    [Fact]
    public void An_AddGradient_of_several_rounded_terms_per_value_trains_within_the_stated_tolerance_of_the_separate_passes()
    {
        // g += a; g += b (two roundings) in the separate passes, (0 + a) + b then g + that in the fused sweep: the documented
        // tolerance (IRegularizer.AddGradient) is float rounding of the sum, which 240 steps keep below 1e-5 relative here.
        Dataset data = FastPathTests.RandomData(60, 10, 4, seed: 8);
        var regularizer = new TwoTermElasticNet(0.01f, 0.05f);
        float[] fused = Train(regularizer, data, regularizeBiases: true, fuse: true, out bool fusedUsed);
        float[] separate = Train(regularizer, data, regularizeBiases: true, fuse: false, out _);
        Assert.True(fusedUsed);
        int differing = 0;
        for (int k = 0; k < fused.Length; k++)
        {
            differing += fused[k] == separate[k] ? 0 : 1;
            Assert.True(Math.Abs(fused[k] - separate[k]) <= 1e-5f * Math.Max(1f, Math.Abs(separate[k])), $"parameter {k}: {separate[k]} against {fused[k]}");
        }

        Assert.InRange(differing, 1, fused.Length - 1); // the rounding difference is real (and not every value shows it)
    }

    [Fact]
    public void Only_momentum_or_Adam_takes_the_separate_passes_per_sample()
    {
        LayerInfo[] layers = Layers();
        int parameters = layers.Sum(l => l.WeightCount + l.OutputSize);
        using (var workspace = new TrainingWorkspace(layers, parameters, [new AddedL1(0.01f), new SmoothGroup(0.01f)], LossFunction.SquaredError, null, regularizeBiases: true))
        {
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f), 1);
            Assert.True(workspace.FusesSteps, "a regularizer with its own gradient, even a coupled one, fuses under plain SGD");
            workspace.PrepareTraining(1, Optimizer.Adam(0.01f), 1);
            Assert.False(workspace.FusesSteps);
        }

        using (var workspace = new TrainingWorkspace(layers, parameters, [Regularizer.L1(0.01f), Regularizer.L1(0.01f)], LossFunction.SquaredError, null, regularizeBiases: false))
        {
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f, momentum: 0.9f), 1);
            Assert.False(workspace.FusesSteps);
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f, weightDecay: 0.01f), 1);
            Assert.False(workspace.FusesSteps);
            workspace.PrepareTraining(1, Optimizer.Sgd(0.05f), 1);
            Assert.True(workspace.FusesSteps);
        }
    }

    [Theory]
    [InlineData(0f, "per-sample engine (each layer's step inside its backward sweep)")]
    [InlineData(0.9f, "per-sample engine (separate gradient and update passes)")]
    public void The_trainer_logs_which_per_sample_path_it_takes_once_per_call(float momentum, string engine)
    {
        Dataset data = FastPathTests.RandomData(20, 10, 4, seed: 10);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        var logger = new L1Net.Tests.Support.CapturingLogger();
        var options = new TrainerOptions { Epochs = 2, LearningRate = 0.05f, Momentum = momentum, BatchSize = 1, Loss = LossFunction.SquaredError };
        new BackPropTrainer(options, new AddedL1(0.01f), logger).Train(network, data);
        new BackPropTrainer(options, new AddedL1(0.01f), logger).Train(network, data);
        string[] paths = logger.Records.Where(r => r.EventId.Name == "TrainingPath").Select(r => r.Get<string>("Engine")).ToArray();
        Assert.Equal([engine, engine], paths);
    }

    [Fact]
    public void The_fused_sweep_calls_AddGradient_once_per_matrix_and_step_with_the_weights_from_before_the_step()
    {
        Dataset data = FastPathTests.RandomData(5, 10, 4, seed: 9);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(3));
        LayerInfo[] layers = network.Layers.ToArray();
        var recording = new RecordingL1(0.01f);
        using var workspace = new TrainingWorkspace(layers, network.ParameterCount, [recording, recording], LossFunction.SquaredError, null, regularizeBiases: false);
        workspace.PrepareTraining(1, Optimizer.Sgd(0.2f), 1);
        Assert.True(workspace.FusesSteps);
        float[] before = network.Parameters.ToArray();
        workspace.Step(network, data, [0]);

        // Top layer first, each with its whole matrix as it was before the step, into a cleared buffer.
        Assert.Equal([1, 0], recording.Calls.Select(c => c.Shape.Layer));
        Assert.All(recording.Calls, c => Assert.True(c.Shape.IsWhole));
        Assert.All(recording.Calls, c => Assert.All(c.GradientOnEntry, g => Assert.Equal(0, BitConverter.SingleToInt32Bits(g))));
        Assert.Equal(before.AsSpan(layers[1].WeightOffset, layers[1].WeightCount).ToArray(), recording.Calls[0].Values);
        Assert.Equal(before.AsSpan(layers[0].WeightOffset, layers[0].WeightCount).ToArray(), recording.Calls[1].Values);
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
        "UserAddedL1" => new AddedL1(0.01f),
        "UserVectorL1" => new VectorL1(0.01f),
        "UserSmoothGroup" => new SmoothGroup(0.01f),
        "UserElasticNetOneSum" => new OneSumElasticNet(0.01f, 0.05f),
        "UserDeclaredAndAdded" => new DeclaredAndAdded(0.01f, 0.05f),
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

    /// <summary>The same L1 with <see cref="System.Numerics.Vector{T}"/> (as UserRegularizerBenchmarks.VectorizedL1): whole vectors, then a scalar tail.</summary>
    private sealed class VectorL1(float lambda) : IRegularizer
    {
        public string Name => "VectorL1";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => lambda * values.ToArray().Sum(v => (double)Math.Abs(v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            var l1 = new System.Numerics.Vector<float>(lambda);
            int n = System.Numerics.Vector<float>.Count;
            int i = 0;
            for (; i <= values.Length - n; i += n)
            {
                var w = new System.Numerics.Vector<float>(values[i..]);
                var step = System.Numerics.Vector.AndNot(System.Numerics.Vector.CopySign(l1, w), System.Numerics.Vector.AsVectorSingle(System.Numerics.Vector.Equals(w, System.Numerics.Vector<float>.Zero)));
                (new System.Numerics.Vector<float>(gradient[i..]) + step).CopyTo(gradient[i..]);
            }

            for (; i < values.Length; i++)
            {
                if (values[i] != 0f)
                {
                    gradient[i] += MathF.CopySign(lambda, values[i]);
                }
            }
        }
    }

    /// <summary>
    /// A smooth group penalty that couples the whole matrix (default <see cref="IRegularizer.Coupling"/>):
    /// <c>lambda sum over rows sqrt(|row|^2 + eps)</c>, gradient <c>lambda w / sqrt(|row|^2 + eps)</c>.
    /// </summary>
    private sealed class SmoothGroup(float lambda) : IRegularizer
    {
        private const float Eps = 1e-3f;

        public string Name => "SmoothGroup";

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            for (int r = 0; r < shape.Rows; r++)
            {
                ReadOnlySpan<float> row = values.Slice(r * shape.Columns, shape.Columns);
                double squares = 0;
                foreach (float v in row)
                {
                    squares += (double)v * v;
                }

                sum += Math.Sqrt(squares + Eps);
            }

            return lambda * sum;
        }

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int r = 0; r < shape.Rows; r++)
            {
                ReadOnlySpan<float> row = values.Slice(r * shape.Columns, shape.Columns);
                float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row) + Eps);
                for (int c = 0; c < row.Length; c++)
                {
                    gradient[(r * shape.Columns) + c] += lambda * row[c] / norm;
                }
            }
        }
    }

    /// <summary>A user's elastic net that adds <c>l1 sign(w) + l2 w</c> as one sum per value: one rounded add, the same bits fused or not.</summary>
    private sealed class OneSumElasticNet(float l1, float l2) : IRegularizer
    {
        public string Name => "OneSumElasticNet";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => values.ToArray().Sum(v => (l1 * (double)Math.Abs(v)) + (0.5 * l2 * v * v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float w = values[i];
                gradient[i] += (w == 0f ? 0f : MathF.CopySign(l1, w)) + (l2 * w);
            }
        }
    }

    /// <summary>A user's elastic net that adds its two terms one after the other: two roundings per value (the tolerance case).</summary>
    private sealed class TwoTermElasticNet(float l1, float l2) : IRegularizer
    {
        public string Name => "TwoTermElasticNet";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => values.ToArray().Sum(v => (l1 * (double)Math.Abs(v)) + (0.5 * l2 * v * v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float w = values[i];
                if (w != 0f)
                {
                    gradient[i] += MathF.CopySign(l1, w);
                }

                gradient[i] += l2 * w;
            }
        }
    }

    /// <summary>Declares a weight decay and a sign part and adds a cubic term itself: both kinds in one step.</summary>
    private sealed class DeclaredAndAdded(float l1, float decay) : IRegularizer
    {
        public string Name => "DeclaredAndAdded";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public float SignCoefficient => l1;

        public float WeightDecay => decay;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => values.ToArray().Sum(v => (l1 * (double)Math.Abs(v)) + (0.5 * decay * v * v) + (0.25 * v * v * v * v));

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < values.Length; i++)
            {
                gradient[i] += values[i] * values[i] * values[i];
            }
        }
    }

    /// <summary>Records what every <see cref="IRegularizer.AddGradient"/> call saw.</summary>
    private sealed class RecordingL1(float lambda) : IRegularizer
    {
        public List<(ParameterShape Shape, float[] Values, float[] GradientOnEntry)> Calls { get; } = [];

        public string Name => "RecordingL1";

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            Calls.Add((shape, values.ToArray(), gradient.ToArray()));
            for (int i = 0; i < values.Length; i++)
            {
                gradient[i] += values[i] == 0f ? 0f : MathF.CopySign(lambda, values[i]);
            }
        }
    }
}
