using L1Net.Serialization;

namespace L1Net.Tests.Reliability;

/// <summary>
/// Prediction on a trained network is safe from many threads; a second training of the same network while one runs is
/// detected and rejected without touching the network.
/// </summary>
public class ConcurrencyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private static float[] Inputs(int rows, int inputs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * inputs).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
    }

    [Theory]
    [InlineData(8, 16)]
    [InlineData(1100, 40)] // more than 1024 units in total: the pooled-buffer path
    public void Predict_from_many_threads_gives_the_single_threaded_results_bit_for_bit(int hidden, int hidden2)
    {
        DenseNetwork network = NetworkBuilder.Input(6).Dense(hidden, Activation.Tanh).Dense(hidden2, Activation.ReLU).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(5));
        const int rows = 256;
        float[] inputs = Inputs(rows, 6, 1);
        var expected = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            network.Predict(inputs.AsSpan(r * 6, 6), expected.AsSpan(r * 4, 4));
        }

        // PredictBatch runs the GEMM (one multiply-add chain per element), Predict a dot product per unit: each is compared with itself on one thread.
        var expectedBatch = new float[rows * 4];
        network.PredictBatch(inputs, expectedBatch);

        uint[] parameters = Fixtures.Bits(network);
        var actual = new float[8][];
        var batch = new float[8][];
        Parallel.For(0, 8 * rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int worker = i / rows, r = i % rows;
            lock (actual)
            {
                actual[worker] ??= new float[rows * 4];
            }

            Span<float> output = stackalloc float[4];
            network.Predict(inputs.AsSpan(r * 6, 6), output);
            output.CopyTo(actual[worker].AsSpan(r * 4, 4));
            if (r == 0)
            {
                var all = new float[rows * 4];
                network.PredictBatch(inputs, all);
                batch[worker] = all;
            }
        });

        for (int w = 0; w < 8; w++)
        {
            Assert.Equal(Bits(expected), Bits(actual[w]));
            Assert.Equal(Bits(expectedBatch), Bits(batch[w]));
        }

        Fixtures.AssertBitIdentical(parameters, network);
    }

    [Fact]
    public void Metrics_and_saving_from_many_threads_agree_with_one_thread()
    {
        DenseNetwork network = Fixtures.Network();
        Dataset data = Fixtures.Data(64);
        new BackPropTrainer(new TrainerOptions { Epochs = 20, LearningRate = 0.1f }).Train(network, data);
        double accuracy = Metrics.Accuracy(network, data), crossEntropy = Metrics.CrossEntropy(network, data);
        string json = NetworkSerializer.ToJson(network);

        var results = new (double Accuracy, double CrossEntropy, string Json)[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = (Metrics.Accuracy(network, data), Metrics.CrossEntropy(network, data), NetworkSerializer.ToJson(network)));

        Assert.All(results, r =>
        {
            Assert.Equal(accuracy, r.Accuracy);
            Assert.Equal(BitConverter.DoubleToInt64Bits(crossEntropy), BitConverter.DoubleToInt64Bits(r.CrossEntropy));
            Assert.Equal(json, r.Json);
        });
    }

    [Fact]
    public async Task A_second_Train_of_the_same_network_from_another_thread_throws_and_the_first_is_unaffected()
    {
        Dataset data = Fixtures.Data();
        var options = new TrainerOptions { Epochs = 4, LearningRate = 0.1f, ReportInterval = 1 };
        DenseNetwork solo = Fixtures.Network();
        new BackPropTrainer(options).Train(solo, data);

        DenseNetwork network = Fixtures.Network();
        using var inTraining = new ManualResetEventSlim();
        using var attempted = new ManualResetEventSlim();
        var progress = new SyncProgress(r =>
        {
            if (r.Epoch == 2)
            {
                inTraining.Set();
                Assert.True(attempted.Wait(Patience), "the second training never came");
            }
        });

        Task<TrainingResult> first = Task.Run(() => new BackPropTrainer(options).Train(network, data, progress));
        Assert.True(inTraining.Wait(Patience), "the first training never reached epoch 2");
        uint[] during = Fixtures.Bits(network);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => new BackPropTrainer(options).Train(network, data));
        Assert.Contains("already being trained", e.Message, StringComparison.Ordinal);
        Fixtures.AssertBitIdentical(during, network);
        attempted.Set();

        TrainingResult result = await first;
        Assert.True(result.Completed);
        Fixtures.AssertBitIdentical(Fixtures.Bits(solo), network);

        // The network is free again afterwards.
        Assert.True(new BackPropTrainer(options).Train(network, data).Completed);
    }

    [Fact]
    public void A_reentrant_Train_from_the_progress_callback_throws_and_the_outer_training_continues()
    {
        Dataset data = Fixtures.Data();
        var options = new TrainerOptions { Epochs = 3, LearningRate = 0.1f, ReportInterval = 1 };
        DenseNetwork solo = Fixtures.Network();
        new BackPropTrainer(options).Train(solo, data);

        DenseNetwork network = Fixtures.Network();
        var trainer = new BackPropTrainer(options);
        var caught = new List<Exception>();
        var predictions = new List<float>();
        var progress = new SyncProgress(_ =>
        {
            caught.Add(Record.Exception(() => trainer.Train(network, data))!);

            // Reading the network from the callback is allowed.
            Span<float> o = stackalloc float[3];
            network.Predict(data.GetFeatures(0), o);
            predictions.Add(o[0]);
        });

        TrainingResult result = trainer.Train(network, data, progress);

        Assert.True(result.Completed);
        Assert.Equal(3, caught.Count);
        Assert.All(caught, e => Assert.IsType<InvalidOperationException>(e));
        Assert.Equal(3, predictions.Count);
        Fixtures.AssertBitIdentical(Fixtures.Bits(solo), network);
    }

    [Fact]
    public void The_busy_mark_is_released_when_Train_throws()
    {
        DenseNetwork network = Fixtures.Network();
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 3, ReportInterval = 1 });
        var failing = new SyncProgress(_ => throw new TimeoutException("progress failure"));

        Assert.Throws<TimeoutException>(() => trainer.Train(network, Fixtures.Data(), failing));
        Assert.Throws<ArgumentException>("data", () => trainer.Train(network, Fixtures.Data(inputs: 5)));

        Assert.True(trainer.Train(network, Fixtures.Data()).Completed);
    }

    [Fact]
    public void One_trainer_trains_different_networks_on_many_threads_at_once()
    {
        Dataset data = Fixtures.Data(24);
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 10, LearningRate = 0.1f, BatchSize = 3 }, Regularizer.L1(1e-3f));
        uint[][] solo = Enumerable.Range(0, 4).Select(seed =>
        {
            DenseNetwork n = Fixtures.Network(seed: seed);
            trainer.Train(n, data);
            return Fixtures.Bits(n);
        }).ToArray();

        var networks = Enumerable.Range(0, 16).Select(i => Fixtures.Network(seed: i % 4)).ToArray();
        Parallel.For(0, networks.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => trainer.Train(networks[i], data));

        for (int i = 0; i < networks.Length; i++)
        {
            Fixtures.AssertBitIdentical(solo[i % 4], networks[i]);
        }
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();
}
