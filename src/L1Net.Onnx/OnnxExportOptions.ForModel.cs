using System.Globalization;
using System.Text;
using System.Text.Json;
using L1Net.Data;
using L1Net.Networks;
using L1Net.Optimization;
using L1Net.Regularization;

namespace L1Net.Onnx;

public sealed partial class OnnxExportOptions
{
    /// <summary>
    /// The options that export <paramref name="model"/> completely: its <see cref="Standardizer"/> (as <see cref="Means"/>
    /// and <see cref="Scales"/>), feature and class names, and in <see cref="Metadata"/> its label name (<c>label_name</c>)
    /// and provenance (<c>provenance</c>, a JSON object); for a pruned model (<see cref="ClassificationModel.Prune"/>) the features
    /// its network reads as <see cref="SelectedFeatures"/>, so the graph takes full rows. Pass them, changed or not, to
    /// <see cref="OnnxExporter.ExportToFile(INetwork, string, OnnxExportOptions?)"/> with <c>model.Network</c>.
    /// </summary>
    /// <param name="model">The trained classifier.</param>
    /// <returns>The options for <c>model.Network</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="NotSupportedException">The model's preprocessor is not a <see cref="Standardizer"/>: it has no ONNX form.</exception>
    public static OnnxExportOptions ForModel(ClassificationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        float[]? means = null, scales = null;
        switch (model.Preprocessor)
        {
            case null:
                break;
            case Standardizer standardizer:
                means = standardizer.Means.ToArray();
                scales = standardizer.Scales.ToArray();
                break;
            case IPreprocessor other:
                throw new NotSupportedException($"The model's preprocessor '{other.Name}' ({other.GetType().Name}) has no ONNX form; only a Standardizer (or no preprocessing) can be exported.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (model.LabelName is { } label)
        {
            metadata["label_name"] = label;
        }

        if (model.Provenance is { } provenance)
        {
            metadata["provenance"] = ProvenanceJson(provenance);
        }

        return new OnnxExportOptions
        {
            Means = means,
            Scales = scales,
            FeatureNames = [.. model.FeatureNames],
            ClassNames = [.. model.ClassNames],
            // A pruned model's network reads only some of the raw features: the graph still takes full rows and gathers them.
            SelectedFeatures = model.InputFeatures.Count == model.FeatureCount ? null : [.. model.InputFeatures],
            InputFeatureCount = model.InputFeatures.Count == model.FeatureCount ? null : model.FeatureCount,
            Metadata = metadata.Count == 0 ? null : metadata,
        };
    }

    private static string ProvenanceJson(ModelProvenance p)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("regularizer", p.Regularizer);
            if (p.Lambda is { } lambda)
            {
                w.WriteNumber("lambda", lambda);
            }

            w.WriteNumber("epochs", p.Epochs);
            w.WriteString("optimizer", p.Optimizer);
            w.WriteNumber("learning_rate", p.LearningRate);
            w.WriteNumber("batch_size", p.BatchSize);
            w.WriteNumber("momentum", p.Momentum);
            w.WriteString("loss", p.Loss.ToString());
            w.WriteBoolean("regularize_biases", p.RegularizeBiases);
            w.WriteNumber("seed", p.Seed);
            w.WriteString("library_version", p.LibraryVersion);
            w.WriteNumber("training_rows", p.TrainingRows);
            w.WriteString("trained_at", p.TrainedAt.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("notes", p.Notes);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
