namespace L1Net.Selection;

/// <summary>
/// The outcome of a <see cref="CrossValidation"/>: scores per lambda and per fold, the lambdas it picks, the model refitted
/// at the chosen one, and the path on all the data.
/// </summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(CrossValidationMeasure measure, IReadOnlyList<LambdaScore> scores, int indexMin, int index1Se, int indexChosen, PathPoint model, RegularizationPathResult path, IReadOnlyList<CrossValidationFold> folds, IReadOnlyList<LambdaScore>? penalizedScores = null, int? maxInputs = null, IReadOnlyList<float>? insertedLambdas = null)
    {
        InsertedLambdas = insertedLambdas ?? [];
        MaxInputs = maxInputs;
        PenalizedScores = penalizedScores ?? scores;
        Relaxed = penalizedScores is not null;
        Measure = measure;
        Scores = scores;
        IndexMin = indexMin;
        Index1Se = index1Se;
        IndexChosen = indexChosen;
        Model = model;
        Path = path;
        Folds = folds;
    }

    /// <summary>
    /// The input budget the lambdas were chosen under (<see cref="CrossValidationOptions.MaxInputs"/>), or null for none: then
    /// <see cref="IndexMin"/>, <see cref="Index1Se"/> and <see cref="IndexChosen"/> are among the lambdas whose
    /// <see cref="LambdaScore.SelectedInputs"/> is at most this, and <see cref="Model"/> uses at most this many inputs.
    /// <see cref="Scores"/> still holds every lambda.
    /// </summary>
    public int? MaxInputs { get; }

    /// <summary>
    /// The lambdas <see cref="CrossValidationOptions.BudgetRefinement"/> inserted into the grid, in the order they were tried
    /// (each one bisects the interval of the one before); empty when nothing was inserted. They are among
    /// <see cref="Scores"/>, in their place by decreasing lambda, scored in every fold like the others.
    /// </summary>
    public IReadOnlyList<float> InsertedLambdas { get; }

    /// <summary>The measure lambda was picked by.</summary>
    public CrossValidationMeasure Measure { get; }

    /// <summary>One score per lambda, largest lambda first: the mean over every fold of every repeat and the standard error of one k-fold estimate (see <see cref="LambdaScore.LossStandardError"/>), of the relaxed fits when <see cref="Relaxed"/>. The lambdas are chosen on these.</summary>
    public IReadOnlyList<LambdaScore> Scores { get; }

    /// <summary>Whether the scores, the choice and the model are the relaxed fits' (<see cref="CrossValidationOptions.Relax"/>).</summary>
    public bool Relaxed { get; }

    /// <summary>The penalized networks' scores per lambda, largest lambda first: the same list as <see cref="Scores"/> unless <see cref="Relaxed"/>.</summary>
    public IReadOnlyList<LambdaScore> PenalizedScores { get; }

    /// <summary>The per-fold values behind <see cref="Scores"/>, repeat by repeat, fold by fold (<c>Folds * Repeats</c> entries).</summary>
    public IReadOnlyList<CrossValidationFold> Folds { get; }

    /// <summary>Index in <see cref="Scores"/> of lambda.min, the lambda with the best mean measure (the largest such lambda on ties; within <see cref="MaxInputs"/> when set).</summary>
    public int IndexMin { get; }

    /// <summary>
    /// Index in <see cref="Scores"/> of lambda.1se, the largest lambda whose mean measure is within one standard error of the
    /// best: <c>mean(lambda) &lt;= mean(lambda.min) + se(lambda.min)</c>, as glmnet defines it. The sparser choice of the two.
    /// With <see cref="MaxInputs"/>, the largest such lambda within the budget.
    /// </summary>
    public int Index1Se { get; }

    /// <summary>Index in <see cref="Scores"/> of the lambda <see cref="CrossValidationOptions.Rule"/> chose: <see cref="IndexMin"/> or <see cref="Index1Se"/>.</summary>
    public int IndexChosen { get; }

    /// <summary>lambda.min.</summary>
    public float LambdaMin => Scores[IndexMin].Lambda;

    /// <summary>lambda.1se.</summary>
    public float Lambda1Se => Scores[Index1Se].Lambda;

    /// <summary>The chosen lambda.</summary>
    public float LambdaChosen => Scores[IndexChosen].Lambda;

    /// <summary>The cross-validated estimate at the chosen lambda (its mean and standard error over folds).</summary>
    public LambdaScore Chosen => Scores[IndexChosen];

    /// <summary>
    /// The model at the chosen lambda, trained on all the data (preprocessed with <c>Preprocessing.Fit(data).Transform(data)</c> when set):
    /// refitted from the initial network when <see cref="CrossValidationOptions.Refit"/> is true (the default), otherwise
    /// the path's model <c>Path.Points[IndexChosen]</c>. When <see cref="Relaxed"/>, the relaxed fit (unpenalized, from the
    /// initial network) on the inputs <c>Path.Points[IndexChosen]</c> selects. Copy it into a network with <see cref="PathPoint.CopyTo"/>.
    /// </summary>
    public PathPoint Model { get; }

    /// <summary>The path trained on all the data (preprocessed with <c>Preprocessing.Fit(data).Transform(data)</c> when set), one point per lambda: each lambda's sparsity.</summary>
    public RegularizationPathResult Path { get; }
}
