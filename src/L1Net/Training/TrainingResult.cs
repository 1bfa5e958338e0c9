namespace L1Net;

/// <summary>Why a training call stopped.</summary>
public enum TrainingStopReason
{
    /// <summary>All epochs ran.</summary>
    Completed = 0,

    /// <summary>The cancellation token was signalled; the network holds the parameters of the last completed step.</summary>
    Cancelled = 1,

    /// <summary>A loss or parameter became NaN or infinite; the network holds the parameters from the start of the epoch in which it happened.</summary>
    Diverged = 2,

    /// <summary>
    /// The validation loss stopped improving (<see cref="TrainerOptions.EarlyStopping"/>); the network holds the parameters of
    /// the best check, from epoch <see cref="TrainingResult.BestEpoch"/>.
    /// </summary>
    EarlyStopped = 3,
}

/// <summary>The outcome of <see cref="BackPropTrainer.Train"/>.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(TrainingStopReason stopReason, int epochsCompleted, long steps, int stopEpoch, int stopStep, EpochReport final)
    {
        StopReason = stopReason;
        EpochsCompleted = epochsCompleted;
        Steps = steps;
        StopEpoch = stopEpoch;
        StopStep = stopStep;
        Final = final;
    }

    /// <summary>Why training stopped.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>Whether every epoch ran.</summary>
    public bool Completed => StopReason == TrainingStopReason.Completed;

    /// <summary>Number of whole epochs completed.</summary>
    public int EpochsCompleted { get; }

    /// <summary>Number of update steps applied (and kept) in total.</summary>
    public long Steps { get; }

    /// <summary>The epoch (1-based) in which training stopped early; 0 when it completed.</summary>
    public int StopEpoch { get; }

    /// <summary>The step within <see cref="StopEpoch"/> (1-based) at which training stopped early; 0 when it completed.</summary>
    public int StopStep { get; }

    /// <summary>The network's state when training ended, evaluated on the training data.</summary>
    public EpochReport Final { get; }

    /// <summary>With early stopping, the epoch whose parameters the network holds (the best validation check); otherwise 0.</summary>
    public int BestEpoch { get; init; }

    /// <summary>With early stopping, the mean validation data loss at <see cref="BestEpoch"/>; otherwise NaN.</summary>
    public double BestValidationLoss { get; init; } = double.NaN;
}
