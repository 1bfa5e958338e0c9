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
    /// Optional preprocessing (for example <c>new Standardizer()</c>), refitted inside every fold on that fold's training
    /// rows only: each fold trains on <c>Fit(train).Transform(train)</c> and is scored on <c>Fit(train).Transform(validation)</c>;
    /// the path on all the data uses <c>Fit(data).Transform(data)</c>. Default null: rows are used as they are.
    /// </summary>
    public IPreprocessor? Preprocessing { get; init; }

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
