namespace L1Net.Study;

/// <summary>The outcome of one run of the study.</summary>
/// <param name="TrainAccuracy">Accuracy on the training rows.</param>
/// <param name="TestAccuracy">Accuracy on the test rows.</param>
/// <param name="WeightL1">Sum of |w| over the weights (biases excluded).</param>
/// <param name="NearZero">Weights with |w| &lt; 1e-3.</param>
/// <param name="ExactZeros">Weights exactly 0.</param>
/// <param name="Completed">Whether training ran all its epochs (false: it diverged).</param>
public readonly record struct StudyCell(double TrainAccuracy, double TestAccuracy, double WeightL1, int NearZero, int ExactZeros, bool Completed);

/// <summary>All outcomes of a study: <see cref="Cells"/>[arm, seed].</summary>
/// <param name="Design">The design that was run.</param>
/// <param name="Arms">The arms, in the order of the first index of <see cref="Cells"/>.</param>
/// <param name="Cells">The outcome of every arm on every data set.</param>
public sealed record StudyResults(StudyDesign Design, IReadOnlyList<StudyArm> Arms, StudyCell[,] Cells);
