using L1Net.Diagnostics;
using L1Net.Training;

namespace L1Net.Seed;

/// <summary>The outcome of a <see cref="SeedRun"/>.</summary>
/// <param name="Run">The run.</param>
/// <param name="StopReason">How training ended (<see cref="TrainingStopReason.Diverged"/> leaves the parameters of the last finite epoch).</param>
/// <param name="TrainAccuracy">Accuracy on the training rows.</param>
/// <param name="TestAccuracy">Accuracy on the test rows.</param>
/// <param name="Weights">Statistics of the trained network's weights (biases excluded), threshold 1e-3.</param>
/// <param name="Errors">The "ms error" (<see cref="Metrics.MeanSquaredError"/> on the training rows) after every report interval, as (epoch, error).</param>
/// <param name="Parameters">The trained network's parameters, in L1Net's layout.</param>
public sealed record SeedRunResult(
    SeedRun Run,
    TrainingStopReason StopReason,
    double TrainAccuracy,
    double TestAccuracy,
    WeightStatistics Weights,
    IReadOnlyList<(int Epoch, double Error)> Errors,
    IReadOnlyList<float> Parameters);
