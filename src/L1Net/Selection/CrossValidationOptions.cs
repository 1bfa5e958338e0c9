namespace L1Net;

/// <summary>What cross-validation minimises when it picks lambda.</summary>
public enum CrossValidationMeasure
{
    /// <summary>The mean validation data loss of <see cref="TrainerOptions.Loss"/> (no penalty), glmnet's deviance.</summary>
    Loss = 0,

    /// <summary>The validation misclassification rate, <c>1 - accuracy</c>; needs class labels.</summary>
    MisclassificationError = 1,
}

/// <summary>Settings of a <see cref="CrossValidation"/>; every property has a default and is validated up front.</summary>
public sealed class CrossValidationOptions
{
    /// <summary>Number of folds <c>K</c>. Default 5; at least 2 and at most the number of rows.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Whether folds are stratified by class (see <see cref="DataSplit.KFold"/>). Default true; needs class labels.</summary>
    public bool Stratified { get; init; } = true;

    /// <summary>Seed of the fold assignment. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>What lambda.min minimises and lambda.1se compares against. Default <see cref="CrossValidationMeasure.Loss"/>.</summary>
    public CrossValidationMeasure Measure { get; init; } = CrossValidationMeasure.Loss;

    /// <summary>
    /// Optional preprocessing fitted on training rows only: called as <c>Preprocess(fitRows, rows)</c>, it returns
    /// <c>rows</c> transformed with statistics of <c>fitRows</c> (for example standardized with the means and standard
    /// deviations of <c>fitRows</c>). Each fold uses <c>(train, train)</c> and <c>(train, validation)</c>; the fit on all
    /// the data uses <c>(data, data)</c>. Default null: rows are used as they are.
    /// </summary>
    public Func<Dataset, Dataset, Dataset>? Preprocess { get; init; }

    /// <summary>Throws if any setting is out of range.</summary>
    internal void Validate()
    {
        if (Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, $"'{nameof(Folds)}' must be at least 2, but was {Folds}.");
        }

        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentOutOfRangeException(nameof(Measure), Measure, $"'{nameof(Measure)}' is not a defined CrossValidationMeasure value.");
        }
    }
}
