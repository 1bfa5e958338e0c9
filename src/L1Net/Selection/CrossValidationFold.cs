namespace L1Net.Selection;

/// <summary>One fold of a <see cref="CrossValidation"/>: which rows it held out and how the path trained on the others scored on them.</summary>
public sealed class CrossValidationFold
{
    private readonly int[] _validationRows;

    internal CrossValidationFold(int repeat, int fold, int[] validationRows, double[] losses, double[] accuracies, int[] nonzeroWeights)
    {
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

    /// <summary>Per lambda (largest first): the mean validation data loss.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Per lambda (largest first): the validation accuracy; NaN without class labels.</summary>
    public IReadOnlyList<double> Accuracies { get; }

    /// <summary>Per lambda (largest first): the nonzero weights of the fold's network.</summary>
    public IReadOnlyList<int> NonzeroWeights { get; }
}
