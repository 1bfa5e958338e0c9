using BenchmarkDotNet.Attributes;
using L1Net;

namespace L1Net.Benchmarks;

/// <summary>What does a regularizer cost over none? One epoch of per-sample SGD on the seed-shaped 10-8-4 network, 200 rows.</summary>
[MemoryDiagnoser]
public class RegularizerOverheadBenchmarks
{
    private DenseNetwork _network = null!;
    private Dataset _data = null!;
    private BackPropTrainer _trainer = null!;

    /// <summary>The regularizer under test.</summary>
    [Params("None", "L1", "L2", "ElasticNet")]
    public string Regularizer { get; set; } = "None";

    [GlobalSetup]
    public void Setup()
    {
        _network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var random = new Random(42);
        var features = new float[200, 10];
        var labels = new int[200];
        for (int r = 0; r < 200; r++)
        {
            for (int c = 0; c < 10; c++)
            {
                features[r, c] = (float)((random.NextDouble() * 16) - 8);
            }

            labels[r] = random.Next(4);
        }

        _data = Dataset.FromLabels(features, labels, 4);
        IRegularizer regularizer = Regularizer switch
        {
            "L1" => L1Net.Regularizer.L1(0.001f),
            "L2" => L1Net.Regularizer.L2(0.001f),
            "ElasticNet" => L1Net.Regularizer.ElasticNet(0.001f, 0.001f),
            _ => L1Net.Regularizer.None,
        };
        _trainer = new BackPropTrainer(new TrainerOptions { Epochs = 1, LearningRate = 0.01f, Loss = LossFunction.SquaredError, ReportInterval = 1000 }, regularizer);
    }

    /// <summary>One epoch (200 steps) of per-sample SGD.</summary>
    [Benchmark]
    public TrainingResult TrainOneEpoch() => _trainer.Train(_network, _data);
}
