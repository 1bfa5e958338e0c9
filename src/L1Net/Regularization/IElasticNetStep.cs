namespace L1Net;

/// <summary>
/// Implemented by the sealed built-in regularizers whose step is exactly the elastic-net step
/// <c>w' = w (1 - rate l2) - rate (g + l1 sign(w))</c> and whose <see cref="IRegularizer.AfterUpdate"/> does nothing. The
/// trainer then fuses the regularizer into its own update loops (the per-sample rank-1 update, the weight-gradient matrix
/// multiply) instead of calling <see cref="IRegularizer.Update"/> on a gradient buffer. Custom regularizers never need it:
/// they go through the public <see cref="IRegularizer"/> contract.
/// </summary>
internal interface IElasticNetStep
{
    /// <summary>The L1 strength of the step (0 for none).</summary>
    float StepL1 { get; }

    /// <summary>The L2 strength of the step (0 for none).</summary>
    float StepL2 { get; }
}
