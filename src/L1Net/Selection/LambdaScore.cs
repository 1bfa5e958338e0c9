namespace L1Net.Selection;

/// <summary>Cross-validated performance and sparsity at one lambda.</summary>
public readonly record struct LambdaScore
{
    /// <summary>The regularization strength.</summary>
    public float Lambda { get; init; }

    /// <summary>Mean over folds of the mean validation data loss.</summary>
    public double MeanLoss { get; init; }

    /// <summary>
    /// Standard error of <see cref="MeanLoss"/> as the 1se rule uses it: <c>s / sqrt(K)</c>, with <c>s</c> the standard
    /// deviation of the fold values about their repeat's mean (pooled over repeats) and <c>K</c> the folds of one repeat.
    /// With one repeat, glmnet's <c>sd / sqrt(K)</c>; repeats do not shrink it, since they re-use the same rows.
    /// </summary>
    public double LossStandardError { get; init; }

    /// <summary>Mean over folds of the validation accuracy; NaN without class labels.</summary>
    public double MeanAccuracy { get; init; }

    /// <summary>Standard error of <see cref="MeanAccuracy"/>, defined as for <see cref="LossStandardError"/>; NaN without class labels.</summary>
    public double AccuracyStandardError { get; init; }

    /// <summary>Nonzero weights of the network trained on all the data at this lambda.</summary>
    public int NonzeroWeights { get; init; }

    /// <summary>Mean over folds of the nonzero weights of the fold's network.</summary>
    public double MeanFoldNonzeroWeights { get; init; }

    /// <summary>Number of weights of the network (biases excluded).</summary>
    public int WeightCount { get; init; }

    /// <summary>Inputs the network trained on all the data at this lambda still uses (see <see cref="PathPoint.Selection"/> for which).</summary>
    public int SelectedInputs { get; init; }

    /// <summary>Hidden units, over all hidden layers, the network trained on all the data at this lambda still uses.</summary>
    public int SelectedUnits { get; init; }

    /// <summary>The members as the compiler's record text (<c>LambdaScore { ... }</c>), every number in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InvariantText.Record(nameof(LambdaScore), PrintMembers);
}
