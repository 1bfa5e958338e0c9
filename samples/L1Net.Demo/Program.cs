using System.Globalization;
using L1Net;
using L1Net.Seed;

// First version of the seed demo: the article's data and a 10-8-4 tanh/softmax network trained by per-sample SGD
// with squared error, once without and once with L1 (lambda 0.001), using L1Net's own (correct) math.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Dataset train = ToDataset(SeedData.Train());
Dataset test = ToDataset(SeedData.Test());
Console.WriteLine("Creating a 10-8-4 neural network classifier");
Console.WriteLine("Setting maxEpochs = 500");
Console.WriteLine("Setting learning rate = 0.010");

foreach ((string name, IRegularizer regularizer) in new[] { ("no regularization", Regularizer.None), ("L1 (lambda = 0.001)", Regularizer.L1(0.001f)) })
{
    DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax)
        .Build(new UniformInitializer(-0.01f, 0.01f, seed: 0));
    var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 500, LearningRate = 0.01f, Loss = LossFunction.SquaredError, Seed = 0 }, regularizer);
    trainer.Train(network, train);
    WeightStatistics stats = WeightStatistics.Compute(network);
    Console.WriteLine($"{name,-22} train {Metrics.Accuracy(network, train):F4}  test {Metrics.Accuracy(network, test):F4}  sum|w| {stats.L1Norm:F4}  |w|<1e-3 {stats.BelowThreshold}  zeros {stats.ExactZeros}");
}

static Dataset ToDataset(SeedRows rows) =>
    Dataset.FromLabels(rows.Features.Span, rows.FeatureCount, rows.Labels.ToArray(), rows.ClassCount);
