namespace L1Net.Losses;

/// <summary>
/// Computes the output layer's error signal <c>delta = dE/dz</c> (gradient convention: the trainer then moves each
/// parameter by <c>-rate * gradient</c>). By default the trainer uses the true gradient of its <see cref="LossFunction"/>
/// through the output activation; plug in a rule to reproduce another program's back-propagation (for example one that
/// keeps only the diagonal of the softmax Jacobian).
/// </summary>
public interface IOutputErrorRule
{
    /// <summary>Writes <c>dE/dz_k</c> for every output unit.</summary>
    /// <param name="output">The network output <c>o</c> (after the output activation).</param>
    /// <param name="target">The target <c>t</c>.</param>
    /// <param name="error">Receives <c>dE/dz</c>; same length as <paramref name="output"/>.</param>
    void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error);
}
