namespace L1Net.Tests.Support;

/// <summary>The regularizer kinds the math tests enumerate.</summary>
public enum RegKind
{
    None,
    L1,
    L2,
    ElasticNet,
}

/// <summary>A regularizer as the tests know it: its two strengths, and the L1Net strategy that should implement it.</summary>
internal sealed record RegSpec(RegKind Kind, float L1, float L2)
{
    public static RegSpec Of(RegKind kind, float l1 = 0.03f, float l2 = 0.05f) => kind switch
    {
        RegKind.None => new RegSpec(kind, 0f, 0f),
        RegKind.L1 => new RegSpec(kind, l1, 0f),
        RegKind.L2 => new RegSpec(kind, 0f, l2),
        RegKind.ElasticNet => new RegSpec(kind, l1, l2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public IRegularizer Create() => Kind switch
    {
        RegKind.None => Regularizer.None,
        RegKind.L1 => Regularizer.L1(L1),
        RegKind.L2 => Regularizer.L2(L2),
        RegKind.ElasticNet => Regularizer.ElasticNet(L1, L2),
        _ => throw new InvalidOperationException(),
    };
}
