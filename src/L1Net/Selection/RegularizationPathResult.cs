namespace L1Net.Selection;

/// <summary>The networks of a regularization path, one per lambda, largest lambda first.</summary>
public sealed class RegularizationPathResult
{
    internal RegularizationPathResult(IReadOnlyList<PathPoint> points) => Points = points;

    /// <summary>The points, in decreasing order of lambda.</summary>
    public IReadOnlyList<PathPoint> Points { get; }

    /// <summary>The lambdas, in decreasing order.</summary>
    public IEnumerable<float> Lambdas => Points.Select(p => p.Lambda);
}
