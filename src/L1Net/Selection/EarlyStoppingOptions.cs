namespace L1Net.Selection;

/// <summary>
/// Early stopping on a validation set, set through <see cref="TrainerOptions.EarlyStopping"/>. Every
/// <see cref="CheckInterval"/> epochs the trainer computes the mean data loss on <see cref="Validation"/> (no penalty);
/// a check improves when that loss is below the best so far by more than <see cref="Tolerance"/>. After
/// <see cref="Patience"/> checks in a row without improvement training stops with
/// <see cref="TrainingStopReason.EarlyStopped"/>. Whether it stops early or runs every epoch, the network ends with the
/// parameters of the best check, and <see cref="TrainingResult.BestEpoch"/> says which epoch that was.
/// </summary>
/// <remarks>
/// <see cref="DataSplit.TrainValidation"/> makes a (stratified) validation split. Validation rows must not be in the
/// training data, or the check measures nothing.
/// </remarks>
public sealed class EarlyStoppingOptions
{
    /// <summary>The rows the validation loss is computed on; same feature and target counts as the training data. Required.</summary>
    public required Dataset Validation { get; init; }

    /// <summary>Checks in a row without improvement after which training stops. Default 10; at least 1.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>How much lower than the best validation loss a check must be to count as an improvement. Default 0; finite and at least 0.</summary>
    public double Tolerance { get; init; }

    /// <summary>Epochs between checks (each check costs one pass over <see cref="Validation"/>). Default 1; at least 1.</summary>
    public int CheckInterval { get; init; } = 1;

    /// <summary>Throws if any setting is out of range.</summary>
    internal void Validate()
    {
        if (Validation is null)
        {
            throw new ArgumentException($"'{nameof(TrainerOptions.EarlyStopping)}.{nameof(Validation)}' must be set.", nameof(Validation));
        }

        if (Patience <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, $"'{nameof(Patience)}' must be at least 1, but was {Patience}.");
        }

        if (!double.IsFinite(Tolerance) || Tolerance < 0)
        {
            throw Guard.OutOfRange(nameof(Tolerance), Tolerance, Guard.Text($"'{nameof(Tolerance)}' must be a finite number greater than or equal to 0, but was {Tolerance}."));
        }

        if (CheckInterval <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckInterval), CheckInterval, $"'{nameof(CheckInterval)}' must be at least 1, but was {CheckInterval}.");
        }
    }
}
