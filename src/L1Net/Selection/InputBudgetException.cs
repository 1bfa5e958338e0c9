namespace L1Net.Selection;

/// <summary>
/// <see cref="CrossValidation.Run"/> found no lambda whose model uses at most <see cref="CrossValidationOptions.MaxInputs"/>
/// inputs, so the rule has nothing to choose from. The budget and the fewest inputs any lambda's model uses are
/// properties, so a caller can word its own message (a command line names its own option) without parsing
/// <see cref="Exception.Message"/>.
/// </summary>
/// <remarks>
/// Nothing is changed when it is thrown: the network passed to <see cref="CrossValidation.Run"/> keeps its parameters. A
/// penalty without exact zeros (L2) keeps every input at every lambda; add larger lambdas, use a penalty that removes
/// inputs (a group lasso over the inputs, or L1), or raise the budget. It is an <see cref="InvalidOperationException"/>,
/// as this failure was before it had its own type.
/// </remarks>
public sealed class InputBudgetException : InvalidOperationException
{
    /// <summary>Creates the exception; its message states both numbers, in invariant text.</summary>
    /// <param name="maxInputs">The budget: <see cref="CrossValidationOptions.MaxInputs"/>.</param>
    /// <param name="fewestInputs">The fewest inputs any lambda's model uses (more than <paramref name="maxInputs"/>).</param>
    public InputBudgetException(int maxInputs, int fewestInputs)
        : base(Guard.Text($"No lambda's model uses at most {maxInputs} input{(maxInputs == 1 ? string.Empty : "s")} ('{nameof(CrossValidationOptions.MaxInputs)}' = {maxInputs}); the fewest any lambda's model uses is {fewestInputs}. Add larger lambdas, use a penalty that removes inputs (a group lasso over the inputs, or L1), or raise the budget."))
    {
        MaxInputs = maxInputs;
        FewestInputs = fewestInputs;
    }

    /// <summary>The input budget no lambda met (<see cref="CrossValidationOptions.MaxInputs"/>).</summary>
    public int MaxInputs { get; }

    /// <summary>The fewest inputs any lambda's model on all the training rows uses; more than <see cref="MaxInputs"/>.</summary>
    public int FewestInputs { get; }
}
