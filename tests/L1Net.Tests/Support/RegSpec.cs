namespace L1Net.Tests.Support;

/// <summary>Which regularizer a test uses: every built-in strategy has a kind (the gradient checks cover them all).</summary>
public enum RegKind
{
    None,
    L1,
    L2,
    ElasticNet,
    ProximalL1,
    CumulativeL1,
    ProximalElasticNet,

    /// <summary>Sparse group lasso over inputs and hidden units (l1 = lambda, l1Ratio = <see cref="RegSpec.GroupL1Ratio"/>): its smooth part is zero.</summary>
    GroupLasso,
}

/// <summary>A regularizer as the tests know it: its two strengths, and the L1Net strategy that should implement it.</summary>
internal sealed record RegSpec(RegKind Kind, float L1, float L2)
{
    public static RegSpec Of(RegKind kind, float l1 = 0.03f, float l2 = 0.05f) => kind switch
    {
        RegKind.None => new RegSpec(kind, 0f, 0f),
        RegKind.L1 or RegKind.ProximalL1 or RegKind.CumulativeL1 or RegKind.GroupLasso => new RegSpec(kind, l1, 0f),
        RegKind.L2 => new RegSpec(kind, 0f, l2),
        RegKind.ElasticNet or RegKind.ProximalElasticNet => new RegSpec(kind, l1, l2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Whether the L1 part is applied by a proximal step after the update instead of through the gradient.</summary>
    public bool IsProximal => Kind is RegKind.ProximalL1 or RegKind.CumulativeL1 or RegKind.ProximalElasticNet or RegKind.GroupLasso;

    /// <summary>The element-wise share of <see cref="RegKind.GroupLasso"/>.</summary>
    public const float GroupL1Ratio = 0.4f;

    /// <summary>
    /// The part of the penalty the gradient covers: the whole penalty for subgradient regularizers, <c>l2/2 sum w^2</c> for
    /// proximal ones (their <c>l1 sum |w|</c> is the proximal step's, and has no derivative at 0).
    /// </summary>
    public RegSpec Smooth => IsProximal ? new RegSpec(L2 == 0f ? RegKind.None : RegKind.L2, 0f, L2) : this;

    public IRegularizer Create() => Kind switch
    {
        RegKind.None => Regularizer.None,
        RegKind.L1 => Regularizer.L1(L1),
        RegKind.L2 => Regularizer.L2(L2),
        RegKind.ElasticNet => Regularizer.ElasticNet(L1, L2),
        RegKind.ProximalL1 => Regularizer.ProximalL1(L1),
        RegKind.CumulativeL1 => Regularizer.CumulativeL1(L1),
        RegKind.ProximalElasticNet => Regularizer.ProximalElasticNet(L1, L2),
        RegKind.GroupLasso => Regularizer.SparseGroupLasso(L1, GroupL1Ratio, GroupTarget.InputsAndUnits),
        _ => throw new InvalidOperationException(),
    };
}
