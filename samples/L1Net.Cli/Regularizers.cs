using L1Net.Regularization;

namespace L1Net.Cli;

/// <summary>The regularizers the command line offers, by name.</summary>
internal static class Regularizers
{
    public static readonly string[] Names = ["none", "l1", "l2", "elasticnet", "proximal-l1", "cumulative-l1", "proximal-elasticnet", "group-l1", "unit-l1", "sparse-group-l1"];

    /// <summary>
    /// Creates the named regularizer; for the two elastic nets, <c>l1 = lambda * ratio</c> and <c>l2 = lambda * (1 - ratio)</c>;
    /// group-l1 is the group lasso over the inputs (feature selection), unit-l1 over the hidden units, sparse-group-l1 the
    /// sparse group lasso over the inputs with <c>ratio</c> as its element-wise share.
    /// </summary>
    public static IRegularizer Create(string name, float lambda, float l1Ratio) => name switch
    {
        "none" => Regularizer.None,
        "l1" => Regularizer.L1(lambda),
        "l2" => Regularizer.L2(lambda),
        "elasticnet" => Regularizer.ElasticNet(lambda * l1Ratio, lambda * (1f - l1Ratio)),
        "proximal-l1" => Regularizer.ProximalL1(lambda),
        "cumulative-l1" => Regularizer.CumulativeL1(lambda),
        "proximal-elasticnet" => Regularizer.ProximalElasticNet(lambda * l1Ratio, lambda * (1f - l1Ratio)),
        "group-l1" => Regularizer.InputGroupLasso(lambda),
        "unit-l1" => Regularizer.UnitGroupLasso(lambda),
        "sparse-group-l1" => Regularizer.SparseGroupLasso(lambda, l1Ratio),
        _ => throw new CliException($"--regularizer must be one of {string.Join(", ", Names)}, not '{name}'.", ExitCodes.UsageError),
    };

    /// <summary>
    /// Why the named regularizer never sets a weight exactly to zero, or null when it does (the proximal and cumulative L1,
    /// and the proximal elastic net with an L1 part). Without exact zeros no lambda zeroes every weight, so cross-validation
    /// cannot search the largest lambda of its path and needs an explicit grid.
    /// </summary>
    public static string? WhyNoExactZeros(string name, double l1Ratio) => name switch
    {
        "proximal-l1" or "cumulative-l1" or "group-l1" or "unit-l1" or "sparse-group-l1" => null,
        "proximal-elasticnet" when l1Ratio > 0 => null,
        "proximal-elasticnet" => "with --l1-ratio 0 the proximal elastic net is plain L2, which shrinks weights but never sets one exactly to zero",
        "l2" => "L2 shrinks weights but never sets one exactly to zero",
        "l1" => "subgradient L1 steps over zero instead of stopping there and never sets a weight exactly to zero",
        "elasticnet" => "the subgradient elastic net steps over zero instead of stopping there and never sets a weight exactly to zero",
        _ => "it has no strength to choose",
    };
}
