using L1Net.Activations;
using L1Net.Networks;

namespace L1Net.Onnx;

/// <summary>The validated facts of one export: every check on the network and the options happens here, before anything is written.</summary>
internal sealed class ExportPlan
{
    private ExportPlan(int rawFeatureCount, int[]? selected, float[]? means, float[]? scales, string outputName)
    {
        RawFeatureCount = rawFeatureCount;
        Selected = selected;
        Means = means;
        Scales = scales;
        OutputName = outputName;
    }

    /// <summary>Columns of the graph input.</summary>
    public int RawFeatureCount { get; }

    /// <summary>The selected raw features, or null for all.</summary>
    public int[]? Selected { get; }

    /// <summary>Means of the network's inputs (already selected), or null.</summary>
    public float[]? Means { get; }

    /// <summary>Scales of the network's inputs (already selected), or null.</summary>
    public float[]? Scales { get; }

    /// <summary>The resolved name of the outputs tensor.</summary>
    public string OutputName { get; }

    public static ExportPlan Create(INetwork network, OnnxExportOptions options)
    {
        ValidateNetwork(network);

        int raw = RawCount(network, options);
        int[]? selected = null;
        if (options.SelectedFeatures is { } selection)
        {
            if (selection.Count != network.InputSize)
            {
                throw new ArgumentException($"'SelectedFeatures' must list {network.InputSize} features (the network's input size), but lists {selection.Count}.", nameof(options));
            }

            selected = [.. selection];
            var seen = new HashSet<int>();
            foreach (int index in selected)
            {
                if ((uint)index >= (uint)raw)
                {
                    throw new ArgumentException($"'SelectedFeatures' holds {index}, outside the {raw} raw features (0 to {raw - 1}).", nameof(options));
                }

                if (!seen.Add(index))
                {
                    throw new ArgumentException($"'SelectedFeatures' lists feature {index} twice.", nameof(options));
                }
            }
        }

        float[]? means = null, scales = null;
        if (options.Means is not null || options.Scales is not null)
        {
            if (options.Means is null || options.Scales is null)
            {
                throw new ArgumentException("'Means' and 'Scales' must be set together (standardization needs both).", nameof(options));
            }

            Check(options.Means, raw, "Means", requireNonzero: false);
            Check(options.Scales, raw, "Scales", requireNonzero: true);
            means = selected is null ? [.. options.Means] : [.. selected.Select(i => options.Means[i])];
            scales = selected is null ? [.. options.Scales] : [.. selected.Select(i => options.Scales[i])];
        }

        if (options.FeatureNames is { } features)
        {
            CheckNames(features, raw, "FeatureNames", "raw features");
        }

        if (options.ClassNames is { } classes)
        {
            CheckNames(classes, network.OutputSize, "ClassNames", "network outputs");
        }

        if (options.ModelVersion < 0)
        {
            throw new ArgumentException($"'ModelVersion' must be zero or more, but is {options.ModelVersion}.", nameof(options));
        }

        string outputName = options.OutputName ?? (network.Layers[^1].Activation is Activation.Identity ? "scores" : "probabilities");
        CheckTensorName(options.InputName, "InputName");
        CheckTensorName(outputName, "OutputName");
        CheckTensorName(options.ClassOutputName, "ClassOutputName");
        if (options.InputName == outputName || options.InputName == options.ClassOutputName || outputName == options.ClassOutputName)
        {
            throw new ArgumentException($"'InputName' ({options.InputName}), 'OutputName' ({outputName}) and 'ClassOutputName' ({options.ClassOutputName}) must differ.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.GraphName))
        {
            throw new ArgumentException("'GraphName' must not be empty.", nameof(options));
        }

        if (options.Metadata is { } metadata)
        {
            foreach (string key in metadata.Keys)
            {
                if (string.IsNullOrEmpty(key) || key.StartsWith(OnnxExporter.MetadataPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'Metadata' key '{key}' is empty or starts with '{OnnxExporter.MetadataPrefix}', which the exporter reserves.", nameof(options));
                }

                if (metadata[key] is null)
                {
                    throw new ArgumentException($"'Metadata' value of '{key}' is null.", nameof(options));
                }
            }
        }

        return new ExportPlan(raw, selected, means, scales, outputName);
    }

    private static void ValidateNetwork(INetwork network)
    {
        IReadOnlyList<LayerInfo> layers = network.Layers;
        if (layers is null || layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers.", nameof(network));
        }

        int previous = network.InputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerInfo layer = layers[l];
            if (layer.InputSize != previous || layer.OutputSize <= 0)
            {
                throw new ArgumentException($"Layer {l} takes {layer.InputSize} inputs with {layer.OutputSize} units, which does not chain from the {previous} before it.", nameof(network));
            }

            // Throws NotSupportedException for an activation without an ONNX operator.
            _ = OnnxExporter.OperatorOf(layer.Activation);
            ReadOnlySpan<float> weights = network.GetWeights(l);
            ReadOnlySpan<float> biases = network.GetBiases(l);
            if (weights.Length != layer.WeightCount || biases.Length != layer.OutputSize)
            {
                throw new ArgumentException($"Layer {l} returns {weights.Length} weights and {biases.Length} biases, but its shape needs {layer.WeightCount} and {layer.OutputSize}.", nameof(network));
            }

            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(weights) || !System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(biases))
            {
                throw new ArgumentException($"Layer {l} has a non-finite weight or bias (NaN or infinity): a diverged network is not exported.", nameof(network));
            }

            previous = layer.OutputSize;
        }
    }

    private static int RawCount(INetwork network, OnnxExportOptions options)
    {
        if (options.SelectedFeatures is null)
        {
            if (options.InputFeatureCount is { } count && count != network.InputSize)
            {
                throw new ArgumentException($"'InputFeatureCount' is {count}, but without 'SelectedFeatures' it must be the network's input size, {network.InputSize}.", nameof(options));
            }

            return network.InputSize;
        }

        int? raw = options.InputFeatureCount ?? options.FeatureNames?.Count ?? options.Means?.Count;
        if (raw is not { } r)
        {
            throw new ArgumentException("With 'SelectedFeatures', set 'InputFeatureCount' (or 'FeatureNames' or 'Means') to give the number of raw features.", nameof(options));
        }

        if (r <= 0 || r > DenseNetwork.MaxLayerSize)
        {
            throw new ArgumentException($"The number of raw features must be between 1 and {DenseNetwork.MaxLayerSize}, but is {r}.", nameof(options));
        }

        return r;
    }

    private static void Check(IReadOnlyList<float> values, int count, string name, bool requireNonzero)
    {
        if (values.Count != count)
        {
            throw new ArgumentException($"'{name}' must have {count} values (one per raw feature), but has {values.Count}.", "options");
        }

        for (int i = 0; i < values.Count; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v) || (requireNonzero && v == 0f))
            {
                string what = requireNonzero ? "finite and nonzero" : "finite";
                throw new ArgumentException($"'{name}'[{i}] is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}; every value must be {what}.", "options");
            }
        }
    }

    private static void CheckNames(IReadOnlyList<string> names, int count, string name, string what)
    {
        if (names.Count != count)
        {
            throw new ArgumentException($"'{name}' must have {count} names (one per {what[..^1]}), but has {names.Count}.", "options");
        }

        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] is null)
            {
                throw new ArgumentException($"'{name}'[{i}] is null.", "options");
            }
        }
    }

    private static void CheckTensorName(string? name, string property)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"'{property}' must not be empty.", "options");
        }

        if (name.StartsWith("l1net/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{property}' ({name}) must not start with 'l1net/', which names the graph's internal tensors.", "options");
        }
    }
}
