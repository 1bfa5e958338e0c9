// The getting-started walkthrough (docs/getting-started.md shows this file; a test keeps the two identical).
using System.Globalization;
using L1Net;
using L1Net.Serialization;
using Microsoft.Extensions.Logging;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. Data: features as float[rows, columns], class labels as int[rows]. Here: three noisy clusters in 4 dimensions.
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

Dataset all = Dataset.FromLabels(features, labels, classCount: 3);
Dataset train = all.Subset(Enumerable.Range(0, 240).ToArray());
Dataset test = all.Subset(Enumerable.Range(240, 60).ToArray());

// 2. A network: 4 inputs -> 8 tanh -> 3 softmax, Glorot-uniform weights from a seed.
DenseNetwork network = NetworkBuilder.Input(4)
    .Dense(8, Activation.Tanh)
    .Dense(3, Activation.Softmax)
    .Build(new GlorotUniformInitializer(seed: 42));

// 3. A trainer: options are validated here; the regularizer is a strategy (None, L1, L2, ElasticNet or your own).
using ILoggerFactory loggerFactory = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
var trainer = new BackPropTrainer(
    new TrainerOptions
    {
        Epochs = 50,
        LearningRate = 0.05f,
        BatchSize = 16,
        Loss = LossFunction.CrossEntropy,
        Seed = 7,
        ReportInterval = 25,
    },
    Regularizer.L1(0.0005f),
    loggerFactory.CreateLogger("L1Net"));

// 4. Train. Progress arrives through the logger and, if you want it, an IProgress<EpochReport>.
TrainingResult result = trainer.Train(network, train, new Progress<EpochReport>(_ => { }));
Console.WriteLine($"{result.StopReason} after {result.EpochsCompleted} epochs, training loss {result.Final.Loss:F4}");

// 5. Evaluate, and look at what the regularizer did to the weights.
WeightStatistics weights = WeightStatistics.Compute(network, threshold: 1e-3f);
Console.WriteLine($"test accuracy {Metrics.Accuracy(network, test):F4}, sum |w| {weights.L1Norm:F3}, |w| < 1e-3: {weights.BelowThreshold} of {weights.Count}");

// 6. Predict one row.
Span<float> probabilities = stackalloc float[3];
network.Predict(test.GetFeatures(0), probabilities);
Console.WriteLine($"row 0: label {test.GetLabel(0)}, probabilities {string.Join(", ", probabilities.ToArray().Select(p => p.ToString("F3")))}");

// 7. Save and load: versioned JSON, bit-exact.
string path = Path.Combine(Path.GetTempPath(), "getting-started-model.json");
NetworkSerializer.SaveToFile(network, path);
DenseNetwork loaded = NetworkSerializer.LoadFromFile(path);
Console.WriteLine($"reloaded {loaded}: identical parameters = {loaded.Parameters.SequenceEqual(network.Parameters)}");
