namespace L1Net.Tests.Regularization;

/// <summary>Training with the regularizers that reach zero, on a problem with known irrelevant inputs.</summary>
public class SparsityTrainingTests
{
    private static readonly Dataset Data = SparsityProblem.Create(1000, 7);

    private static readonly TrainerOptions MiniBatch = MiniBatchOptions();

    private static TrainerOptions MiniBatchOptions(int epochs = 60, int reportInterval = 10) =>
        new() { Epochs = epochs, LearningRate = 0.05f, BatchSize = 10, Seed = 3, ReportInterval = reportInterval };

    [Fact]
    public void Cumulative_L1_zeroes_every_weight_from_an_irrelevant_input_and_keeps_the_informative_ones()
    {
        DenseNetwork net = SparsityProblem.Network();
        TrainingResult result = new BackPropTrainer(MiniBatch, Regularizer.CumulativeL1(0.02f)).Train(net, Data);

        Assert.All(SparsityProblem.IrrelevantWeights(net), w => Assert.Equal(0f, w));
        Assert.Contains(SparsityProblem.InformativeWeights(net), w => w != 0f);
        Assert.True(result.Final.Accuracy > 0.9, $"accuracy {result.Final.Accuracy}");
    }

    [Fact]
    public void Full_batch_proximal_L1_zeroes_every_weight_from_an_irrelevant_input()
    {
        DenseNetwork net = SparsityProblem.Network();
        var options = new TrainerOptions { Epochs = 400, LearningRate = 1f, BatchSize = Data.Count, Seed = 3 };
        TrainingResult result = new BackPropTrainer(options, Regularizer.ProximalL1(0.02f)).Train(net, Data);

        Assert.All(SparsityProblem.IrrelevantWeights(net), w => Assert.Equal(0f, w));
        Assert.Contains(SparsityProblem.InformativeWeights(net), w => w != 0f);
        Assert.True(result.Final.Accuracy > 0.9, $"accuracy {result.Final.Accuracy}");
    }

    [Fact]
    public void Subgradient_L1_with_the_same_settings_leaves_no_weight_exactly_zero()
    {
        DenseNetwork net = SparsityProblem.Network();
        TrainingResult result = new BackPropTrainer(MiniBatch, Regularizer.L1(0.02f)).Train(net, Data);

        Assert.Equal(0, result.Final.ZeroWeights);
        Assert.Equal(0, WeightStatistics.Compute(net).ExactZeros);
    }

    [Theory]
    [MemberData(nameof(Sparse))]
    public void Reported_penalty_and_sparsity_agree_with_the_weights(string name)
    {
        IRegularizer regularizer = Create(name, 0.02f);
        DenseNetwork net = SparsityProblem.Network();
        var reports = new List<EpochReport>();
        TrainingResult result = new BackPropTrainer(MiniBatchOptions(reportInterval: 20), regularizer).Train(net, Data, new Progress(reports));

        int zeros = 0;
        double l1 = 0;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            foreach (float w in net.GetWeights(l))
            {
                zeros += w == 0f ? 1 : 0;
                l1 += Math.Abs(w);
            }
        }

        Assert.True(zeros > 0);
        Assert.Equal(zeros, result.Final.ZeroWeights);
        Assert.Equal(zeros, WeightStatistics.Compute(net).ExactZeros);
        Assert.Equal(zeros, reports[^1].ZeroWeights);
        Assert.Equal(0.02 * l1, result.Final.Penalty, 5);
        Assert.Equal(l1, result.Final.WeightL1, 4);
        Assert.Equal(l1, WeightStatistics.Compute(net).L1Norm, 4);
    }

    [Theory]
    [MemberData(nameof(Sparse))]
    public void Training_is_deterministic_and_a_reused_regularizer_starts_afresh_every_call(string name)
    {
        IRegularizer regularizer = Create(name, 0.02f);
        var trainer = new BackPropTrainer(MiniBatchOptions(5), regularizer);

        DenseNetwork a = SparsityProblem.Network();
        DenseNetwork b = SparsityProblem.Network();
        trainer.Train(a, Data);
        trainer.Train(b, Data);

        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
    }

    [Fact]
    public void Cumulative_L1_with_regularized_biases_keeps_separate_state_for_weights_and_biases()
    {
        // One input: each layer's weight span and bias span have the same length, so only binding per span keeps them apart.
        Dataset data = Dataset.FromLabels(new float[,] { { -1f }, { -0.5f }, { 0.5f }, { 1f } }, [0, 0, 1, 1], 2);
        DenseNetwork net = NetworkBuilder.Input(1).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(4));
        net.GetBiases(0)[0] = 0.3f;
        var options = new TrainerOptions { Epochs = 50, LearningRate = 0.1f, RegularizeBiases = true, SampleOrder = SequentialSampleOrder.Instance };

        TrainingResult result = new BackPropTrainer(options, Regularizer.CumulativeL1(10f)).Train(net, data);

        Assert.All(net.Parameters.ToArray(), p => Assert.Equal(0f, p));
        Assert.Equal(2, result.Final.ZeroWeights);
    }

    [Fact]
    public void A_custom_stateless_regularizer_that_ignores_Bind_still_trains()
    {
        var custom = new HalfL2();
        Assert.Same(custom, ((IRegularizer)custom).Bind(5));

        DenseNetwork a = SparsityProblem.Network();
        DenseNetwork b = SparsityProblem.Network();
        new BackPropTrainer(MiniBatchOptions(3), custom).Train(a, Data);
        new BackPropTrainer(MiniBatchOptions(3), Regularizer.L2(0.5f)).Train(b, Data);

        float[] pa = a.Parameters.ToArray();
        float[] pb = b.Parameters.ToArray();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.Equal(pb[i], pa[i], 5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_trainer_binds_every_regularized_span_afresh_at_the_start_of_every_call(bool regularizeBiases)
    {
        var spy = new BindSpy();
        DenseNetwork net = NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(2, Activation.Softmax).Build();
        Dataset data = Dataset.FromLabels(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, [0, 1, 1], 2);
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 2, RegularizeBiases = regularizeBiases }, spy);

        trainer.Train(net, data);
        trainer.Train(net, data);

        int[] perCall = regularizeBiases ? [12, 4, 8, 2] : [12, 8];
        Assert.Equal([.. perCall, .. perCall], spy.Bound.Select(b => b.Length));
        Assert.All(spy.Bound, b => Assert.Equal(Enumerable.Repeat(b.Length, 6), b.AfterUpdateLengths));
    }

    public static TheoryData<string> Sparse => new() { "ProximalL1", "CumulativeL1", "ProximalElasticNet" };

    private static IRegularizer Create(string name, float lambda) => name switch
    {
        "ProximalL1" => Regularizer.ProximalL1(lambda),
        "CumulativeL1" => Regularizer.CumulativeL1(lambda),
        _ => Regularizer.ProximalElasticNet(lambda, 0f),
    };

    private sealed class Progress(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }

    private sealed class BindSpy : IRegularizer
    {
        public List<BoundSpy> Bound { get; } = [];

        public string Name => "Spy";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
        }

        public bool HasProximalStep => true;

        public void ApplyProximal(Span<float> weights, ReadOnlySpan<float> stepSizes, ParameterShape shape) => throw new InvalidOperationException("unbound");

        public IRegularizer Bind(ParameterShape shape)
        {
            var bound = new BoundSpy(shape.TotalLength);
            Bound.Add(bound);
            return bound;
        }
    }

    private sealed class BoundSpy(int length) : IRegularizer
    {
        public int Length => length;

        public List<int> AfterUpdateLengths { get; } = [];

        public string Name => "Spy";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
        }

        public bool HasProximalStep => true;

        public void ApplyProximal(Span<float> weights, ReadOnlySpan<float> stepSizes, ParameterShape shape) => AfterUpdateLengths.Add(weights.Length);
    }

    /// <summary>A user's regularizer written against the original contract: no Bind, no AfterUpdate.</summary>
    private sealed class HalfL2 : IRegularizer
    {
        public string Name => "HalfL2";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => 0.25 * System.Numerics.Tensors.TensorPrimitives.SumOfSquares(weights);

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                gradient[i] += 0.5f * weights[i];
            }
        }
    }
}
