namespace L1Net.Cli;

/// <summary><c>--lambda cv</c>: choosing lambda by k-fold cross-validation.</summary>
internal static class LambdaSelection
{
    /// <summary>Not available yet: the library's cross-validation and regularization path have not landed.</summary>
    public static float ChooseByCrossValidation(TrainSettings settings, Dataset train) =>
        throw new CliException("--lambda cv is not available yet: this build of L1Net has no cross-validation; give a number, e.g. --lambda 0.001.", ExitCodes.UsageError);
}
