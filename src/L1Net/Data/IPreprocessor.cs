namespace L1Net.Data;

/// <summary>
/// A feature preprocessing step: <see cref="Fit"/> learns its statistics from training rows only and returns a fitted
/// step; the fitted step's <see cref="Transform(ReadOnlySpan{float}, Span{float})"/> maps raw feature rows to the values
/// the network is trained on. <see cref="Standardizer"/> is the built-in step.
/// </summary>
/// <remarks>
/// <para>
/// Implementations are immutable: <see cref="Fit"/> never changes the instance it is called on, so one unfitted step can
/// be refitted on every cross-validation fold (<see cref="CrossValidationOptions.Preprocessing"/>) and a fitted step can be
/// used from several threads at once.
/// </para>
/// <para>
/// A fitted step is saved with a model by <see cref="Serialization.ModelSerializer"/>; the model file stores the
/// <see cref="Standardizer"/>'s means and scales, so only built-in steps can be saved.
/// </para>
/// </remarks>
public interface IPreprocessor
{
    /// <summary>A short description for logs and reports, for example <c>Standardizer(13 features)</c>.</summary>
    string Name { get; }

    /// <summary>Whether the step has been fitted (only fitted steps transform).</summary>
    bool IsFitted { get; }

    /// <summary>The number of features per row the fitted step takes and returns; 0 before fitting.</summary>
    int FeatureCount { get; }

    /// <summary>Learns the step's statistics from <paramref name="trainingRows"/> and returns a fitted step; this instance is unchanged.</summary>
    /// <param name="trainingRows">The rows to fit on: the training rows only, never held-out rows.</param>
    /// <returns>The fitted step.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trainingRows"/> is null.</exception>
    IPreprocessor Fit(Dataset trainingRows);

    /// <summary>Transforms one or more rows, row by row, without allocating.</summary>
    /// <param name="features">Raw rows: a positive whole number of rows of <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">The transformed rows, the same length; may be the same span as <paramref name="features"/> (in place), but must not partly overlap it.</param>
    /// <exception cref="InvalidOperationException">The step is not fitted.</exception>
    /// <exception cref="ArgumentException">The lengths do not fit <see cref="FeatureCount"/>.</exception>
    void Transform(ReadOnlySpan<float> features, Span<float> destination);

    /// <summary>Returns a copy of <paramref name="data"/> with transformed features (targets and labels unchanged).</summary>
    /// <param name="data">The rows; <see cref="Dataset.FeatureCount"/> must equal <see cref="FeatureCount"/>.</param>
    /// <returns>The transformed rows.</returns>
    /// <exception cref="InvalidOperationException">The step is not fitted.</exception>
    /// <exception cref="ArgumentException">The feature count does not match, or a transformed value is not finite.</exception>
    Dataset Transform(Dataset data);
}
