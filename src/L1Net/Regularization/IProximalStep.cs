namespace L1Net;

/// <summary>
/// Implemented by the built-in regularizers whose step is a smooth data step followed by their own
/// <see cref="IRegularizer.AfterUpdate"/> (proximal L1 and elastic net, cumulative L1). The fused loops run the data step
/// (<c>w (1 - rate l2) - rate g</c>, in the arithmetic of <c>UpdateKernels.ElasticNet</c>) and then call
/// <c>AfterUpdate</c>, exactly as the general path does after <see cref="IRegularizer.Update"/>.
/// </summary>
internal interface IProximalStep
{
    /// <summary>The L2 strength of the data step (0: plain SGD).</summary>
    float DataStepL2 { get; }

    /// <summary>
    /// Whether <c>AfterUpdate</c> acts weight by weight, so that it may be applied to any part of its span (the mini-batch
    /// engine applies it per thread to the rows each thread has just updated). False when it keeps state over its whole
    /// bound span and must see that span once per step: the fused per-sample loop can still run it, the engine cannot.
    /// </summary>
    bool ElementWise { get; }
}
