namespace L1Net.Selection;

/// <summary>Where the training at each lambda of a <see cref="RegularizationPath"/> starts.</summary>
/// <remarks>
/// A solution with every weight zero is never used as a start: such a network computes a constant and sits where, by
/// symmetry, the data gradient of every weight vanishes, so training could not leave it; the next lambda starts from the
/// initial network instead. <see cref="PathPoint.WarmStarted"/> says which start each point had.
/// </remarks>
public enum PathDirection
{
    /// <summary>
    /// Every lambda is trained from the initial network (a cold start), independently of the others. The default: on
    /// networks it matches or beats both warm paths (docs/sparsity.md), and a point equals a single training at its lambda.
    /// </summary>
    ColdStarts = 0,

    /// <summary>
    /// The smallest lambda is trained from the initial network, then each larger lambda starts from the next smaller one's
    /// solution: the network is trained dense first and weights are pruned as lambda grows.
    /// </summary>
    WarmUpward = 1,

    /// <summary>
    /// glmnet's direction: the largest lambda first, each smaller lambda starting from the previous solution. Suits convex
    /// models; on a network, weights cut near lambda_max are rarely born again, so the whole path can stay too sparse.
    /// </summary>
    WarmDownward = 2,
}

/// <summary>
/// Settings of a <see cref="RegularizationPath"/>: how each lambda is trained and which lambdas are tried. Every property
/// has a default; all are validated when the path is created.
/// </summary>
public sealed class RegularizationPathOptions
{
    /// <summary>
    /// How every point of the path is trained (epochs, learning rate, batch size, loss, seed...). Default
    /// <c>new TrainerOptions()</c>. <see cref="TrainerOptions.LayerRegularizers"/> must be null, since the path sets the
    /// regularizer.
    /// </summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>
    /// Makes the regularizer for a given lambda. Default <see cref="Regularizer.ProximalL1"/>; for an elastic net path with
    /// mixing <c>alpha</c>, for example <c>lambda =&gt; Regularizer.ProximalElasticNet(alpha * lambda, (1 - alpha) * lambda)</c>.
    /// A regularizer that never reaches exact zeros (such as the subgradient <see cref="Regularizer.L1"/>) needs an explicit
    /// <see cref="LambdaMax"/> or <see cref="Lambdas"/>, since no lambda then zeroes every weight.
    /// </summary>
    public Func<float, IRegularizer> CreateRegularizer { get; init; } = Regularizer.ProximalL1;

    /// <summary>Number of lambdas, spaced evenly on a log scale from lambda_max down to <c>LambdaMinRatio * lambda_max</c>. Default 20; at least 1.</summary>
    public int LambdaCount { get; init; } = 20;

    /// <summary>The smallest lambda of the path as a fraction of lambda_max. Default 0.001; in (0, 1).</summary>
    public float LambdaMinRatio { get; init; } = 1e-3f;

    /// <summary>
    /// The largest lambda of the path. Default null: found by <see cref="RegularizationPath.FindLambdaMax"/>, as the
    /// smallest lambda (to within <see cref="LambdaMaxTolerance"/>) whose training from the initial network ends with every
    /// weight exactly zero. Finite and greater than 0 when set.
    /// </summary>
    public float? LambdaMax { get; init; }

    /// <summary>Relative precision of the lambda_max search: it stops when its bracket <c>[lo, hi]</c> has <c>hi / lo &lt;= 1 + tolerance</c>. Default 0.05; in (0, 1].</summary>
    public float LambdaMaxTolerance { get; init; } = 0.05f;

    /// <summary>
    /// An explicit lambda sequence, strictly decreasing, each finite and at least 0; overrides <see cref="LambdaMax"/>,
    /// <see cref="LambdaCount"/> and <see cref="LambdaMinRatio"/>. Default null. The options keep a copy: changing the list
    /// given here afterwards changes nothing (the copy is what was validated).
    /// </summary>
    public IReadOnlyList<float>? Lambdas
    {
        get => _lambdas;
        init => _lambdas = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    private readonly IReadOnlyList<float>? _lambdas;

    /// <summary>
    /// Where the training at each lambda starts. Default <see cref="PathDirection.ColdStarts"/>: every lambda from the
    /// initial network, the choice measured best for networks (docs/sparsity.md compares the three directions).
    /// </summary>
    public PathDirection Direction { get; init; } = PathDirection.ColdStarts;

    /// <summary>Throws if any setting is out of range.</summary>
    internal void Validate()
    {
        if (Trainer is null)
        {
            throw new ArgumentNullException(nameof(Trainer), $"'{nameof(Trainer)}' must be set.");
        }

        Trainer.Validate();
        if (Trainer.LayerRegularizers is not null)
        {
            throw new ArgumentException($"'{nameof(Trainer)}.{nameof(TrainerOptions.LayerRegularizers)}' must be null: the path sets the regularizer of every layer.", nameof(Trainer));
        }

        if (CreateRegularizer is null)
        {
            throw new ArgumentNullException(nameof(CreateRegularizer), $"'{nameof(CreateRegularizer)}' must be set.");
        }

        if (LambdaCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LambdaCount), LambdaCount, $"'{nameof(LambdaCount)}' must be at least 1, but was {LambdaCount}.");
        }

        if (!(LambdaMinRatio > 0f && LambdaMinRatio < 1f))
        {
            throw Guard.OutOfRange(nameof(LambdaMinRatio), LambdaMinRatio, Guard.Text($"'{nameof(LambdaMinRatio)}' must be in (0, 1), but was {LambdaMinRatio}."));
        }

        if (LambdaMax is float max && (!float.IsFinite(max) || max <= 0f))
        {
            throw Guard.OutOfRange(nameof(LambdaMax), max, Guard.Text($"'{nameof(LambdaMax)}' must be a finite number greater than 0, but was {max}."));
        }

        if (!(LambdaMaxTolerance > 0f && LambdaMaxTolerance <= 1f))
        {
            throw Guard.OutOfRange(nameof(LambdaMaxTolerance), LambdaMaxTolerance, Guard.Text($"'{nameof(LambdaMaxTolerance)}' must be in (0, 1], but was {LambdaMaxTolerance}."));
        }

        if (!Enum.IsDefined(Direction))
        {
            throw new ArgumentOutOfRangeException(nameof(Direction), Direction, $"'{nameof(Direction)}' is not a defined PathDirection value.");
        }

        if (Lambdas is not null)
        {
            if (Lambdas.Count == 0)
            {
                throw new ArgumentException($"'{nameof(Lambdas)}' must hold at least one lambda.", nameof(Lambdas));
            }

            for (int i = 0; i < Lambdas.Count; i++)
            {
                float lambda = Lambdas[i];
                if (!float.IsFinite(lambda) || lambda < 0f || (i > 0 && lambda >= Lambdas[i - 1]))
                {
                    throw new ArgumentException(Guard.Text($"'{nameof(Lambdas)}' must be strictly decreasing, finite and at least 0, but entry {i} is {lambda}."), nameof(Lambdas));
                }
            }
        }
    }
}
