using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace L1Net.Onnx.Tests;

/// <summary>The exported graph's names, shapes and metadata as ONNX Runtime reads them, and the exporter's refusals.</summary>
public class ExportContractTests
{
    private static DenseNetwork Network(Activation output = Activation.Softmax) =>
        NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(output == Activation.Softmax ? 2 : 1, output).Build(new GlorotUniformInitializer(3));

    [Fact]
    public void Inputs_outputs_and_metadata_are_named_as_documented()
    {
        DenseNetwork network = Network();
        byte[] model = OnnxExporter.ExportToArray(network, new OnnxExportOptions
        {
            FeatureNames = ["sepal \"length\"", "größe", "a,b"],
            ClassNames = ["no", "yes"],
            Means = [1f, 2f, 3f],
            Scales = [1f, 2f, 4f],
            Description = "a test model",
            ModelVersion = 42,
            Metadata = new Dictionary<string, string> { ["trained_on"] = "iris.csv" },
        });

        using var session = new InferenceSession(model);
        Assert.Equal(["features"], session.InputNames);
        Assert.Equal(["probabilities", "class"], session.OutputNames);
        Assert.Equal([-1, 3], session.InputMetadata["features"].Dimensions);
        Assert.Equal("N", session.InputMetadata["features"].SymbolicDimensions[0]);
        Assert.Equal(typeof(float), session.InputMetadata["features"].ElementType);
        Assert.Equal([-1, 2], session.OutputMetadata["probabilities"].Dimensions);
        Assert.Equal([-1], session.OutputMetadata["class"].Dimensions);
        Assert.Equal(typeof(long), session.OutputMetadata["class"].ElementType);

        ModelMetadata meta = session.ModelMetadata;
        Assert.Equal("L1Net.Onnx", meta.ProducerName);
        Assert.Equal("l1net", meta.GraphName);
        Assert.Equal("a test model", meta.Description);
        Assert.Equal(42, meta.Version);
        Dictionary<string, string> props = meta.CustomMetadataMap;
        Assert.Equal("[\"sepal \\u0022length\\u0022\",\"gr\\u00F6\\u00DFe\",\"a,b\"]", props["l1net.feature_names"]);
        Assert.Equal(["sepal \"length\"", "größe", "a,b"], System.Text.Json.JsonSerializer.Deserialize<string[]>(props["l1net.feature_names"])!);
        Assert.Equal("[\"no\",\"yes\"]", props["l1net.class_names"]);
        Assert.Equal("3-4(Tanh)-2(Softmax)", props["l1net.network"]);
        Assert.Equal("true", props["l1net.standardized"]);
        Assert.Equal("iris.csv", props["trained_on"]);
        string version = typeof(DenseNetwork).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(version, props["l1net.version"]);
        Assert.StartsWith("0.", props["l1net.version"], StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_output_is_named_scores_and_custom_names_are_used()
    {
        using (var session = new InferenceSession(OnnxExporter.ExportToArray(Network(Activation.Identity))))
        {
            Assert.Equal(["scores", "class"], session.OutputNames);
            Assert.Equal("false", session.ModelMetadata.CustomMetadataMap["l1net.standardized"]);
            Assert.False(session.ModelMetadata.CustomMetadataMap.ContainsKey("l1net.feature_names"));
        }

        byte[] model = OnnxExporter.ExportToArray(Network(), new OnnxExportOptions { InputName = "x", OutputName = "p", ClassOutputName = "y", GraphName = "g" });
        using var named = new InferenceSession(model);
        Assert.Equal(["x"], named.InputNames);
        Assert.Equal(["p", "y"], named.OutputNames);
        Assert.Equal("g", named.ModelMetadata.GraphName);
    }

    [Fact]
    public void Selected_features_are_recorded_in_the_metadata()
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build();
        using var session = new InferenceSession(OnnxExporter.ExportToArray(network, new OnnxExportOptions { SelectedFeatures = [4, 1], InputFeatureCount = 5 }));
        Assert.Equal("[4,1]", session.ModelMetadata.CustomMetadataMap["l1net.selected_features"]);
        Assert.Equal([-1, 5], session.InputMetadata["features"].Dimensions);
    }

    [Fact]
    public void Export_is_deterministic_and_culture_independent()
    {
        DenseNetwork network = Network();
        var options = new OnnxExportOptions { Means = [0.5f, 1.25f, -3f], Scales = [1.5f, 2f, 0.25f], SelectedFeatures = null, FeatureNames = ["a", "b", "c"] };
        byte[] invariant = OnnxExporter.ExportToArray(network, options);
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            foreach (string name in new[] { "de-DE", "tr-TR", "fr-FR" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(name);
                Assert.Equal(invariant, OnnxExporter.ExportToArray(network, options));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void File_and_stream_exports_write_the_same_bytes()
    {
        DenseNetwork network = Network();
        byte[] expected = OnnxExporter.ExportToArray(network);
        string dir = Directory.CreateTempSubdirectory("l1net-onnx").FullName;
        try
        {
            string path = Path.Combine(dir, "model.onnx");
            File.WriteAllText(path, "old");
            OnnxExporter.ExportToFile(network, path);
            Assert.Equal(expected, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(dir));

            using var stream = new MemoryStream();
            stream.WriteByte(7);
            OnnxExporter.ExportToStream(network, stream);
            Assert.Equal([7, .. expected], stream.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_failed_file_export_leaves_the_existing_file_untouched()
    {
        DenseNetwork network = Network();
        string dir = Directory.CreateTempSubdirectory("l1net-onnx").FullName;
        try
        {
            string path = Path.Combine(dir, "model.onnx");
            File.WriteAllText(path, "old");
            Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToFile(network, path, new OnnxExportOptions { ClassNames = ["only one"] }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static TheoryData<string, OnnxExportOptions, string> BadOptions() => new()
    {
        { "means without scales", new OnnxExportOptions { Means = [0f, 0f, 0f] }, "'Means' and 'Scales' must be set together" },
        { "wrong mean count", new OnnxExportOptions { Means = [0f, 0f], Scales = [1f, 1f] }, "'Means' must have 3 values" },
        { "zero scale", new OnnxExportOptions { Means = [0f, 0f, 0f], Scales = [1f, 0f, 1f] }, "'Scales'[1] is 0; every value must be finite and nonzero" },
        { "NaN mean", new OnnxExportOptions { Means = [0f, float.NaN, 0f], Scales = [1f, 1f, 1f] }, "'Means'[1] is NaN" },
        { "infinite scale", new OnnxExportOptions { Means = [0f, 0f, 0f], Scales = [1f, 1f, float.PositiveInfinity] }, "'Scales'[2] is Infinity" },
        { "feature name count", new OnnxExportOptions { FeatureNames = ["a"] }, "'FeatureNames' must have 3 names" },
        { "class name count", new OnnxExportOptions { ClassNames = ["a", "b", "c"] }, "'ClassNames' must have 2 names" },
        { "null class name", new OnnxExportOptions { ClassNames = ["a", null!] }, "'ClassNames'[1] is null" },
        { "selection count", new OnnxExportOptions { SelectedFeatures = [0, 1], InputFeatureCount = 5 }, "'SelectedFeatures' must list 3 features" },
        { "selection out of range", new OnnxExportOptions { SelectedFeatures = [0, 1, 5], InputFeatureCount = 5 }, "'SelectedFeatures' holds 5, outside the 5 raw features" },
        { "selection twice", new OnnxExportOptions { SelectedFeatures = [0, 1, 1], InputFeatureCount = 5 }, "'SelectedFeatures' lists feature 1 twice" },
        { "selection without width", new OnnxExportOptions { SelectedFeatures = [0, 1, 2] }, "set 'InputFeatureCount'" },
        { "width without selection", new OnnxExportOptions { InputFeatureCount = 4 }, "'InputFeatureCount' is 4" },
        { "same names", new OnnxExportOptions { InputName = "class" }, "must differ" },
        { "empty input name", new OnnxExportOptions { InputName = " " }, "'InputName' must not be empty" },
        { "internal name", new OnnxExportOptions { OutputName = "l1net/layer0/gemm" }, "must not start with 'l1net/'" },
        { "empty graph name", new OnnxExportOptions { GraphName = "" }, "'GraphName' must not be empty" },
        { "negative version", new OnnxExportOptions { ModelVersion = -1 }, "'ModelVersion' must be zero or more" },
        { "reserved metadata key", new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["l1net.version"] = "9" } }, "reserves" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_rejected_with_a_clear_message(string because, OnnxExportOptions options, string message)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => OnnxExporter.ExportToArray(Network(), options));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{because}: {e.Message}");
        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void A_diverged_network_is_refused()
    {
        DenseNetwork network = Network();
        network.GetWeights(1)[3] = float.NaN;
        ArgumentException e = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToArray(network));
        Assert.Equal("network", e.ParamName);
        Assert.Contains("Layer 1 has a non-finite weight or bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_activation_without_an_ONNX_operator_is_refused()
    {
        var network = new FakeNetwork(2, [new LayerInfo(2, 2, (Activation)99)]);
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ExportToArray(network));
        Assert.Equal("Activation 99 has no ONNX operator; a network using it cannot be exported.", e.Message);
    }

    [Fact]
    public void A_network_whose_layers_do_not_chain_is_refused()
    {
        var network = new FakeNetwork(3, [new LayerInfo(2, 2, Activation.Softmax)]);
        ArgumentException e = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToArray(network));
        Assert.Contains("does not chain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_unwritable_arguments_are_refused()
    {
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => OnnxExporter.ExportToArray((INetwork)null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => OnnxExporter.ExportToStream(Network(), null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToStream(Network(), new MemoryStream([], writable: false))).ParamName);
        Assert.Equal("path", Assert.ThrowsAny<ArgumentException>(() => OnnxExporter.ExportToFile(Network(), "")).ParamName);
    }

    /// <summary>An <see cref="INetwork"/> of another implementation, to reach shapes <see cref="DenseNetwork"/> refuses to build.</summary>
    private sealed class FakeNetwork(int inputSize, LayerInfo[] layers) : INetwork
    {
        private readonly float[] _parameters = new float[layers.Sum(l => l.ParameterCount)];

        public int InputSize => inputSize;

        public int OutputSize => layers[^1].OutputSize;

        public IReadOnlyList<LayerInfo> Layers => layers;

        public int ParameterCount => _parameters.Length;

        public Span<float> Parameters => _parameters;

        public Span<float> GetWeights(int layer) => _parameters.AsSpan(Offset(layer), layers[layer].WeightCount);

        public Span<float> GetBiases(int layer) => _parameters.AsSpan(Offset(layer) + layers[layer].WeightCount, layers[layer].OutputSize);

        private int Offset(int layer) => layers.Take(layer).Sum(l => l.ParameterCount);

        public void Predict(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

        public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();
    }
}
