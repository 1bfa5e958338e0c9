namespace L1Net.Tests.Training;

/// <summary>The optimized training paths (fused per-sample SGD, mini-batch matrix products, threads) against a plain reference.</summary>
public class FastPathTests
{
    public static TheoryData<string, int, bool> Regularizers() => new()
    {
        { "None", 1, false },
        { "L1", 1, false },
        { "L2", 1, true },
        { "ElasticNet", 1, false },
        { "None", 8, false },
        { "L1", 8, true },
        { "L2", 8, false },
        { "ElasticNet", 8, false },
        { "ElasticNet", 45, true },
    };

    [Theory]
    [MemberData(nameof(Regularizers))]
    public void Seed_shaped_network_trains_like_the_reference(string regularizer, int batchSize, bool regularizeBiases)
    {
        (double l1, double l2) = Strengths(regularizer);
        foreach (LossFunction loss in new[] { LossFunction.SquaredError, LossFunction.CrossEntropy })
        {
            DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(3));
            Dataset data = RandomData(45, 10, 4, seed: 11);
            var options = new TrainerOptions { Epochs = 4, LearningRate = 0.05f, BatchSize = batchSize, Loss = loss, Seed = 9, RegularizeBiases = regularizeBiases };
            AssertMatchesReference(network, data, options, BuiltIn(regularizer), l1, l2);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void Deep_network_with_every_hidden_activation_trains_like_the_reference(int batchSize)
    {
        DenseNetwork network = NetworkBuilder.Input(13).Dense(21, Activation.ReLU).Dense(17, Activation.Sigmoid).Dense(9, Activation.Tanh).Dense(3, Activation.Softmax)
            .Build(new GlorotUniformInitializer(5));
        Dataset data = RandomData(70, 13, 3, seed: 2);
        var options = new TrainerOptions { Epochs = 3, LearningRate = 0.1f, BatchSize = batchSize, Seed = 4 };
        AssertMatchesReference(network, data, options, Regularizer.ElasticNet(0.002f, 0.003f), 0.002, 0.003);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Custom_regularizer_and_momentum_paths_train_like_the_reference(int batchSize)
    {
        DenseNetwork network = NetworkBuilder.Input(6).Dense(11, Activation.Tanh).Dense(3, Activation.Sigmoid).Build(new GlorotUniformInitializer(8));
        Dataset data = RandomData(40, 6, 3, seed: 6);
        var custom = new TrainerOptions { Epochs = 3, LearningRate = 0.05f, BatchSize = batchSize, Seed = 1 };
        AssertMatchesReference(network, data, custom, new PlainL1(0.01f), 0.01, 0);
        var momentum = new TrainerOptions { Epochs = 3, LearningRate = 0.05f, BatchSize = batchSize, Seed = 1, Momentum = 0.5f };
        AssertMatchesReference(network, data, momentum, Regularizer.L2(0.01f), 0, 0.01);
    }

    [Fact]
    public void Wide_mini_batches_are_bit_identical_between_runs_and_thread_counts()
    {
        // 120-160-10 at batch 64 is above the parallel threshold, so two threads really split the products.
        Dataset data = RandomData(150, 120, 10, seed: 21);
        float[] Run(int threads)
        {
            DenseNetwork network = NetworkBuilder.Input(120).Dense(160, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(2));
            var options = new TrainerOptions { Epochs = 3, LearningRate = 0.05f, BatchSize = 64, Seed = 3, MaxDegreeOfParallelism = threads };
            new BackPropTrainer(options, Regularizer.ElasticNet(0.001f, 0.001f)).Train(network, data);
            return network.Parameters.ToArray();
        }

        float[] one = Run(1);
        Assert.Equal(one, Run(1));
        float[] two = Run(2);
        Assert.Equal(two, Run(2));
        Assert.Equal(one, two);

        // Threads claim chunks of columns and rows as they get to them, so which thread computes what changes from step
        // to step with timing; three threads on this two-core machine (and a spinning competitor) make the claims vary.
        Assert.Equal(one, Run(3));
        using var stop = new CancellationTokenSource();
        var competitor = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Thread.SpinWait(1000);
            }
        })
        { IsBackground = true };
        competitor.Start();
        try
        {
            Assert.Equal(one, Run(2));
        }
        finally
        {
            stop.Cancel();
            competitor.Join();
        }
    }

    [Fact]
    public void Wide_mini_batches_train_like_the_reference()
    {
        DenseNetwork network = NetworkBuilder.Input(120).Dense(160, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        Dataset data = RandomData(150, 120, 10, seed: 21);
        var options = new TrainerOptions { Epochs = 2, LearningRate = 0.05f, BatchSize = 64, Seed = 3, MaxDegreeOfParallelism = 2 };
        AssertMatchesReference(network, data, options, Regularizer.L1(0.001f), 0.001, 0);
    }

    [Theory]
    [InlineData(1, 1, false, "ProximalL1")]
    [InlineData(1, 1, true, "ProximalElasticNet")]
    [InlineData(8, 1, false, "ProximalL1")]
    [InlineData(8, 1, true, "ProximalElasticNet")]
    [InlineData(64, 2, true, "ProximalL1")]
    [InlineData(64, 2, false, "ProximalElasticNet")]
    [InlineData(1, 1, false, "CumulativeL1")]
    [InlineData(1, 1, true, "CumulativeL1")]
    [InlineData(64, 2, false, "CumulativeL1")]
    [InlineData(64, 2, true, "L1")]
    [InlineData(1, 1, true, "L1")]
    public void A_regularizer_written_against_the_public_contract_trains_bit_identically_to_the_built_in(int batchSize, int threads, bool regularizeBiases, string name)
    {
        // There is one update path, through the public IRegularizer contract: a wrapper (a user's type, which the trainer
        // cannot recognise) takes exactly the built-in's path. A wrapper that declares the whole matrix coupled is updated
        // after the gradient phase instead of block by block, with the same arithmetic.
        Dataset data = RandomData(150, 120, 10, seed: 21);
        float[] Run(IRegularizer regularizer)
        {
            DenseNetwork network = NetworkBuilder.Input(120).Dense(160, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(2));
            var options = new TrainerOptions { Epochs = 3, LearningRate = 0.05f, BatchSize = batchSize, Seed = 3, MaxDegreeOfParallelism = threads, RegularizeBiases = regularizeBiases };
            new BackPropTrainer(options, regularizer).Train(network, data);
            return network.Parameters.ToArray();
        }

        IRegularizer builtIn = name switch
        {
            "ProximalL1" => Regularizer.ProximalL1(0.05f),
            "CumulativeL1" => Regularizer.CumulativeL1(0.05f),
            "L1" => Regularizer.L1(0.01f),
            _ => Regularizer.ProximalElasticNet(0.05f, 0.01f),
        };
        float[] expected = Run(builtIn);
        if (name != "L1")
        {
            Assert.True(expected.Count(v => v == 0f) > 100, $"the test needs weights that the soft-threshold set to zero ({expected.Count(v => v == 0f)})");
        }

        Assert.Equal(expected, Run(new Wrapped(builtIn)));
        Assert.Equal(expected, Run(new Wrapped(builtIn, RegularizerCoupling.Whole)));
    }

    [Theory]
    [InlineData("None", true)]
    [InlineData("L1", true)]
    [InlineData("ProximalL1", true)]
    [InlineData("CumulativeL1", true)]
    [InlineData("Custom", true)]
    [InlineData("CustomWhole", false)]
    public void Updates_run_on_blocks_of_rows_whenever_the_coupling_allows_whoever_wrote_the_regularizer(string name, bool rowBlocks)
    {
        LayerInfo[] layers = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1)).Layers.ToArray();
        IRegularizer regularizer = name switch
        {
            "None" => Regularizer.None,
            "L1" => Regularizer.L1(0.01f),
            "ProximalL1" => Regularizer.ProximalL1(0.01f),
            "CumulativeL1" => Regularizer.CumulativeL1(0.01f),
            "Custom" => new Wrapped(Regularizer.L1(0.01f)),
            _ => new Wrapped(Regularizer.L1(0.01f), RegularizerCoupling.Whole),
        };
        int parameters = layers.Sum(l => l.WeightCount + l.OutputSize);
        using var workspace = new TrainingWorkspace(layers, parameters, [regularizer, regularizer], LossFunction.SquaredError, null, regularizeBiases: false);
        workspace.PrepareTraining(8, Optimizer.Sgd(0.01f), 1);
        Assert.Equal(rowBlocks, workspace.RowBlockUpdates);
        Assert.True(workspace.MiniBatch);
    }

    [Fact]
    public void Per_sample_training_is_bit_identical_between_runs()
    {
        Dataset data = RandomData(60, 10, 4, seed: 1);
        float[] Run()
        {
            DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
            new BackPropTrainer(new TrainerOptions { Epochs = 5, LearningRate = 0.05f, Seed = 7, Loss = LossFunction.SquaredError }, Regularizer.L1(0.001f)).Train(network, data);
            return network.Parameters.ToArray();
        }

        float[] first = Run();
        Assert.Equal(first, Run());
    }

    [Fact]
    public void Compute_gradient_is_not_affected_by_training_paths()
    {
        DenseNetwork network = NetworkBuilder.Input(5).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(4));
        Dataset data = RandomData(9, 5, 3, seed: 3);
        var trainer = new BackPropTrainer(new TrainerOptions { BatchSize = 4 }, Regularizer.ElasticNet(0.01f, 0.02f));
        float[] gradient = new float[network.ParameterCount];
        trainer.ComputeGradient(network, data, gradient);

        double[] expected = ReferenceGradient(network, data, 0.01, 0.02);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - gradient[i]) <= 1e-6, $"gradient[{i}]: expected {expected[i]}, got {gradient[i]}");
        }
    }

    [Fact]
    public void Degree_of_parallelism_is_validated()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackPropTrainer(new TrainerOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Equal(nameof(TrainerOptions.MaxDegreeOfParallelism), e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackPropTrainer(new TrainerOptions { MaxDegreeOfParallelism = -2 }));
    }

    internal static Dataset RandomData(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 4) - 2);
        }

        int[] labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return Dataset.FromLabels(x, features, labels, classes);
    }

    private static double[] ReferenceGradient(DenseNetwork network, Dataset data, double l1, double l2)
    {
        // One full-batch step with rate 1 from p gives p - gradient.
        var options = new TrainerOptions { Epochs = 1, LearningRate = 1f, BatchSize = data.Count, SampleOrder = SequentialSampleOrder.Instance };
        double[] after = ReferenceTrainer.Train(network, data, options, l1, l2);
        float[] before = network.Parameters.ToArray();
        return after.Select((v, i) => before[i] - v).ToArray();
    }

    private static void AssertMatchesReference(DenseNetwork start, Dataset data, TrainerOptions options, IRegularizer regularizer, double l1, double l2)
    {
        DenseNetwork network = start.Clone();
        TrainingResult result = new BackPropTrainer(options, regularizer).Train(network, data);
        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        double[] expected = ReferenceTrainer.Train(start, data, options, l1, l2);
        float[] actual = network.Parameters.ToArray();
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / (1 + Math.Abs(expected[i])));
        }

        Assert.True(worst <= 2e-5, $"largest relative difference from the reference: {worst} ({regularizer.Name}, batch {options.BatchSize}, {options.Loss})");

        // A wrong step (for example the regularizer left out) must be far outside the tolerance.
        Assert.NotEqual(start.Parameters.ToArray(), actual);
    }

    private static (double L1, double L2) Strengths(string name) => name switch
    {
        "L1" => (0.003, 0),
        "L2" => (0, 0.004),
        "ElasticNet" => (0.003, 0.004),
        _ => (0, 0),
    };

    private static IRegularizer BuiltIn(string name) => name switch
    {
        "L1" => Regularizer.L1(0.003f),
        "L2" => Regularizer.L2(0.004f),
        "ElasticNet" => Regularizer.ElasticNet(0.003f, 0.004f),
        _ => Regularizer.None,
    };

    /// <summary>Hides a built-in regularizer's type (optionally declaring another coupling): a user's regularizer delegating to it.</summary>
    private sealed class Wrapped(IRegularizer inner, RegularizerCoupling? coupling = null) : IRegularizer
    {
        public string Name => inner.Name;

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => inner.Penalty(weights, shape);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape) => inner.AddGradient(weights, gradient, shape);

        public RegularizerCoupling Coupling => coupling ?? inner.Coupling;

        public float WeightDecay => inner.WeightDecay;

        public float SignCoefficient => inner.SignCoefficient;

        public bool HasGradient => inner.HasGradient;

        public bool HasProximalStep => inner.HasProximalStep;

        public void ApplyProximal(Span<float> weights, ReadOnlySpan<float> stepSizes, ParameterShape shape) => inner.ApplyProximal(weights, stepSizes, shape);

        public IRegularizer Bind(ParameterShape shape) => new Wrapped(inner.Bind(shape), coupling);
    }

    /// <summary>A custom L1 through the public contract only (AddGradient and the default Update), as users write them.</summary>
    private sealed class PlainL1(float lambda) : IRegularizer
    {
        public string Name => "PlainL1";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => lambda * weights.ToArray().Sum(Math.Abs);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                gradient[i] += lambda * Math.Sign(weights[i]);
            }
        }
    }
}
