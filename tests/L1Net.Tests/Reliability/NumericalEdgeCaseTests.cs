namespace L1Net.Tests.Reliability;

/// <summary>Extreme but finite inputs give finite outputs, finite losses and gradients, and sane training.</summary>
public class NumericalEdgeCaseTests
{
    /// <summary>A 1-input softmax layer whose logits are exactly <c>weights * 1 + 0</c>.</summary>
    private static DenseNetwork Logits(params float[] logits)
    {
        var network = new DenseNetwork(1, [new LayerSpec(logits.Length, Activation.Softmax)]);
        logits.CopyTo(network.GetWeights(0));
        return network;
    }

    [Fact]
    public void Softmax_of_huge_logits_is_exact_and_finite()
    {
        Span<float> o = stackalloc float[3];
        Logits(1e30f, -1e30f, 0f).Predict([1f], o);
        Assert.Equal([1f, 0f, 0f], o.ToArray());

        Logits(1e30f, 1e30f, 1e30f).Predict([1f], o);
        Assert.All(o.ToArray(), v => Assert.Equal(1f / 3f, v, 6));

        Logits(-1e30f, -1e30f, -3e38f).Predict([1f], o);
        Assert.Equal([0.5f, 0.5f, 0f], o.ToArray());
    }

    [Fact]
    public void Cross_entropy_with_a_softmax_output_at_exactly_0_and_1_is_finite()
    {
        DenseNetwork network = Logits(1e30f, -1e30f);
        Dataset right = Dataset.FromLabels(new float[,] { { 1 } }, [0], 2);
        Dataset wrong = Dataset.FromLabels(new float[,] { { 1 } }, [1], 2);

        Assert.Equal(0d, Metrics.CrossEntropy(network, right));
        double worst = Metrics.CrossEntropy(network, wrong);
        Assert.Equal(-Math.Log(1e-12), worst, 3); // the documented floor, not infinity

        var gradient = new float[network.ParameterCount];
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 1 });
        Assert.True(double.IsFinite(trainer.ComputeGradient(network, wrong, gradient)));
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(1f, gradient[0]); // dE/dz = o - t = (1, 0) - (0, 1), times the input 1
    }

    [Fact]
    public void Cross_entropy_with_a_sigmoid_output_saturated_at_exactly_0_and_1_is_finite()
    {
        // z = +-100: the float sigmoid is exactly 1 and exactly 0 (well, 3.7e-44) there.
        var network = new DenseNetwork(1, [new LayerSpec(2, Activation.Sigmoid)]);
        network.GetWeights(0)[0] = 100f;
        network.GetWeights(0)[1] = -100f;
        Span<float> o = stackalloc float[2];
        network.Predict([1f], o);
        Assert.Equal(1f, o[0]);

        Dataset right = Dataset.FromTargets(new float[,] { { 1 } }, new float[,] { { 1, 0 } });
        Dataset wrong = Dataset.FromTargets(new float[,] { { 1 } }, new float[,] { { 0, 1 } });
        Dataset half = Dataset.FromTargets(new float[,] { { 1 } }, new float[,] { { 0.5f, 0.5f } });

        Assert.Equal(0d, Metrics.CrossEntropy(network, right), 6);
        Assert.InRange(Metrics.CrossEntropy(network, wrong), 50, 2 * 28);
        Assert.True(double.IsFinite(Metrics.CrossEntropy(network, half)));

        // Training from the saturated state is not mistaken for divergence, and it moves toward the targets.
        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 50, LearningRate = 1f }).Train(network, wrong);
        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.True(result.Final.Loss < Metrics.CrossEntropy(Saturated(), wrong));
    }

    private static DenseNetwork Saturated()
    {
        var network = new DenseNetwork(1, [new LayerSpec(2, Activation.Sigmoid)]);
        network.GetWeights(0)[0] = 100f;
        network.GetWeights(0)[1] = -100f;
        return network;
    }

    [Fact]
    public void Tanh_saturation_keeps_training_finite_and_blocks_the_gradient_through_saturated_units()
    {
        // Inputs of magnitude 1e4 drive every tanh unit to exactly +-1, where its derivative (1 - a)(1 + a) is 0.
        DenseNetwork network = NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        Dataset data = Fixtures.Data(12);
        var features = new float[12, 3];
        for (int r = 0; r < 12; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                features[r, c] = data.GetFeatures(r)[c] >= 0 ? 1e4f : -1e4f;
            }
        }

        Dataset huge = Dataset.FromLabels(features, data.Labels.ToArray(), 3);
        float[] hiddenWeights = network.GetWeights(0).ToArray();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 20, LearningRate = 0.1f }).Train(network, huge);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.True(double.IsFinite(result.Final.Loss));
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
        Assert.Equal(hiddenWeights, network.GetWeights(0).ToArray()); // no gradient reached the saturated layer
        Assert.NotEqual(0, WeightStatistics.FromValues(network.GetBiases(1)).L1Norm); // the output layer learned
    }

    [Fact]
    public void All_zero_inputs_train_only_the_biases()
    {
        DenseNetwork network = Fixtures.Network();
        float[] weights0 = network.GetWeights(0).ToArray();
        Dataset zeros = Dataset.FromLabels(new float[6, 3], [0, 1, 2, 0, 0, 0], 3);

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 200, LearningRate = 0.1f }).Train(network, zeros);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(weights0, network.GetWeights(0).ToArray()); // the input is 0, so is the first layer's weight gradient
        Span<float> o = stackalloc float[3];
        network.Predict(new float[3], o);
        Assert.Equal(4f / 6f, o[0], 0.05f); // the best constant answer is the class frequencies
        Assert.Equal(1f / 6f, o[1], 0.05f);
    }

    [Fact]
    public void Constant_features_learn_the_class_frequencies()
    {
        var features = new float[8, 3];
        for (int r = 0; r < 8; r++)
        {
            features[r, 0] = 5f;
            features[r, 1] = -2f;
            features[r, 2] = 0.25f;
        }

        Dataset constant = Dataset.FromLabels(features, [1, 1, 1, 1, 1, 1, 0, 2], 3);
        DenseNetwork network = Fixtures.Network();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 300, LearningRate = 0.05f }).Train(network, constant);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Span<float> o = stackalloc float[3];
        network.Predict(constant.GetFeatures(0), o);
        Assert.Equal(6f / 8f, o[1], 0.05f);
        Assert.Equal(0.75, result.Final.Accuracy); // every row gets the majority class
    }

    [Fact]
    public void Single_class_data_trains_to_full_accuracy()
    {
        Dataset data = Fixtures.Data(10);
        Dataset single = Dataset.FromLabels(data.Features, data.FeatureCount, new int[10], 3);
        DenseNetwork network = Fixtures.Network();
        double initial = Metrics.CrossEntropy(network, single);

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 30, LearningRate = 0.1f }).Train(network, single);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(1d, result.Final.Accuracy);
        Assert.True(result.Final.DataLoss < initial / 4, $"loss {result.Final.DataLoss} from {initial}");
        Assert.True(result.Final.DataLoss > 0);
    }

    [Fact]
    public void A_single_row_trains_with_any_batch_size()
    {
        Dataset one = Fixtures.Data(1);
        foreach (int batch in new[] { 1, 2, int.MaxValue })
        {
            DenseNetwork network = Fixtures.Network();
            TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 5, BatchSize = batch }).Train(network, one);
            Assert.Equal(TrainingStopReason.Completed, result.StopReason);
            Assert.Equal(5, result.Steps);
        }
    }

    [Fact]
    public void A_batch_size_of_int_MaxValue_is_one_full_batch_per_epoch()
    {
        // (Count + BatchSize - 1) overflowed here once, silently giving zero steps per epoch.
        Dataset data = Fixtures.Data(12);
        DenseNetwork full = Fixtures.Network(), exact = Fixtures.Network();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 3, BatchSize = int.MaxValue, SampleOrder = SequentialSampleOrder.Instance }).Train(full, data);
        new BackPropTrainer(new TrainerOptions { Epochs = 3, BatchSize = 12, SampleOrder = SequentialSampleOrder.Instance }).Train(exact, data);

        Assert.Equal(3, result.Steps);
        Fixtures.AssertBitIdentical(Fixtures.Bits(exact), full);
    }

    [Fact]
    public void Targets_so_large_that_the_squared_error_overflows_stop_as_diverged_before_any_step()
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(1, Activation.Identity).Build(new GlorotUniformInitializer(1));
        uint[] before = Fixtures.Bits(network);
        Dataset data = Dataset.FromTargets(new float[,] { { 1, 2 }, { 3, 4 } }, new float[,] { { 3e38f }, { -3e38f } });

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Loss = LossFunction.SquaredError, Epochs = 3 }).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.StopEpoch);
        Assert.Equal(1, result.StopStep);
        Fixtures.AssertBitIdentical(before, network);
    }
}
