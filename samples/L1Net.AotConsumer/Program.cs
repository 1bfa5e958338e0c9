using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Serialization;
using L1Net.Training;

// Three noisy clusters in 4 dimensions: features as float[rows, columns], labels as int[rows].
var random = new Random(1);
var features = new float[300, 4];
var labels = new int[300];
for (int r = 0; r < 300; r++)
{
    labels[r] = r % 3;
    for (int c = 0; c < 4; c++)
    {
        features[r, c] = (c == labels[r] ? 2f : 0f) + (float)((random.NextDouble() * 2) - 1);
    }
}

Dataset data = Dataset.FromLabels(features, labels, classCount: 3);
(Dataset train, Dataset test) = DataSplit.TrainValidation(data, 0.2, seed: 1);   // stratified by class

DenseNetwork network = NetworkBuilder.Input(4)
    .Dense(8, Activation.Tanh)
    .Dense(3, Activation.Softmax)
    .Build(new GlorotUniformInitializer(seed: 1));

var trainer = new BackPropTrainer(
    new TrainerOptions { Epochs = 200, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 1 },
    Regularizer.ProximalL1(0.01f));                                   // exact zeros; Regularizer.L1, L2, ElasticNet, ...

TrainingResult result = trainer.Train(network, train);
Console.WriteLine($"{result.StopReason}: test accuracy {Metrics.Accuracy(network, test):F3}");
Console.WriteLine($"exact-zero weights: {WeightStatistics.Compute(network).ExactZeros} of {network.Layers.Sum(l => l.WeightCount)}");

string json = NetworkSerializer.ToJson(network);                  // or SaveToFile / LoadFromFile (atomic save)
DenseNetwork reloaded = NetworkSerializer.FromJson(json);
Console.WriteLine($"reloaded: {reloaded}, same parameters: {reloaded.Parameters.SequenceEqual(network.Parameters)}");
