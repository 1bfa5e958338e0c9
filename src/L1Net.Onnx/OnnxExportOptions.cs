namespace L1Net.Onnx;

/// <summary>
/// What <see cref="OnnxExporter"/> writes besides the network: the preprocessing the network expects (feature selection and
/// standardization), the names of the features and classes, and the names of the graph's inputs and outputs.
/// Every property is optional; the defaults export the bare network with inputs named <c>features</c>.
/// </summary>
/// <remarks>
/// The exported graph computes, for each row <c>x</c> of the input (the <em>raw</em> features, as the user has them):
/// <list type="number">
/// <item><c>x = x[SelectedFeatures]</c> when <see cref="SelectedFeatures"/> is set (ONNX <c>Gather</c>);</item>
/// <item><c>x = (x - Means) / Scales</c> when <see cref="Means"/> and <see cref="Scales"/> are set (ONNX <c>Sub</c>, <c>Div</c>;
/// the values of the selected features are used);</item>
/// <item>every dense layer and its activation;</item>
/// <item>the class: the index of the largest output, the first one on ties (ONNX <c>ArgMax</c>), as L1Net's accuracy counts it.</item>
/// </list>
/// </remarks>
public sealed class OnnxExportOptions
{
    /// <summary>Name of the graph input, a float tensor <c>[N, F]</c> of raw feature rows. Default <c>features</c>.</summary>
    public string InputName { get; init; } = "features";

    /// <summary>
    /// Name of the graph output holding the network's outputs, a float tensor <c>[N, K]</c>. Default: <c>probabilities</c> when
    /// the output layer is Softmax or Sigmoid, <c>scores</c> when it is Identity.
    /// </summary>
    public string? OutputName { get; init; }

    /// <summary>Name of the graph output holding the predicted class of each row, an int64 tensor <c>[N]</c>. Default <c>class</c>.</summary>
    public string ClassOutputName { get; init; } = "class";

    /// <summary>Name of the ONNX graph. Default <c>l1net</c>.</summary>
    public string GraphName { get; init; } = "l1net";

    /// <summary>A human-readable description stored as the model's <c>doc_string</c>; null for none.</summary>
    public string? Description { get; init; }

    /// <summary>The model's version (<c>ModelProto.model_version</c>), zero or more. Default 1.</summary>
    public long ModelVersion { get; init; } = 1;

    /// <summary>
    /// Names of the raw input features, one per column of the graph input; stored in the metadata as <c>l1net.feature_names</c>
    /// (a JSON array). Null for none.
    /// </summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Names of the classes, one per output unit; stored in the metadata as <c>l1net.class_names</c> (a JSON array). Null for none.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// Per raw feature, the mean subtracted before the network (standardization <c>(x - mean) / scale</c>). Set together with
    /// <see cref="Scales"/>; every value finite. Null for no standardization.
    /// </summary>
    public IReadOnlyList<float>? Means { get; init; }

    /// <summary>Per raw feature, the divisor of the standardization; every value finite and nonzero. Set together with <see cref="Means"/>.</summary>
    public IReadOnlyList<float>? Scales { get; init; }

    /// <summary>
    /// The raw features the network reads, in the order of its inputs (for a network whose unused inputs were pruned away):
    /// its length must be the network's input size, each index between 0 and the raw feature count, no index twice.
    /// Null when the network reads every raw feature.
    /// </summary>
    public IReadOnlyList<int>? SelectedFeatures { get; init; }

    /// <summary>
    /// Number of raw features (columns of the graph input) when <see cref="SelectedFeatures"/> is set. Null to take it from
    /// <see cref="FeatureNames"/> or <see cref="Means"/>; without selection it is the network's input size.
    /// </summary>
    public int? InputFeatureCount { get; init; }

    /// <summary>Further metadata entries (<c>metadata_props</c>); keys must not start with <c>l1net.</c>, which the exporter writes. Null for none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
