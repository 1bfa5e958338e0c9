namespace L1Net.Cli;

/// <summary>The regularizers the command line offers, by name.</summary>
internal static class Regularizers
{
    public static readonly string[] Names = ["none", "l1", "l2", "elasticnet"];

    /// <summary>Creates the named regularizer; for the elastic net, <c>l1 = lambda * ratio</c> and <c>l2 = lambda * (1 - ratio)</c>.</summary>
    public static IRegularizer Create(string name, float lambda, float l1Ratio) => name switch
    {
        "none" => Regularizer.None,
        "l1" => Regularizer.L1(lambda),
        "l2" => Regularizer.L2(lambda),
        "elasticnet" => Regularizer.ElasticNet(lambda * l1Ratio, lambda * (1f - l1Ratio)),
        _ => throw new CliException($"--regularizer must be one of {string.Join(", ", Names)}, not '{name}'.", ExitCodes.UsageError),
    };
}
