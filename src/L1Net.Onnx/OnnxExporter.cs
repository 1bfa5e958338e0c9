using System.Reflection;
using System.Text;
using System.Text.Json;
using L1Net.Activations;
using L1Net.Networks;
using L1Net.Onnx.Protobuf;
using L1Net.Serialization;

namespace L1Net.Onnx;

/// <summary>
/// Writes a trained L1Net network, with its preprocessing and names, as an ONNX model (opset <see cref="OpsetVersion"/>) that
/// ONNX Runtime, ML.NET's ONNX transformer and other ONNX runtimes can run.
/// </summary>
/// <remarks>
/// <para>
/// The graph has one input, <see cref="OnnxExportOptions.InputName"/> (float <c>[N, F]</c>, <c>N</c> a free dimension), and
/// two outputs: the network's outputs (float <c>[N, K]</c>, named by <see cref="OnnxExportOptions.OutputName"/>) and the
/// predicted class of each row (int64 <c>[N]</c>, <see cref="OnnxExportOptions.ClassOutputName"/>).
/// Each dense layer is one <c>Gemm</c> (<c>z = x W^T + b</c>, the weights stored as L1Net holds them, row-major
/// <c>[outputs, inputs]</c>, with <c>transB = 1</c>) followed by its activation: Identity (no node), <c>Tanh</c>,
/// <c>Sigmoid</c>, <c>Relu</c>, <c>Softmax</c> (<c>axis = -1</c>). Weights are stored as float32 <c>raw_data</c>, bit for bit.
/// </para>
/// <para>
/// Metadata (<c>metadata_props</c>): <c>l1net.version</c> (the L1Net assembly's informational version), <c>l1net.network</c>
/// (the shape, as <see cref="DenseNetwork.ToString"/> prints it), <c>l1net.feature_names</c> and <c>l1net.class_names</c>
/// (JSON arrays, when given), <c>l1net.standardized</c> (<c>true</c>/<c>false</c>), <c>l1net.selected_features</c> (a JSON
/// array, when set), then the entries of <see cref="OnnxExportOptions.Metadata"/>.
/// </para>
/// <para>
/// The results of an ONNX runtime differ from <see cref="INetwork.Predict"/> by float rounding only (its matrix products
/// and transcendental functions sum and round in another order); the tests hold them within 1e-5.
/// </para>
/// </remarks>
public static partial class OnnxExporter
{
    /// <summary>
    /// The ONNX operator set the exported models import (default domain): 17, supported by ONNX Runtime 1.12 and later and
    /// by ML.NET's ONNX transformer. The models use IR version 8.
    /// </summary>
    public const int OpsetVersion = 17;

    /// <summary>Prefix of the metadata keys the exporter writes.</summary>
    public const string MetadataPrefix = "l1net.";

    private const string InternalPrefix = "l1net/";

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="destination"/>.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="destination">A writable stream; the model is written from its current position. It is not closed.</param>
    /// <param name="options">Preprocessing, names and metadata; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">The options do not fit the network (see <see cref="OnnxExportOptions"/>), the stream is not writable, or the network has a non-finite parameter.</exception>
    /// <exception cref="NotSupportedException">The network has a layer ONNX cannot represent (an activation without an ONNX operator).</exception>
    /// <remarks>Everything is validated before the first byte is written.</remarks>
    public static void ExportToStream(INetwork network, Stream destination, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("'destination' must be a writable stream.", nameof(destination));
        }

        ProtoMessage model = BuildModel(network, options ?? new OnnxExportOptions());
        model.WriteTo(destination);
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to the file <paramref name="path"/>, replacing it.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="path">The file to write (conventionally <c>*.onnx</c>). It is written to a temporary file next to it first, then moved, so a failure never leaves a partial model behind.</param>
    /// <param name="options">Preprocessing, names and metadata; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, the options do not fit the network, or the network has a non-finite parameter.</exception>
    /// <exception cref="NotSupportedException">The network has a layer ONNX cannot represent.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist (the message names the target).</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not write there, or the target is a directory (the message names the target).</exception>
    /// <exception cref="IOException">The file cannot be written (the message names the target); a previous file is unchanged.</exception>
    /// <remarks>
    /// The temporary file is named as <c>NetworkSerializer.SaveToFile</c> names its own: hidden, <c>.PREFIX.HASH.RANDOM.tmp</c>
    /// (the target's name cut to 40 characters, 8 hex digits of a hash of the whole name, 16 random hex digits), so any
    /// name the file system accepts for the target can be written. A process killed during an export leaves its temporary
    /// file behind; every successful export removes such leftovers of the same target that are older than 15 minutes and
    /// not held open (never files of other targets, recent ones, or files that merely look similar).
    /// </remarks>
    public static void ExportToFile(INetwork network, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ProtoMessage model = BuildModel(network, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, "write the ONNX model", model.WriteTo);
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes, for <c>new InferenceSession(bytes)</c> or storage elsewhere.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="options">Preprocessing, names and metadata; null for the defaults.</param>
    /// <returns>The serialized <c>ModelProto</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The options do not fit the network, or the network has a non-finite parameter.</exception>
    /// <exception cref="NotSupportedException">The network has a layer ONNX cannot represent.</exception>
    public static byte[] ExportToArray(INetwork network, OnnxExportOptions? options = null) =>
        BuildModel(network, options ?? new OnnxExportOptions()).ToArray();

    private static ProtoMessage BuildModel(INetwork network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ExportPlan plan = ExportPlan.Create(network, options);

        var graph = new ProtoMessage();
        var nodes = new List<NodeSpec>();
        var initializers = new List<ProtoMessage>();
        string x = options.InputName;

        if (plan.Selected is { } selected)
        {
            initializers.Add(Int64Tensor(InternalPrefix + "selected_features", selected));
            x = Add(nodes, "Gather", [x, InternalPrefix + "selected_features"], "gather", ("axis", 1));
        }

        if (plan.Means is { } means)
        {
            initializers.Add(FloatTensor(InternalPrefix + "means", [means.Length], means));
            initializers.Add(FloatTensor(InternalPrefix + "scales", [plan.Scales!.Length], plan.Scales));
            x = Add(nodes, "Sub", [x, InternalPrefix + "means"], "center");
            x = Add(nodes, "Div", [x, InternalPrefix + "scales"], "standardize");
        }

        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            string prefix = $"{InternalPrefix}layer{l}/";
            initializers.Add(FloatTensor(prefix + "weights", [layer.OutputSize, layer.InputSize], network.GetWeights(l)));
            initializers.Add(FloatTensor(prefix + "biases", [layer.OutputSize], network.GetBiases(l)));
            x = Add(nodes, "Gemm", [x, prefix + "weights", prefix + "biases"], $"layer{l}/gemm", ("transB", 1));
            string? op = OperatorOf(layer.Activation);
            if (op is not null)
            {
                x = op == "Softmax"
                    ? Add(nodes, op, [x], $"layer{l}/{op.ToLowerInvariant()}", ("axis", -1))
                    : Add(nodes, op, [x], $"layer{l}/{op.ToLowerInvariant()}");
            }
        }

        // The last node writes the graph output directly (no Identity node in between).
        nodes[^1] = nodes[^1] with { Output = plan.OutputName };
        nodes.Add(new NodeSpec("ArgMax", [plan.OutputName], options.ClassOutputName, InternalPrefix + "class", [("axis", 1), ("keepdims", 0), ("select_last_index", 0)]));

        foreach (NodeSpec node in nodes)
        {
            graph.Message(OnnxSchema.Graph.Node, node.ToProto());
        }

        graph.String(OnnxSchema.Graph.Name, options.GraphName);
        foreach (ProtoMessage initializer in initializers)
        {
            graph.Message(OnnxSchema.Graph.Initializer, initializer);
        }

        graph.Message(OnnxSchema.Graph.Input, ValueInfo(options.InputName, OnnxSchema.DataType.Float, plan.RawFeatureCount, $"Raw feature rows, {plan.RawFeatureCount} per row."));
        graph.Message(OnnxSchema.Graph.Output, ValueInfo(plan.OutputName, OnnxSchema.DataType.Float, network.OutputSize, $"The network's {network.OutputSize} outputs per row."));
        graph.Message(OnnxSchema.Graph.Output, ValueInfo(options.ClassOutputName, OnnxSchema.DataType.Int64, null, "The predicted class of each row: the index of the largest output, the first on ties."));

        var model = new ProtoMessage()
            .Int64(OnnxSchema.Model.IrVersion, OnnxSchema.IrVersion)
            .String(OnnxSchema.Model.ProducerName, "L1Net.Onnx")
            .String(OnnxSchema.Model.ProducerVersion, VersionOf(typeof(OnnxExporter).Assembly))
            .Int64(OnnxSchema.Model.ModelVersion, options.ModelVersion);
        if (options.Description is { } description)
        {
            model.String(OnnxSchema.Model.DocString, description);
        }

        model.Message(OnnxSchema.Model.Graph, graph)
            .Message(OnnxSchema.Model.OpsetImport, new ProtoMessage().String(OnnxSchema.OperatorSetId.Domain, string.Empty).Int64(OnnxSchema.OperatorSetId.Version, OpsetVersion));
        foreach ((string key, string value) in Metadata(network, options, plan))
        {
            model.Message(OnnxSchema.Model.MetadataProps, new ProtoMessage().String(OnnxSchema.StringStringEntry.Key, key).String(OnnxSchema.StringStringEntry.Value, value));
        }

        return model;
    }

    /// <summary>The ONNX operator of an activation; null for Identity, which needs no node.</summary>
    internal static string? OperatorOf(Activation activation) => activation switch
    {
        Activation.Identity => null,
        Activation.Tanh => "Tanh",
        Activation.Sigmoid => "Sigmoid",
        Activation.ReLU => "Relu",
        Activation.Softmax => "Softmax",
        _ => throw new NotSupportedException($"Activation {activation} has no ONNX operator; a network using it cannot be exported."),
    };

    private static List<(string Key, string Value)> Metadata(INetwork network, OnnxExportOptions options, ExportPlan plan)
    {
        var entries = new List<(string, string)>
        {
            (MetadataPrefix + "version", VersionOf(typeof(INetwork).Assembly)),
            (MetadataPrefix + "network", Describe(network)),
        };
        if (options.FeatureNames is { } features)
        {
            entries.Add((MetadataPrefix + "feature_names", JsonArray(features)));
        }

        if (options.ClassNames is { } classes)
        {
            entries.Add((MetadataPrefix + "class_names", JsonArray(classes)));
        }

        entries.Add((MetadataPrefix + "standardized", plan.Means is null ? "false" : "true"));
        if (plan.Selected is { } selected)
        {
            entries.Add((MetadataPrefix + "selected_features", JsonArray(selected.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), quote: false)));
        }

        if (options.Metadata is { } extra)
        {
            foreach (KeyValuePair<string, string> entry in extra.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                entries.Add((entry.Key, entry.Value));
            }
        }

        return entries;
    }

    private static string Describe(INetwork network) =>
        network is DenseNetwork dense
            ? dense.ToString()
            : $"{network.InputSize}-" + string.Join("-", network.Layers.Select(l => $"{l.OutputSize}({l.Activation})"));

    private static string JsonArray(IReadOnlyList<string> values, bool quote = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string value in values)
            {
                if (quote)
                {
                    writer.WriteStringValue(value);
                }
                else
                {
                    writer.WriteRawValue(value, skipInputValidation: false);
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static string Add(List<NodeSpec> nodes, string op, string[] inputs, string name, params (string Name, long Value)[] attributes)
    {
        string output = InternalPrefix + name;
        nodes.Add(new NodeSpec(op, inputs, output, output, attributes));
        return output;
    }

    private static ProtoMessage FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) =>
        new ProtoMessage()
            .PackedInt64(OnnxSchema.Tensor.Dims, dims)
            .Int64(OnnxSchema.Tensor.DataType, OnnxSchema.DataType.Float)
            .String(OnnxSchema.Tensor.Name, name)
            .Bytes(OnnxSchema.Tensor.RawData, ProtoMessage.LittleEndianBytes(values));

    private static ProtoMessage Int64Tensor(string name, int[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        return new ProtoMessage()
            .PackedInt64(OnnxSchema.Tensor.Dims, [values.Length])
            .Int64(OnnxSchema.Tensor.DataType, OnnxSchema.DataType.Int64)
            .String(OnnxSchema.Tensor.Name, name)
            .Bytes(OnnxSchema.Tensor.RawData, bytes);
    }

    /// <summary>A <c>ValueInfoProto</c> of a tensor <c>[N]</c> (<paramref name="columns"/> null) or <c>[N, columns]</c>.</summary>
    private static ProtoMessage ValueInfo(string name, int elementType, int? columns, string doc)
    {
        var shape = new ProtoMessage().Message(OnnxSchema.TensorShape.Dim, new ProtoMessage().String(OnnxSchema.TensorShape.DimParam, "N"));
        if (columns is { } c)
        {
            shape.Message(OnnxSchema.TensorShape.Dim, new ProtoMessage().Int64(OnnxSchema.TensorShape.DimValue, c));
        }

        var tensorType = new ProtoMessage()
            .Int64(OnnxSchema.TypeProto.ElemType, elementType)
            .Message(OnnxSchema.TypeProto.Shape, shape);
        return new ProtoMessage()
            .String(OnnxSchema.ValueInfo.Name, name)
            .Message(OnnxSchema.ValueInfo.Type, new ProtoMessage().Message(OnnxSchema.TypeProto.TensorType, tensorType))
            .String(OnnxSchema.ValueInfo.DocString, doc);
    }

    private sealed record NodeSpec(string Op, string[] Inputs, string Output, string Name, (string Name, long Value)[] Attributes)
    {
        public ProtoMessage ToProto()
        {
            var node = new ProtoMessage();
            foreach (string input in Inputs)
            {
                node.String(OnnxSchema.Node.Input, input);
            }

            node.String(OnnxSchema.Node.Output, Output)
                .String(OnnxSchema.Node.Name, Name)
                .String(OnnxSchema.Node.OpType, Op);
            foreach ((string name, long value) in Attributes)
            {
                node.Message(OnnxSchema.Node.Attribute, new ProtoMessage()
                    .String(OnnxSchema.Attribute.Name, name)
                    .Int64(OnnxSchema.Attribute.I, value)
                    .Int64(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeInt));
            }

            return node;
        }
    }
}
