using L1Net.Selection;

namespace L1Net.Training;

/// <summary>Why a training call stopped.</summary>
public enum TrainingStopReason
{
    /// <summary>
    /// All epochs ran. The network's parameters are finite and its loss on every training row is finite (proven by a bound
    /// or by evaluating the network; otherwise the run is <see cref="Diverged"/>). <see cref="TrainingResult.Final"/> is
    /// computed on its first read, unless <c>Train</c> already evaluated the final parameters (see <see cref="TrainingResult.Final"/>).
    /// </summary>
    Completed = 0,

    /// <summary>
    /// The cancellation token was signalled; the network holds the parameters of the last completed step
    /// (<see cref="TrainingResult.Steps"/> steps in total, <see cref="TrainingResult.StopStep"/> of them in <see cref="TrainingResult.StopEpoch"/>).
    /// When those parameters are not finite, or their loss on the training data is not, the run is reported as
    /// <see cref="Diverged"/> instead (and handled as such), so a cancelled run never returns an unusable network.
    /// </summary>
    Cancelled = 1,

    /// <summary>
    /// A loss or parameter became NaN or infinite; the network holds the parameters from the start of the epoch in which it
    /// happened (the last ones known to be finite, and with a finite loss on the training data), and a warning was logged.
    /// When that state's loss on the training data is not finite either, the network holds the parameters it had before the
    /// call and <see cref="TrainingResult.RestoredOriginal"/> is <see langword="true"/>.
    /// </summary>
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
    private readonly EpochReport _final;
    private readonly Lazy<EpochReport>? _deferredFinal;

    /// <summary>
    /// A result whose <see cref="Final"/> is <paramref name="final"/>; <see cref="BestEpoch"/> and
    /// <see cref="BestValidationLoss"/> come from <paramref name="stopping"/> (0 and NaN without early stopping).
    /// </summary>
    internal TrainingResult(TrainingStopReason stopReason, int epochsCompleted, long steps, int stopEpoch, int stopStep, EpochReport final, EarlyStoppingMonitor? stopping, bool restoredOriginal = false)
    {
        StopReason = stopReason;
        EpochsCompleted = epochsCompleted;
        Steps = steps;
        StopEpoch = stopEpoch;
        StopStep = stopStep;
        _final = final;
        RestoredOriginal = restoredOriginal;
        if (stopping is not null)
        {
            BestEpoch = stopping.BestEpoch;
            BestValidationLoss = stopping.BestLoss;
        }
    }

    /// <summary>A result whose <see cref="Final"/> is computed by <paramref name="deferredFinal"/> on first access, once, whichever thread asks first.</summary>
    internal TrainingResult(TrainingStopReason stopReason, int epochsCompleted, long steps, int stopEpoch, int stopStep, Func<EpochReport> deferredFinal, EarlyStoppingMonitor? stopping)
        : this(stopReason, epochsCompleted, steps, stopEpoch, stopStep, default(EpochReport), stopping)
    {
        _deferredFinal = new Lazy<EpochReport>(deferredFinal, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether <see cref="Final"/> has been computed (always, except for a completed run whose <see cref="Final"/> has not been read yet).</summary>
    internal bool FinalEvaluated => _deferredFinal is null || _deferredFinal.IsValueCreated;

    /// <summary>Why training stopped.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>Whether every epoch ran.</summary>
    public bool Completed => StopReason == TrainingStopReason.Completed;

    /// <summary>
    /// Number of whole epochs run (for <see cref="TrainingStopReason.EarlyStopped"/>, including those after
    /// <see cref="BestEpoch"/>; for <see cref="TrainingStopReason.Diverged"/>, those kept: <see cref="StopEpoch"/> - 1, or 0
    /// when <see cref="RestoredOriginal"/>).
    /// </summary>
    public int EpochsCompleted { get; }

    /// <summary>
    /// Number of update steps applied and kept in total: the network holds the parameters after exactly this many steps. With
    /// early stopping that is the steps up to the end of <see cref="BestEpoch"/>, whose parameters the network holds; 0 when
    /// <see cref="RestoredOriginal"/>.
    /// </summary>
    public long Steps { get; }

    /// <summary>
    /// The epoch (1-based) in which training stopped, never 0: <see cref="TrainerOptions.Epochs"/> when it completed; the
    /// epoch of the validation check that stopped it when it stopped early; the epoch in progress when cancelled (1 for a
    /// token cancelled before the call) or diverged.
    /// </summary>
    public int StopEpoch { get; }

    /// <summary>
    /// Where in <see cref="StopEpoch"/> training stopped. When <see cref="TrainingStopReason.Completed"/> or
    /// <see cref="TrainingStopReason.EarlyStopped"/>: the number of steps of an epoch (the epoch ran to its end). When <see cref="TrainingStopReason.Cancelled"/>:
    /// the number of steps completed (and kept) in <see cref="StopEpoch"/>, 0 if cancelled before its first step. When
    /// <see cref="TrainingStopReason.Diverged"/>: the 1-based step at which a non-finite value was detected (a step's loss, or,
    /// for the checks after an epoch's last step, that last step); none of that epoch's steps is kept.
    /// </summary>
    public int StopStep { get; }

    /// <summary>The network's state when training ended, evaluated on the training data.</summary>
    /// <remarks>
    /// <para>
    /// The parameters are those <see cref="BackPropTrainer.Train"/> returned in the network: later changes to the network
    /// (more training, pruning, loading) do not change this report.
    /// </para>
    /// <para>
    /// For a <see cref="TrainingStopReason.Completed"/> run the pass over the training data is deferred: <c>Train</c> keeps
    /// a copy of the final parameters and computes <see cref="EpochReport.DataLoss"/> and <see cref="EpochReport.Accuracy"/>
    /// on the first read of this property (one forward pass over the training data, about half an epoch's arithmetic,
    /// on the reading thread; thread-safe, computed once, then cached). The result is bit for bit the report an
    /// evaluation at the end of <c>Train</c> would have given. The penalty and weight statistics are computed by
    /// <c>Train</c> itself. When <c>Train</c> already evaluated its last epoch with the same parameters (a logger enabled
    /// for <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>, or a progress callback, reporting that epoch),
    /// that report is reused and reading this property costs nothing; so it is when a listener on the
    /// <c>l1net.training.loss</c> or <c>l1net.training.weights.nonzero</c> metric made <c>Train</c> evaluate that epoch.
    /// <c>Train</c> also evaluates at its end, as before, when the interval bound that proves every training row's loss
    /// finite without a forward pass fails (weights near float overflow), and it reads this property itself when a
    /// <c>Train</c> activity records all its data (the final loss is one of its tags), or when a logger enabled for
    /// <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/> logs the completion of a run whose early stopping
    /// restored an earlier epoch's parameters. Cancelled, diverged and early-stopped runs are evaluated inside
    /// <c>Train</c>, as they need the loss to decide their outcome.
    /// </para>
    /// <para>
    /// Until it is read, the result holds the parameter copy and a reference to the training <see cref="Dataset"/>.
    /// </para>
    /// </remarks>
    public EpochReport Final => _deferredFinal is null ? _final : _deferredFinal.Value;

    /// <summary>
    /// Whether training diverged and the network was restored to the parameters it had before the call: the divergence
    /// happened in the first epoch, or the start of the diverging epoch was itself unusable (its loss on the training data
    /// not finite). <see cref="Steps"/> and <see cref="EpochsCompleted"/> are then 0 and nothing learned was kept.
    /// </summary>
    public bool RestoredOriginal { get; init; }

    /// <summary>With early stopping, the epoch whose parameters the network holds (the best validation check); otherwise 0.</summary>
    public int BestEpoch { get; init; }

    /// <summary>With early stopping, the mean validation data loss at <see cref="BestEpoch"/>; otherwise NaN.</summary>
    public double BestValidationLoss { get; init; } = double.NaN;
}
