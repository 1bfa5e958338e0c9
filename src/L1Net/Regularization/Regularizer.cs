namespace L1Net.Regularization;

/// <summary>Factory for the built-in regularizers: <c>Regularizer.None</c>, <c>Regularizer.L1(0.001f)</c>, ...</summary>
public static class Regularizer
{
    /// <summary>No regularization.</summary>
    public static IRegularizer None => NoRegularizer.Instance;

    /// <summary>L1 by subgradient, <c>lambda * sum |w|</c>.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer L1(float lambda) => new L1Regularizer(lambda);

    /// <summary>L2 (weight decay), <c>lambda / 2 * sum w^2</c>.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer L2(float lambda) => new L2Regularizer(lambda);

    /// <summary>Elastic net, <c>l1 * sum |w| + l2 / 2 * sum w^2</c>.</summary>
    /// <param name="l1">L1 strength, finite and at least zero.</param>
    /// <param name="l2">L2 strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative, NaN or infinite.</exception>
    public static IRegularizer ElasticNet(float l1, float l2) => new ElasticNetRegularizer(l1, l2);

    /// <summary>L1 by soft-thresholding after every update, <c>lambda * sum |w|</c>: weights reach exactly zero.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer ProximalL1(float lambda) => new ProximalL1Regularizer(lambda);

    /// <summary>L1 by the clipped cumulative penalty of Tsuruoka et al. (2009), <c>lambda * sum |w|</c>: weights reach exactly zero.</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer CumulativeL1(float lambda) => new CumulativeL1Regularizer(lambda);

    /// <summary>Elastic net with its L1 part applied by soft-thresholding, <c>l1 * sum |w| + l2 / 2 * sum w^2</c>.</summary>
    /// <param name="l1">L1 strength, finite and at least zero.</param>
    /// <param name="l2">L2 strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative, NaN or infinite.</exception>
    public static IRegularizer ProximalElasticNet(float l1, float l2) => new ProximalElasticNetRegularizer(l1, l2);

    /// <summary>
    /// Group lasso over the inputs (feature selection): <c>lambda sqrt(n) sum_i ||W[:, i]||</c> over the columns of the first
    /// layer's weights, each the fan-out of one input. Whole columns reach exactly zero; <see cref="NetworkPruner"/> then drops
    /// those inputs. Works under every optimizer (see <see cref="GroupLassoRegularizer"/>).
    /// </summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer InputGroupLasso(float lambda) => new GroupLassoRegularizer(lambda, GroupTarget.Inputs);

    /// <summary>
    /// Group lasso over the hidden units (unit selection): <c>lambda sqrt(n) sum_j ||W[:, j]||</c> over the columns of every
    /// later layer's weights, each the fan-out of one hidden unit. Whole units reach zero; <see cref="NetworkPruner"/> removes them.
    /// </summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer UnitGroupLasso(float lambda) => new GroupLassoRegularizer(lambda, GroupTarget.Units);

    /// <summary>Group lasso over inputs and hidden units together (every column of every layer).</summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, NaN or infinite.</exception>
    public static IRegularizer GroupLasso(float lambda) => new GroupLassoRegularizer(lambda, GroupTarget.InputsAndUnits);

    /// <summary>
    /// Sparse group lasso (Simon, Friedman, Hastie and Tibshirani, 2013):
    /// <c>lambda ((1 - l1Ratio) sqrt(n) sum_g ||w_g|| + l1Ratio sum |w|)</c>, so whole groups and single weights inside the
    /// remaining groups both reach exactly zero.
    /// </summary>
    /// <param name="lambda">Strength, finite and at least zero.</param>
    /// <param name="l1Ratio">The element-wise share, in [0, 1].</param>
    /// <param name="groups">The groups: inputs (default), hidden units, or both.</param>
    /// <returns>The regularizer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public static IRegularizer SparseGroupLasso(float lambda, float l1Ratio, GroupTarget groups = GroupTarget.Inputs) =>
        new GroupLassoRegularizer(lambda, groups, l1Ratio);
}
