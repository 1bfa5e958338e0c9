namespace L1Net;

/// <summary>Why a training call stopped.</summary>
public enum TrainingStopReason
{
    /// <summary>All epochs ran.</summary>
    Completed = 0,

    /// <summary>
    /// The cancellation token was signalled; the network holds the parameters of the last completed step
    /// (<see cref="TrainingResult.Steps"/> steps in total, <see cref="TrainingResult.StopStep"/> of them in <see cref="TrainingResult.StopEpoch"/>).
    /// </summary>
    Cancelled = 1,

    /// <summary>
    /// A loss or parameter became NaN or infinite; the network holds the parameters from the start of the epoch in which it
    /// happened (the last ones known to be finite), and a warning was logged.
    /// </summary>
    Diverged = 2,
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

    /// <summary>Number of update steps applied and kept in total: the network holds the parameters after exactly this many steps.</summary>
    public long Steps { get; }

    /// <summary>The epoch (1-based) in which training stopped early; 0 when it completed.</summary>
    public int StopEpoch { get; }

    /// <summary>
    /// Where in <see cref="StopEpoch"/> training stopped; 0 when it completed. When <see cref="TrainingStopReason.Cancelled"/>:
    /// the number of steps completed (and kept) in <see cref="StopEpoch"/>, 0 if cancelled before its first step. When
    /// <see cref="TrainingStopReason.Diverged"/>: the 1-based step at which a non-finite value was detected (a step's loss, or,
    /// for the checks after an epoch's last step, that last step); none of that epoch's steps is kept.
    /// </summary>
    public int StopStep { get; }

    /// <summary>The network's state when training ended, evaluated on the training data.</summary>
    public EpochReport Final { get; }
}
