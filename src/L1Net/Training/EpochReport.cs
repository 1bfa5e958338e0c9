namespace L1Net.Training;

/// <summary>The state of training after an epoch, evaluated on the training data with the current parameters.</summary>
public readonly record struct EpochReport
{
    /// <summary>The epoch just completed, 1-based.</summary>
    public int Epoch { get; init; }

    /// <summary>The number of epochs asked for.</summary>
    public int Epochs { get; init; }

    /// <summary>Update steps taken so far in this training call.</summary>
    public long Steps { get; init; }

    /// <summary>The objective: <see cref="DataLoss"/> + <see cref="Penalty"/>.</summary>
    public double Loss => DataLoss + Penalty;

    /// <summary>Mean per-row loss over the training data.</summary>
    public double DataLoss { get; init; }

    /// <summary>The regularizers' penalty summed over layers.</summary>
    public double Penalty { get; init; }

    /// <summary>Training accuracy; NaN when the data has no class labels.</summary>
    public double Accuracy { get; init; }

    /// <summary>Sum of |w| over all weights (biases excluded).</summary>
    public double WeightL1 { get; init; }

    /// <summary>Number of weights exactly zero (biases excluded).</summary>
    public int ZeroWeights { get; init; }

    /// <summary>The members as the compiler's record text (<c>EpochReport { ... }</c>), every number in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InvariantText.Record(nameof(EpochReport), PrintMembers);
}
