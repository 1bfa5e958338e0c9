namespace L1Net.Seed;

/// <summary>How the output layer's error signal is computed in a <see cref="SeedRun"/>.</summary>
public enum GradientRule
{
    /// <summary>The listing's: only the diagonal of the softmax Jacobian (<see cref="DiagonalSoftmaxErrorRule"/>).</summary>
    Listing = 0,

    /// <summary>L1Net's own: the true gradient of the squared error through softmax (the full Jacobian).</summary>
    True = 1,
}
