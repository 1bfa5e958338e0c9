namespace L1Net.Selection;

/// <summary>What cross-validation minimises when it picks lambda.</summary>
public enum CrossValidationMeasure
{
    /// <summary>The mean validation data loss of <see cref="TrainerOptions.Loss"/> (no penalty), glmnet's deviance.</summary>
    Loss = 0,

    /// <summary>The validation misclassification rate, <c>1 - accuracy</c>; needs class labels.</summary>
    MisclassificationError = 1,
}

/// <summary>Which lambda a <see cref="CrossValidation"/> chooses for its refitted model.</summary>
public enum LambdaRule
{
    /// <summary>lambda.1se: the largest lambda whose mean measure is within one standard error of the best (glmnet's recommendation; the sparser model).</summary>
    OneStandardError = 0,

    /// <summary>lambda.min: the lambda with the best mean measure.</summary>
    Minimum = 1,
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

    /// <summary>
    /// How many times the k-fold split is repeated, each time with a different fold assignment (seeds <c>Seed</c>,
    /// <c>Seed + 1</c>, ...). Default 1. Scores are then the mean over all <c>Folds * Repeats</c> fold values; the standard
    /// error stays that of one k-fold estimate, <c>s / sqrt(Folds)</c> with <c>s</c> pooled over the repeats (see
    /// <see cref="LambdaScore.LossStandardError"/>): the repeats re-use the same rows, so they steady the mean curve (the
    /// variance the random fold assignment adds to it falls as <c>1 / Repeats</c>) without making the estimate more certain, and
    /// lambda.1se keeps its meaning whatever the number of repeats. Each repeat costs one more k-fold run. At least 1.
    /// </summary>
    public int Repeats { get; init; } = 1;

    /// <summary>Which lambda is chosen for <see cref="CrossValidationResult.Model"/>. Default <see cref="LambdaRule.OneStandardError"/>.</summary>
    public LambdaRule Rule { get; init; } = LambdaRule.OneStandardError;

    /// <summary>
    /// Whether <see cref="CrossValidationResult.Model"/> is refitted: trained on all the rows at the chosen lambda from the
    /// initial network, as scikit-learn's <c>refit=True</c> and glmnet's final fit do. Default true. When false it is the
    /// path's model on all the rows at that lambda (the same thing when the path point was cold-started, as under the default
    /// <see cref="PathDirection.ColdStarts"/>; then no training is repeated either way).
    /// </summary>
    public bool Refit { get; init; } = true;

    /// <summary>
    /// Relaxed cross-validation (Meinshausen's relaxed lasso; glmnet's <c>relax = TRUE</c>, for the inputs of a network).
    /// Default false. When true, every fold scores each lambda not by the penalized network but by its <em>relaxed fit</em>:
    /// the same initial network trained on the fold's training rows without any penalty on just the inputs the penalized
    /// network at that lambda still uses (<see cref="PathPoint.Selection"/>; the other inputs' columns and weights held at 0).
    /// <see cref="CrossValidationResult.Scores"/>, lambda.min, lambda.1se and the choice are then the relaxed fits', the
    /// penalized networks' scores stay in <see cref="CrossValidationResult.PenalizedScores"/>, and
    /// <see cref="CrossValidationResult.Model"/> is the relaxed fit on all the rows on the inputs the path on all the rows
    /// selects at the chosen lambda. This judges a lambda by the inputs it selects rather than by its shrunken weights:
    /// the shrinkage that removes irrelevant inputs also biases the kept weights towards 0 and costs validation loss, so
    /// plain CV prefers lambdas that keep most irrelevant inputs (docs/sparsity.md, "Selecting inputs"). Use it with a
    /// regularizer that selects inputs (a group lasso over the inputs, or element-wise L1). A relaxed fit is trained once
    /// per fold for each distinct input set, so it costs at most one more training per lambda and fold. <see cref="Refit"/> does
    /// not apply: the model is always the relaxed fit on all the rows.
    /// </summary>
    public bool Relax { get; init; }

    /// <summary>
    /// A budget on the inputs of the chosen model (glmnet's <c>dfmax</c>; caret's "simplest model within a tolerance" made
    /// explicit). Default null: no budget. When set, the rule (<see cref="Rule"/>, on the relaxed scores when
    /// <see cref="Relax"/>) chooses only among the lambdas whose network trained on all the rows uses at most this many inputs
    /// (<see cref="LambdaScore.SelectedInputs"/>, <see cref="PathPoint.Selection"/>): lambda.min is the best mean measure among
    /// them and lambda.1se the largest of them within one standard error of it; the scores of every lambda are still
    /// reported. An input counts as used when it can change an output (<see cref="NetworkPruner.Analyze"/>), whatever the
    /// penalty: a group lasso over the inputs removes whole inputs, element-wise L1 removes an input once all its weights
    /// are zero, and a penalty without exact zeros keeps every input, so a budget below the input count then has no lambda to
    /// choose and <see cref="CrossValidation.Run"/> throws. <see cref="CrossValidationResult.Model"/> always uses at most this
    /// many inputs: the relaxed fit and the cold-started refit are on the chosen point's inputs; a refit after a warm path
    /// (a new training) that would use more is replaced by the path's own model at the chosen lambda. Where the path's input
    /// count jumps over the budget between neighbouring lambdas, <see cref="BudgetRefinement"/> (on by default) first adds
    /// lambdas in between. At least 1.
    /// </summary>
    public int? MaxInputs { get; init; }

    /// <summary>The most rounds <see cref="BudgetRefinement"/> may take: beyond about 24 geometric halvings a float interval is exhausted anyway.</summary>
    public const int MaxBudgetRefinement = 30;

    /// <summary>
    /// Rounds of budget-aware refinement of the lambda grid; applies only with <see cref="MaxInputs"/>. Default 6; 0 turns
    /// it off. A group-lasso path often drops several inputs between two neighbouring lambdas (on Wine, from 6-8 inputs to 2),
    /// so the largest model within the budget that the grid offers can have far fewer inputs than the budget allows
    /// (docs/sparsity.md, "Fourth attempt"). With refinement, before the folds run, the path is trained on all the rows on
    /// the grid, and where the first lambda (from the largest) whose network uses more than <see cref="MaxInputs"/> inputs
    /// follows a lambda whose network uses fewer, a lambda is inserted between the two (their geometric mean; half the
    /// larger one when the smaller is 0) and trained on all the rows. Each round is one bisection step of that interval:
    /// the new point becomes its upper end when it is within the budget, its lower end otherwise. It stops after this many
    /// rounds, when a point uses exactly <see cref="MaxInputs"/> inputs, when no such jump is left, or when no float lies
    /// strictly between the two ends. Every inserted lambda, within the budget or not, joins the grid: the folds then run
    /// on the refined grid and score it like any other lambda (same fold assignment, same rules), and
    /// <see cref="CrossValidationResult.Scores"/>, <see cref="CrossValidationResult.Path"/> and the per-fold values list
    /// it in order; <see cref="CrossValidationResult.InsertedLambdas"/> names them. Refining before the folds keeps the run
    /// deterministic and the folds independent: every fold sees the same grid, and parallel folds stay bit-identical to
    /// sequential ones. It is on by default because a budget is a request for the best model within it, and a coarse grid
    /// silently defeats that; the cost is at most this many more lambdas, each trained once on all the rows and once per
    /// fold (cold-started paths re-use the points already trained; a warm path, whose points depend on their neighbours,
    /// is retrained on the whole refined grid in each round). The path on all the rows no longer overlaps the folds when
    /// this runs. At least 0 and at most <see cref="MaxBudgetRefinement"/>.
    /// </summary>
    public int BudgetRefinement { get; init; } = 6;

    /// <summary>
    /// Most folds trained at once (the path on all the data counts as one more). Default 1: one after the other. -1: one per
    /// processor. Results are bit-identical for any value. Parallel folds need a <see cref="DenseNetwork"/> (each thread trains
    /// a copy); other networks always run sequentially. Each training may itself use
    /// <see cref="TrainerOptions.MaxDegreeOfParallelism"/> threads for its mini-batch steps. -1 or at least 1.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>The number of threads <see cref="MaxDegreeOfParallelism"/> allows on this machine.</summary>
    internal int EffectiveDegreeOfParallelism =>
        MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(MaxDegreeOfParallelism, Environment.ProcessorCount);

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
            throw Guard.OutOfRange(nameof(Folds), Folds, Guard.Text($"'{nameof(Folds)}' must be at least 2, but was {Folds}."));
        }

        if (Repeats < 1)
        {
            throw Guard.OutOfRange(nameof(Repeats), Repeats, Guard.Text($"'{nameof(Repeats)}' must be at least 1, but was {Repeats}."));
        }

        if (!Enum.IsDefined(Rule))
        {
            throw new ArgumentOutOfRangeException(nameof(Rule), Rule, Guard.Text($"'{nameof(Rule)}' is not a defined LambdaRule value."));
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw Guard.OutOfRange(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, Guard.Text($"'{nameof(MaxDegreeOfParallelism)}' must be -1 or at least 1, but was {MaxDegreeOfParallelism}."));
        }

        if (MaxInputs is < 1)
        {
            throw Guard.OutOfRange(nameof(MaxInputs), MaxInputs, Guard.Text($"'{nameof(MaxInputs)}' must be null (no budget) or at least 1, but was {MaxInputs}."));
        }

        if (BudgetRefinement is < 0 or > MaxBudgetRefinement)
        {
            throw Guard.OutOfRange(nameof(BudgetRefinement), BudgetRefinement, Guard.Text($"'{nameof(BudgetRefinement)}' must be at least 0 (0: off) and at most {MaxBudgetRefinement}, but was {BudgetRefinement}."));
        }

        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentOutOfRangeException(nameof(Measure), Measure, Guard.Text($"'{nameof(Measure)}' is not a defined CrossValidationMeasure value."));
        }
    }
}
