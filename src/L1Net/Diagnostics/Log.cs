using Microsoft.Extensions.Logging;

namespace L1Net.Diagnostics;

/// <summary>Every log message L1Net writes, source-generated; event ids are fixed and part of the public contract.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "TrainingStarted", Level = LogLevel.Information,
        Message = "Training {Network} on {Rows} rows: {Epochs} epochs, learning rate {LearningRate}, batch size {BatchSize}, loss {Loss}, regularizer {Regularizer}")]
    public static partial void TrainingStarted(ILogger logger, string network, int rows, int epochs, float learningRate, int batchSize, LossFunction loss, string regularizer);

    [LoggerMessage(EventId = 2, EventName = "EpochCompleted", Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F6} (data {DataLoss:F6} + penalty {Penalty:F6}), accuracy {Accuracy:F4}, sum |w| {WeightL1:F4}, zero weights {ZeroWeights}")]
    public static partial void EpochCompleted(ILogger logger, int epoch, int epochs, double loss, double dataLoss, double penalty, double accuracy, double weightL1, int zeroWeights);

    [LoggerMessage(EventId = 3, EventName = "TrainingCompleted", Level = LogLevel.Information,
        Message = "Training completed after {Epochs} epochs ({Steps} steps): loss {Loss:F6}")]
    public static partial void TrainingCompleted(ILogger logger, int epochs, long steps, double loss);

    [LoggerMessage(EventId = 4, EventName = "TrainingCancelled", Level = LogLevel.Warning,
        Message = "Training cancelled in epoch {Epoch} after {Steps} steps; the network holds the parameters of the last completed step")]
    public static partial void TrainingCancelled(ILogger logger, int epoch, long steps);

    [LoggerMessage(EventId = 5, EventName = "TrainingDiverged", Level = LogLevel.Warning,
        Message = "Training diverged in epoch {Epoch} at step {Step}: a loss or parameter became NaN or infinite; the network was restored to the parameters at the start of that epoch")]
    public static partial void TrainingDiverged(ILogger logger, int epoch, int step);
}
