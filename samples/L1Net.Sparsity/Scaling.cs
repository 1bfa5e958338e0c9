using L1Net.Data;

namespace L1Net.Sparsity;

/// <summary>The library's <see cref="Standardizer"/>, fitted on one set of rows and applied to another (so test rows never shape the statistics).</summary>
internal static class Scaling
{
    /// <summary>Returns <paramref name="rows"/> standardized with the means and standard deviations of <paramref name="fitRows"/>.</summary>
    public static Dataset FitAndApply(Dataset fitRows, Dataset rows) => new Standardizer().Fit(fitRows).Transform(rows);
}
