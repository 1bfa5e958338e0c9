using System.Globalization;
using System.Numerics.Tensors;

namespace L1Net.Regularization;

/// <summary>
/// Group lasso over whole inputs or hidden units, and the sparse group lasso: with <c>g</c> running over the columns of a
/// penalized weight matrix (an input's or a hidden unit's fan-out, chosen by <see cref="Groups"/>) and <c>n</c> the column's
/// length (the layer's output units),
/// <c>R(W) = lambda ((1 - alpha) sqrt(n) sum_g ||w_g||_2 + alpha sum |w|)</c>, <c>alpha</c> = <see cref="L1Ratio"/>. Whole
/// groups reach exactly zero, so the inputs and units they belong to can be removed with <see cref="NetworkPruner"/>.
/// </summary>
/// <remarks>
/// <para>
/// The penalty has no smooth part: <see cref="AddGradient"/> adds nothing, and after every optimizer step
/// <see cref="ApplyProximal"/> applies its proximal operator with the optimizer's step sizes <c>eta</c>: first the
/// element-wise soft-threshold by <c>alpha lambda eta</c> (when <c>alpha &gt; 0</c>), then on each column the group
/// soft-threshold for <c>lambda_g = (1 - alpha) lambda sqrt(n)</c>. Under SGD and momentum (one step size) that is the closed
/// form <c>w_g = max(0, 1 - eta lambda_g / ||w_g||) w_g</c>; under Adam and AdamW (one step size per weight) it is the exact
/// proximal step in Adam's diagonal metric: <c>w_g = 0</c> when <c>||w_g / eta_g|| &lt;= lambda_g</c>, else
/// <c>w_i = v_i r / (r + eta_i lambda_g)</c> with <c>r</c> the norm of the result, found by a one-dimensional root-find. The
/// composition of the two thresholds is the exact proximal operator of the sum (Simon et al., 2013). See
/// <c>docs/math.md</c>.
/// </para>
/// <para>
/// Biases are never penalized (a unit's bias does not decide whether the unit matters: a unit whose fan-out is zero is dead
/// whatever its bias, and one whose fan-in is zero is a constant that pruning folds into the next layer), and the matrices
/// of layers outside <see cref="Groups"/> are left alone; use <see cref="TrainerOptions.LayerRegularizers"/> to give those
/// layers another penalty. A column couples the values of every row, so the trainer always hands this regularizer whole
/// matrices (<see cref="RegularizerCoupling.Whole"/>).
/// </para>
/// </remarks>
internal sealed class GroupLassoRegularizer : IRegularizer
{
    private readonly float[]? _factors;
    private readonly double[]? _values;
    private readonly double[]? _steps;

    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <param name="groups">The groups to penalize: inputs, hidden units, or both.</param>
    /// <param name="l1Ratio">The share <c>alpha</c> of the element-wise L1 penalty, in [0, 1]: 0 is the group lasso, 1 is proximal L1 on the same layers. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="lambda"/> is negative, NaN or infinite; <paramref name="groups"/> is not one of the defined values;
    /// or <paramref name="l1Ratio"/> is outside [0, 1] or NaN.
    /// </exception>
    public GroupLassoRegularizer(float lambda, GroupTarget groups = GroupTarget.Inputs, float l1Ratio = 0f)
    {
        Guard.NonNegative(lambda);
        if (groups is not (GroupTarget.Inputs or GroupTarget.Units or GroupTarget.InputsAndUnits))
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, Guard.Text($"'{nameof(groups)}' must be Inputs, Units or InputsAndUnits."));
        }

        if (!(l1Ratio >= 0f && l1Ratio <= 1f))
        {
            throw Guard.OutOfRange(nameof(l1Ratio), l1Ratio, Guard.Text($"'{nameof(l1Ratio)}' must be in [0, 1], but was {l1Ratio}."));
        }

        Lambda = lambda;
        Groups = groups;
        L1Ratio = l1Ratio;
    }

    private GroupLassoRegularizer(GroupLassoRegularizer owner, ParameterShape shape)
        : this(owner.Lambda, owner.Groups, owner.L1Ratio)
    {
        _factors = new float[shape.Columns];
        _values = new double[shape.Rows];
        _steps = new double[shape.Rows];
    }

    /// <summary>The strength <c>lambda</c>.</summary>
    public float Lambda { get; }

    /// <summary>Which columns are groups: the first layer's (inputs), the later layers' (hidden units), or all.</summary>
    public GroupTarget Groups { get; }

    /// <summary>The share <c>alpha</c> of the element-wise L1 part, in [0, 1].</summary>
    public float L1Ratio { get; }

    /// <inheritdoc />
    public string Name => L1Ratio == 0f
        ? string.Create(CultureInfo.InvariantCulture, $"GroupLasso({Groups}, {Lambda})")
        : string.Create(CultureInfo.InvariantCulture, $"SparseGroupLasso({Groups}, {Lambda}, l1Ratio={L1Ratio})");

    /// <inheritdoc />
    public RegularizerCoupling Coupling => RegularizerCoupling.Whole;

    /// <inheritdoc />
    public bool HasProximalStep => true;

    /// <summary>Whether the matrix of <paramref name="shape"/> is penalized: weights of a layer that <see cref="Groups"/> names.</summary>
    /// <param name="shape">The matrix's shape.</param>
    /// <returns>True for the first layer's weights under <see cref="GroupTarget.Inputs"/> and later layers' weights under <see cref="GroupTarget.Units"/>.</returns>
    public bool Penalizes(ParameterShape shape) =>
        shape.Kind == ParameterKind.Weights
        && (shape.Layer == 0 ? (Groups & GroupTarget.Inputs) != 0 : (Groups & GroupTarget.Units) != 0);

    /// <inheritdoc />
    public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
    {
        if (!Penalizes(shape))
        {
            return 0d;
        }

        CheckWhole(values.Length, shape, nameof(values));
        double group = (1d - L1Ratio) == 0d ? 0d : (1d - L1Ratio) * Math.Sqrt(shape.Rows) * GroupProximal.SumOfColumnNorms(values, shape.Rows, shape.Columns);
        double l1 = L1Ratio == 0f ? 0d : L1Ratio * (double)TensorPrimitives.SumOfMagnitudes(values);
        return Lambda * (group + l1);
    }

    /// <inheritdoc />
    public bool HasGradient => false;

    /// <inheritdoc />
    public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
    {
    }

    /// <inheritdoc />
    public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape)
    {
        if (!Penalizes(shape))
        {
            return;
        }

        CheckWhole(values.Length, shape, nameof(values));
        if (stepSizes.Length != 1 && stepSizes.Length != values.Length)
        {
            throw new ArgumentException(Guard.Text($"'{nameof(stepSizes)}' must hold one step size or one per value ({values.Length}), but has {stepSizes.Length}."), nameof(stepSizes));
        }

        if (_factors is null)
        {
            // Called outside training (not bound): use scratch for this call only.
            new GroupLassoRegularizer(this, shape).ApplyProximal(values, stepSizes, shape);
            return;
        }

        double l1 = (double)L1Ratio * Lambda;
        double groupLambda = (1d - L1Ratio) * Lambda * Math.Sqrt(shape.Rows);
        if (l1 > 0d)
        {
            ProximalL1Regularizer.SoftThreshold(values, stepSizes, (float)l1);
        }

        if (groupLambda == 0d)
        {
            return;
        }

        if (stepSizes.Length == 1)
        {
            GroupProximal.BlockSoftThresholdColumns(values, shape.Rows, shape.Columns, (float)(stepSizes[0] * groupLambda), _factors);
        }
        else
        {
            GroupProximal.DiagonalGroupProxColumns(values, stepSizes, shape.Rows, shape.Columns, groupLambda, _values, _steps!);
        }
    }

    /// <summary>Returns a copy with scratch space for the matrix of <paramref name="shape"/>, or <see cref="Regularizer.None"/> for a matrix it leaves alone (so that matrix keeps the row-block updates a whole-matrix coupling would take from it).</summary>
    /// <param name="shape">The whole matrix's shape.</param>
    /// <returns>The regularizer to call for that matrix.</returns>
    public IRegularizer Bind(ParameterShape shape) => Penalizes(shape) ? new GroupLassoRegularizer(this, shape.Whole) : Regularizer.None;

    /// <inheritdoc />
    public override string ToString() => Name;

    private static void CheckWhole(int length, ParameterShape shape, string name)
    {
        if (!shape.IsWhole)
        {
            throw new ArgumentException(Guard.Text($"A group lasso needs the whole matrix (its groups are columns), but was given {shape}."), nameof(shape));
        }

        shape.CheckLength(length, name);
    }
}
