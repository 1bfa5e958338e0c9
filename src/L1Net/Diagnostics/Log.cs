using Microsoft.Extensions.Logging;

namespace L1Net.Diagnostics;

/// <summary>Every log message L1Net writes, source-generated; event ids are fixed and part of the public contract.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "TrainingStarted", Level = LogLevel.Information,
        Message = "Training {Network} on {Rows} rows: {Epochs} epochs, learning rate {LearningRate}, batch size {BatchSize}, loss {Loss}, regularizer {Regularizer}")]
    private static partial void TrainingStartedCore(ILogger logger, string network, int rows, int epochs, float learningRate, int batchSize, LossFunction loss, string regularizer);

    [LoggerMessage(EventId = 2, EventName = "EpochCompleted", Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F6} (data {DataLoss:F6} + penalty {Penalty:F6}), accuracy {Accuracy:F4}, sum |w| {WeightL1:F4}, zero weights {ZeroWeights}")]
    private static partial void EpochCompletedCore(ILogger logger, int epoch, int epochs, double loss, double dataLoss, double penalty, double accuracy, double weightL1, int zeroWeights);

    [LoggerMessage(EventId = 3, EventName = "TrainingCompleted", Level = LogLevel.Information,
        Message = "Training completed after {Epochs} epochs ({Steps} steps): loss {Loss:F6}")]
    public static partial void TrainingCompleted(ILogger logger, int epochs, long steps, double loss);

    [LoggerMessage(EventId = 4, EventName = "TrainingCancelled", Level = LogLevel.Warning,
        Message = "Training cancelled in epoch {Epoch} after {Steps} steps; the network holds the parameters of the last completed step")]
    public static partial void TrainingCancelled(ILogger logger, int epoch, long steps);

    [LoggerMessage(EventId = 5, EventName = "TrainingDiverged", Level = LogLevel.Warning,
        Message = "Training diverged in epoch {Epoch} at step {Step}: a loss or parameter became NaN or infinite; the network was restored to the parameters at the start of that epoch")]
    public static partial void TrainingDiverged(ILogger logger, int epoch, int step);

    [LoggerMessage(EventId = 6, EventName = "DivergedStateUnusable", Level = LogLevel.Warning,
        Message = "The parameters at the start of diverging epoch {Epoch} have a non-finite loss on the training data ({Loss}); the network was restored to the parameters it had before training")]
    public static partial void DivergedStateUnusable(ILogger logger, int epoch, double loss);

    [LoggerMessage(EventId = 7, EventName = "TrainingPath", Level = LogLevel.Information,
        Message = "Training path: {Engine} on {Threads} thread(s), optimizer {Optimizer}, updates on {UpdateGranularity}")]
    public static partial void TrainingPath(ILogger logger, string engine, int threads, string optimizer, string updateGranularity);

    [LoggerMessage(EventId = 40, EventName = "LambdaMaxSearchStep", Level = LogLevel.Debug,
        Message = "lambda_max search: lambda {Lambda} leaves {NonzeroWeights} nonzero weights")]
    public static partial void LambdaMaxSearchStep(ILogger logger, float lambda, int nonzeroWeights);

    [LoggerMessage(EventId = 41, EventName = "LambdaMaxFound", Level = LogLevel.Information,
        Message = "lambda_max = {Lambda} (smallest lambda found whose training zeroes every weight; {Trainings} trainings, start {Start})")]
    public static partial void LambdaMaxFound(ILogger logger, float lambda, int trainings, float start);

    [LoggerMessage(EventId = 42, EventName = "PathPointCompleted", Level = LogLevel.Information,
        Message = "Path (fold {Fold}/{Folds}): lambda {Index}/{Count} = {Lambda}, {Start} start: loss {Loss:F6}, nonzero weights {NonzeroWeights}/{WeightCount}")]
    private static partial void PathPointCompletedCore(ILogger logger, int fold, int folds, int index, int count, float lambda, string start, double loss, int nonzeroWeights, int weightCount);

    [LoggerMessage(EventId = 43, EventName = "CrossValidationFoldStarted", Level = LogLevel.Information,
        Message = "Cross-validation fold {Fold}/{Folds}: {TrainRows} training rows, {ValidationRows} validation rows")]
    public static partial void CrossValidationFoldStarted(ILogger logger, int fold, int folds, int trainRows, int validationRows);

    [LoggerMessage(EventId = 44, EventName = "CrossValidationCompleted", Level = LogLevel.Information,
        Message = "Cross-validation by {Measure}: lambda.min {LambdaMin} ({NonzeroMin} nonzero weights), lambda.1se {Lambda1Se} ({Nonzero1Se} nonzero weights)")]
    public static partial void CrossValidationCompleted(ILogger logger, string measure, float lambdaMin, int nonzeroMin, float lambda1Se, int nonzero1Se);

    [LoggerMessage(EventId = 45, EventName = "EarlyStopped", Level = LogLevel.Information,
        Message = "Early stopping after epoch {Epoch}: the validation loss last improved at epoch {BestEpoch} ({BestLoss:F6}); the network was restored to that epoch's parameters")]
    public static partial void EarlyStopped(ILogger logger, int epoch, int bestEpoch, double bestLoss);

    [LoggerMessage(EventId = 46, EventName = "BudgetRefinementStep", Level = LogLevel.Information,
        Message = "Input budget {Budget}: inserted lambda {Lambda} between {Upper} ({UpperInputs} inputs) and {Lower} ({LowerInputs} inputs); the path on all the rows uses {Inputs} inputs there (round {Round}/{Rounds})")]
    private static partial void BudgetRefinementStepCore(ILogger logger, int budget, float lambda, float upper, int upperInputs, float lower, int lowerInputs, int inputs, int round, int rounds);

    [LoggerMessage(EventId = 60, EventName = "KernelWidthsChosen", Level = LogLevel.Debug,
        Message = "Kernels: matrix products at {GemmBits} bits, per-sample kernels at {SampleBits} bits, fused multiply-add {Fused} ({InstructionSets})")]
    public static partial void KernelWidthsChosen(ILogger logger, int gemmBits, int sampleBits, bool fused, string instructionSets);

    [LoggerMessage(EventId = 61, EventName = "FeatureScalesDiffer", Level = LogLevel.Warning,
        Message = "The training features' scales differ by a factor of {Ratio:G3}: feature {WidestFeature} has standard deviation {WidestDeviation:G4}, feature {NarrowestFeature} {NarrowestDeviation:G4}. Gradient descent converges poorly on such data and an L1/L2 penalty then depends on each feature's units; standardize the features (Standardizer, fitted on the training rows) before training")]
    public static partial void FeatureScalesDiffer(ILogger logger, double ratio, int widestFeature, double widestDeviation, int narrowestFeature, double narrowestDeviation);

    // Messages of more than six values are formatted by the generated code with string interpolation, in the current
    // culture ("learning rate 0,25" under de-DE); those of six or fewer go through LoggerMessage.Define, which formats
    // invariantly. These wrappers make the invariant culture current while the message is logged, so every event reads the
    // same on every machine (a provider that formats later, on another thread, sees that thread's culture).

    /// <summary>Event 1, <c>TrainingStarted</c>, with its numbers in the invariant culture.</summary>
    public static void TrainingStarted(ILogger logger, string network, int rows, int epochs, float learningRate, int batchSize, LossFunction loss, string regularizer)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            using (InvariantText.UseInvariantCulture())
            {
                TrainingStartedCore(logger, network, rows, epochs, learningRate, batchSize, loss, regularizer);
            }
        }
    }

    /// <summary>Event 2, <c>EpochCompleted</c>, with its numbers in the invariant culture.</summary>
    public static void EpochCompleted(ILogger logger, int epoch, int epochs, double loss, double dataLoss, double penalty, double accuracy, double weightL1, int zeroWeights)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            using (InvariantText.UseInvariantCulture())
            {
                EpochCompletedCore(logger, epoch, epochs, loss, dataLoss, penalty, accuracy, weightL1, zeroWeights);
            }
        }
    }

    /// <summary>Event 42, <c>PathPointCompleted</c>, with its numbers in the invariant culture.</summary>
    public static void PathPointCompleted(ILogger logger, int fold, int folds, int index, int count, float lambda, string start, double loss, int nonzeroWeights, int weightCount)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            using (InvariantText.UseInvariantCulture())
            {
                PathPointCompletedCore(logger, fold, folds, index, count, lambda, start, loss, nonzeroWeights, weightCount);
            }
        }
    }

    /// <summary>Event 46, <c>BudgetRefinementStep</c>, with its numbers in the invariant culture.</summary>
    public static void BudgetRefinementStep(ILogger logger, int budget, float lambda, float upper, int upperInputs, float lower, int lowerInputs, int inputs, int round, int rounds)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            using (InvariantText.UseInvariantCulture())
            {
                BudgetRefinementStepCore(logger, budget, lambda, upper, upperInputs, lower, lowerInputs, inputs, round, rounds);
            }
        }
    }
}
