namespace L1Net;

/// <summary>
/// Marks a bound regularizer whose data step is plain SGD and whose <see cref="IRegularizer.AfterUpdate"/> keeps
/// per-weight state, so it must see its whole bound span once per step (the cumulative L1 penalty). The fused
/// per-sample loop runs the plain step and then calls <c>AfterUpdate</c> on the layer, exactly as the general path does
/// after <see cref="IRegularizer.Update"/>; the mini-batch engine, which applies after-updates per thread on row ranges,
/// leaves such regularizers to the general path.
/// </summary>
internal interface IStatefulProximalStep;
