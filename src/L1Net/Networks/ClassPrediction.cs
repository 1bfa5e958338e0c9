namespace L1Net.Networks;

/// <summary>The prediction of a <see cref="ClassificationModel"/> for one row.</summary>
/// <param name="ClassIndex">The predicted class: the index of the largest probability (the first on ties).</param>
/// <param name="ClassName">The predicted class's name, <c>model.ClassNames[ClassIndex]</c>.</param>
/// <param name="Probabilities">The network's output for each class, in class order.</param>
public sealed record ClassPrediction(int ClassIndex, string ClassName, IReadOnlyList<float> Probabilities);
