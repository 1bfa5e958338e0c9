using Microsoft.ML.OnnxRuntime;

namespace L1Net.Onnx.Tests;

/// <summary>Exporting a <see cref="ClassificationModel"/>: its standardizer, names, label name and provenance travel with it.</summary>
public class ModelExportTests
{
    [Fact]
    public void A_standardized_wine_model_matches_OnnxRuntime_and_carries_its_names()
    {
        CsvDataset wine = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv"));
        Standardizer scaler = new Standardizer().Fit(wine.Dataset);
        Dataset train = scaler.Transform(wine.Dataset);
        DenseNetwork network = NetworkBuilder.Input(13).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 60, LearningRate = 0.1f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 }, Regularizer.ProximalL1(0.01f));
        trainer.Train(network, train);
        var model = new ClassificationModel(network, wine.FeatureNames, ["barolo", "grignolino", "barbera"])
        {
            Preprocessor = scaler,
            LabelName = "label",
            Provenance = ModelProvenance.From(trainer, train.Count, 0.01f),
        };

        byte[] onnx = OnnxExporter.ExportToArray(model);
        float[] raw = wine.Dataset.Features.ToArray();
        OrtOracle.AssertMatches(network, onnx, raw, 13, train.Features.ToArray());

        var classes = new int[wine.Dataset.Count];
        model.PredictClasses(raw, classes);
        (_, long[] ortClasses) = OrtOracle.Run(onnx, raw, 13);
        Assert.Equal(classes.Select(c => (long)c), ortClasses);

        using var session = new InferenceSession(onnx);
        Dictionary<string, string> meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("[\"barolo\",\"grignolino\",\"barbera\"]", meta["l1net.class_names"]);
        Assert.Equal("true", meta["l1net.standardized"]);
        Assert.Equal("label", meta["label_name"]);
        Assert.Contains("\"lambda\":0.01", meta["provenance"], StringComparison.Ordinal);
        using (var provenance = System.Text.Json.JsonDocument.Parse(meta["provenance"]))
        {
            Assert.Equal(model.Provenance!.Optimizer, provenance.RootElement.GetProperty("optimizer").GetString());
            Assert.StartsWith("SGD(lr=0.1", model.Provenance.Optimizer, StringComparison.Ordinal);
            Assert.Equal(60, provenance.RootElement.GetProperty("epochs").GetInt32());
        }

        Assert.Equal(onnx, OnnxExporter.ExportToArray(network, OnnxExportOptions.ForModel(model)));
    }

    [Fact]
    public void A_pruned_model_exports_a_graph_that_takes_full_rows_and_gathers_the_kept_features()
    {
        CsvDataset wine = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv"));
        Standardizer scaler = new Standardizer().Fit(wine.Dataset);
        Dataset train = scaler.Transform(wine.Dataset);
        DenseNetwork network = NetworkBuilder.Input(13).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        new BackPropTrainer(new TrainerOptions { Epochs = 60, LearningRate = 0.1f, BatchSize = 8, Seed = 0 }).Train(network, train);

        // Cut inputs 1, 4, 5 and 12 off (their weights zero), then prune them away.
        Span<float> w = network.GetWeights(0);
        for (int j = 0; j < 8; j++)
        {
            foreach (int i in new[] { 1, 4, 5, 12 })
            {
                w[(j * 13) + i] = 0f;
            }
        }

        var full = new ClassificationModel(network, wine.FeatureNames, ["barolo", "grignolino", "barbera"]) { Preprocessor = scaler };
        ClassificationModel pruned = full.Prune();
        Assert.Equal([0, 2, 3, 6, 7, 8, 9, 10, 11], pruned.InputFeatures);
        OnnxExportOptions options = OnnxExportOptions.ForModel(pruned);
        Assert.Equal(pruned.InputFeatures, options.SelectedFeatures);
        Assert.Equal(13, options.InputFeatureCount);
        Assert.Null(OnnxExportOptions.ForModel(full).SelectedFeatures);

        byte[] onnx = OnnxExporter.ExportToArray(pruned);
        float[] raw = wine.Dataset.Features.ToArray();
        OrtOracle.AssertMatches(pruned.Network, onnx, raw, 13, pruned.Preprocess(wine.Dataset).Features.ToArray());

        var expected = new float[wine.Dataset.Count * 3];
        full.PredictProbabilities(raw, expected);
        (float[] outputs, long[] classes) = OrtOracle.Run(onnx, raw, 13);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], outputs[k], 1e-5f);
        }

        var predicted = new int[wine.Dataset.Count];
        pruned.PredictClasses(raw, predicted);
        Assert.Equal(predicted.Select(c => (long)c), classes);
        using var session = new InferenceSession(onnx);
        Assert.Equal(13, session.InputMetadata["features"].Dimensions[1]);
    }

    [Fact]
    public void A_model_without_preprocessing_exports_the_bare_network()
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        var model = new ClassificationModel(network, ["a", "b"], ["x", "y", "z"]);
        using var session = new InferenceSession(OnnxExporter.ExportToArray(model));
        Assert.Equal("false", session.ModelMetadata.CustomMetadataMap["l1net.standardized"]);
        Assert.False(session.ModelMetadata.CustomMetadataMap.ContainsKey("provenance"));
    }

    [Fact]
    public void A_preprocessor_without_an_ONNX_form_is_refused()
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build();
        var model = new ClassificationModel(network, ["a", "b"], ["x", "y"]) { Preprocessor = new Doubling() };
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ExportToArray(model));
        Assert.Contains("'doubling' (Doubling) has no ONNX form", e.Message, StringComparison.Ordinal);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => OnnxExporter.ExportToArray((ClassificationModel)null!)).ParamName);
    }

    private sealed class Doubling : IPreprocessor
    {
        public int FeatureCount => 2;

        public bool IsFitted => true;

        public string Name => "doubling";

        public IPreprocessor Fit(Dataset trainingRows) => this;

        public Dataset Transform(Dataset data) => data;

        public void Transform(ReadOnlySpan<float> features, Span<float> destination)
        {
            for (int i = 0; i < features.Length; i++)
            {
                destination[i] = 2 * features[i];
            }
        }
    }
}
