namespace L1Net.Regularization;

/// <summary>
/// How far a regularizer's gradient and proximal step reach across a matrix: this tells the trainer which pieces of a
/// layer it may hand the regularizer, so it can apply the update to rows while they are still in cache and on the thread
/// that computed them. It is part of the contract, not an optimisation hint: a regularizer must compute the same result
/// for any split the coupling allows.
/// </summary>
public enum RegularizerCoupling
{
    /// <summary>
    /// The whole matrix at once (the safe default): the result at one value may depend on any other value of the layer's
    /// weights (or biases), for example a group penalty over columns (an input's fan-out).
    /// </summary>
    Whole,

    /// <summary>
    /// Any block of whole rows: the result at a value depends only on values of the same row (a unit's fan-in), for example
    /// a group penalty over rows.
    /// </summary>
    Rows,

    /// <summary>Any block of whole rows, with each value independent of every other (L1, L2, elastic net and their proximal forms).</summary>
    None,
}
