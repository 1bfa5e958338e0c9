using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Serialization;
using L1Net.Training;
using Microsoft.Extensions.Logging;

// A consumer of the L1Net NuGet package: trains a 2-8-2 network on two noisy interleaved classes with L1,
// saves and reloads it, and checks the reloaded model predicts the same. Exit code 0 only when all of that works.
// It runs on exactly L1Net's lower dependency bounds (see the project file), logging through a minimal ILogger.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const int rows = 400;
var random = new Random(7);
var features = new float[rows, 2];
var labels = new int[rows];
for (int r = 0; r < rows; r++)
{
    float x = (float)((random.NextDouble() * 4) - 2);
    float y = (float)((random.NextDouble() * 4) - 2);
    features[r, 0] = x;
    features[r, 1] = y;
    labels[r] = x * y > 0 ? 1 : 0; // XOR-like quadrants
}

Dataset data = Dataset.FromLabels(features, labels, classCount: 2);
DenseNetwork network = NetworkBuilder.Input(2).Dense(8, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 3));
var logger = new CountingLogger();
var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 200, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 1, ReportInterval = 50 }, Regularizer.L1(1e-4f), logger);
TrainingResult result = trainer.Train(network, data);
double accuracy = Metrics.Accuracy(network, data);

string path = Path.Combine(Path.GetTempPath(), $"l1net-consumer-{Environment.ProcessId}.json");
NetworkSerializer.SaveToFile(network, path);
DenseNetwork reloaded = NetworkSerializer.LoadFromFile(path);
File.Delete(path);
bool same = network.Parameters.SequenceEqual(reloaded.Parameters);

Console.WriteLine($"L1Net package consumer: {network}, {result.EpochsCompleted} epochs, accuracy {accuracy:F4}, sum |w| {WeightStatistics.Compute(network).L1Norm:F3}, reload identical: {same}, {logger.Count} log events");
return accuracy > 0.9 && same && logger.Count == 7 ? 0 : 1; // started, the training path (event 7), epochs 50/100/150/200, completed

/// <summary>Counts the events L1Net logs (started, every ReportInterval-th epoch, completed).</summary>
internal sealed class CountingLogger : ILogger
{
    public int Count { get; private set; }

    IDisposable ILogger.BeginScope<TState>(TState state) => NoScope.Instance;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel) && formatter(state, exception).Length > 0)
        {
            Count++;
        }
    }
}

internal sealed class NoScope : IDisposable
{
    public static readonly NoScope Instance = new();

    public void Dispose()
    {
    }
}
