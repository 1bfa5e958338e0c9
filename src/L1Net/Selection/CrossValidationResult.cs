namespace L1Net;

/// <summary>The outcome of a <see cref="CrossValidation"/>: scores per lambda, the lambdas it picks, and the path on all the data.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(CrossValidationMeasure measure, IReadOnlyList<LambdaScore> scores, int indexMin, int index1Se, RegularizationPathResult path)
    {
        Measure = measure;
        Scores = scores;
        IndexMin = indexMin;
        Index1Se = index1Se;
        Path = path;
    }

    /// <summary>The measure lambda was picked by.</summary>
    public CrossValidationMeasure Measure { get; }

    /// <summary>One score per lambda, largest lambda first.</summary>
    public IReadOnlyList<LambdaScore> Scores { get; }

    /// <summary>Index in <see cref="Scores"/> of lambda.min, the lambda with the best mean measure (the largest such lambda on ties).</summary>
    public int IndexMin { get; }

    /// <summary>
    /// Index in <see cref="Scores"/> of lambda.1se, the largest lambda whose mean measure is within one standard error of the
    /// best: <c>mean(lambda) &lt;= mean(lambda.min) + se(lambda.min)</c>, as glmnet defines it. The sparser choice of the two.
    /// </summary>
    public int Index1Se { get; }

    /// <summary>lambda.min.</summary>
    public float LambdaMin => Scores[IndexMin].Lambda;

    /// <summary>lambda.1se.</summary>
    public float Lambda1Se => Scores[Index1Se].Lambda;

    /// <summary>The path trained on all the data (preprocessed with <c>Preprocessing.Fit(data).Transform(data)</c> when set), one point per lambda; <c>Path.Points[Index1Se]</c> is the model lambda.1se picks.</summary>
    public RegularizationPathResult Path { get; }
}
