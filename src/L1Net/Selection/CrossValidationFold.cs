namespace L1Net.Selection;

/// <summary>One fold of a <see cref="CrossValidation"/>: which rows it held out and how the path trained on the others scored on them.</summary>
public sealed class CrossValidationFold
{
    private readonly int[] _validationRows;

    internal CrossValidationFold(int repeat, int fold, int[] validationRows, double[] losses, double[] accuracies, int[] nonzeroWeights, double[]? penalizedLosses = null, double[]? penalizedAccuracies = null)
    {
        PenalizedLosses = penalizedLosses ?? losses;
        PenalizedAccuracies = penalizedAccuracies ?? accuracies;
        Repeat = repeat;
        Fold = fold;
        _validationRows = validationRows;
        Losses = losses;
        Accuracies = accuracies;
        NonzeroWeights = nonzeroWeights;
    }

    /// <summary>The repeat (0-based) whose fold assignment this fold belongs to; see <see cref="CrossValidationOptions.Repeats"/>.</summary>
    public int Repeat { get; }

    /// <summary>The fold within its repeat, 0-based.</summary>
    public int Fold { get; }

    /// <summary>The rows of the data held out (scored) in this fold, ascending; the others trained the fold's path.</summary>
    public ReadOnlySpan<int> ValidationRows => _validationRows;

    /// <summary>Per lambda (largest first): the mean validation data loss (of the relaxed fit under <see cref="CrossValidationOptions.Relax"/>).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Per lambda (largest first): the validation accuracy (of the relaxed fit under <see cref="CrossValidationOptions.Relax"/>); NaN without class labels.</summary>
    public IReadOnlyList<double> Accuracies { get; }

    /// <summary>Per lambda (largest first): the nonzero weights of the fold's network.</summary>
    public IReadOnlyList<int> NonzeroWeights { get; }

    /// <summary>Per lambda (largest first): the penalized network's mean validation data loss (the same list as <see cref="Losses"/> unless <see cref="CrossValidationOptions.Relax"/>).</summary>
    public IReadOnlyList<double> PenalizedLosses { get; }

    /// <summary>Per lambda (largest first): the penalized network's validation accuracy (the same list as <see cref="Accuracies"/> unless <see cref="CrossValidationOptions.Relax"/>).</summary>
    public IReadOnlyList<double> PenalizedAccuracies { get; }
}
