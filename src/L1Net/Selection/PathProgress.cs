namespace L1Net.Selection;

/// <summary>What a <see cref="RegularizationPath"/> or <see cref="CrossValidation"/> is doing, reported after every training it runs.</summary>
public enum PathStage
{
    /// <summary>Searching lambda_max: trainings from the initial network at trial lambdas.</summary>
    LambdaMaxSearch = 0,

    /// <summary>Training the path's lambdas, largest first.</summary>
    Path = 1,
}

/// <summary>One training of a regularization path (or of its lambda_max search) has finished.</summary>
public readonly record struct PathProgress
{
    /// <summary>The stage the training belongs to.</summary>
    public PathStage Stage { get; init; }

    /// <summary>The cross-validation fold, 1-based; 0 for a path on all the data.</summary>
    public int Fold { get; init; }

    /// <summary>The number of folds; 0 outside cross-validation.</summary>
    public int Folds { get; init; }

    /// <summary>The 0-based index of the lambda just trained (in the search: the number of trainings before this one).</summary>
    public int Index { get; init; }

    /// <summary>The number of lambdas on the path (in the search: 0, as the number of trainings is not known in advance).</summary>
    public int Count { get; init; }

    /// <summary>The lambda just trained.</summary>
    public float Lambda { get; init; }

    /// <summary>The objective (data loss plus penalty) on the training rows after training.</summary>
    public double Loss { get; init; }

    /// <summary>Number of weights (biases excluded) not exactly zero after training.</summary>
    public int NonzeroWeights { get; init; }

    /// <summary>Number of weights (biases excluded).</summary>
    public int WeightCount { get; init; }

    /// <summary>The members as the compiler's record text (<c>PathProgress { ... }</c>), every number in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InvariantText.Record(nameof(PathProgress), PrintMembers);
}
