using System.Numerics.Tensors;

namespace L1Net.Tests.Networks;

public class ClassificationModelTests
{
    private static readonly string[] Features = ["length", "width", "height"];
    private static readonly string[] Classes = ["cat", "dog", "fox"];

    internal static (ClassificationModel Model, Dataset Raw, Standardizer Scaler) Trained()
    {
        var random = new Random(5);
        var x = new float[90, 3];
        var y = new int[90];
        for (int r = 0; r < 90; r++)
        {
            y[r] = r % 3;
            x[r, 0] = (y[r] * 10f) + (float)random.NextDouble();
            x[r, 1] = 1000f + (y[r] * 500f) + (float)(random.NextDouble() * 300);
            x[r, 2] = (float)random.NextDouble();
        }

        Dataset raw = Dataset.FromLabels(x, y, 3);
        Standardizer scaler = new Standardizer().Fit(raw);
        DenseNetwork network = NetworkBuilder.Input(3).Dense(6, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        new BackPropTrainer(new TrainerOptions { Epochs = 40, LearningRate = 0.1f, BatchSize = 8, Seed = 1 }).Train(network, scaler.Transform(raw));
        return (new ClassificationModel(network, Features, Classes) { Preprocessor = scaler, LabelName = "animal" }, raw, scaler);
    }

    /// <summary>The trained model with its third input ("height", noise) cut off (its weights zeroed), then pruned; and the raw rows.</summary>
    internal static (ClassificationModel Pruned, Dataset Raw) TrainedWithDeadInput()
    {
        (ClassificationModel model, Dataset raw, _) = Trained();
        ClassificationModel dead = WithDeadHeight(model);
        return (dead.Prune(), raw);
    }

    private static ClassificationModel WithDeadHeight(ClassificationModel model)
    {
        DenseNetwork network = model.Network.Clone();
        Span<float> w = network.GetWeights(0);
        for (int j = 0; j < network.Layers[0].OutputSize; j++)
        {
            w[(j * 3) + 2] = 0f;
        }

        // Hidden unit 1 also dies: nothing reaches it, so its constant output is folded into the next biases.
        w.Slice(3, 3).Clear();
        return new ClassificationModel(network, model.FeatureNames, model.ClassNames) { Preprocessor = model.Preprocessor, LabelName = model.LabelName, Provenance = model.Provenance };
    }

    [Fact]
    public void A_pruned_model_takes_full_rows_and_predicts_as_the_unpruned_model()
    {
        (ClassificationModel trained, Dataset raw, _) = Trained();
        ClassificationModel model = WithDeadHeight(trained);
        ClassificationModel pruned = model.Prune();

        Assert.Equal([0, 1, 2], model.InputFeatures);
        Assert.Equal([0, 1], pruned.InputFeatures);
        Assert.Equal(["length", "width"], pruned.InputFeatureNames);
        Assert.Equal(Features, pruned.FeatureNames);
        Assert.Equal(3, pruned.FeatureCount);
        Assert.Equal((2, 5), (pruned.Network.InputSize, pruned.Network.Layers[0].OutputSize));
        Assert.Same(model.Preprocessor, pruned.Preprocessor);
        Assert.Equal(("animal", model.Provenance), (pruned.LabelName, pruned.Provenance));
        Assert.Equal(6, model.Network.Layers[0].OutputSize);   // the original is not changed

        // Full rows, one at a time and as a batch across chunk boundaries: the same probabilities up to float rounding.
        Dataset many = raw.Subset([.. Enumerable.Range(0, 600).Select(i => i % raw.Count)]);
        var expected = new float[many.Count * 3];
        var batch = new float[many.Count * 3];
        var classes = new int[many.Count];
        model.PredictProbabilities(many.Features, expected);
        pruned.PredictProbabilities(many.Features, batch);
        pruned.PredictClasses(many.Features, classes);
        var one = new float[3];
        for (int r = 0; r < many.Count; r++)
        {
            int k = pruned.PredictClass(many.GetFeatures(r), one);
            Assert.Equal(batch.AsSpan(r * 3, 3).ToArray(), one);
            Assert.Equal(k, classes[r]);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(expected[(r * 3) + c], one[c], 1e-5f);
            }
        }

        // The dropped column is never read: any value in it gives the same prediction.
        float[] row = raw.GetFeatures(0).ToArray();
        float[] changed = [row[0], row[1], row[2] + 1000f];
        Assert.Equal(pruned.Predict(row).Probabilities, pruned.Predict(changed).Probabilities);

        // Metrics and Preprocess see what the network sees.
        Assert.Equal(2, pruned.Preprocess(raw).FeatureCount);
        Assert.Equal(Metrics.Accuracy(model, raw), Metrics.Accuracy(pruned, raw));
        Assert.Equal(Metrics.CrossEntropy(model, raw), Metrics.CrossEntropy(pruned, raw), 1e-5);

        // Pruning again changes nothing; pruning an unpruned model with nothing dead keeps every input.
        ClassificationModel again = pruned.Prune();
        Assert.Equal(pruned.InputFeatures, again.InputFeatures);
        Assert.Equal(pruned.Network.Parameters.ToArray(), again.Network.Parameters.ToArray());
        Assert.Equal([0, 1, 2], trained.Prune().InputFeatures);
    }

    [Fact]
    public void A_model_reading_some_features_refuses_bad_input_indices()
    {
        DenseNetwork n = NetworkBuilder.Input(2).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var model = new ClassificationModel(n, Features, Classes, [0, 2]);
        Assert.Equal(["length", "height"], model.InputFeatureNames);
        var p = new float[3];
        var q = new float[3];
        n.PredictBatch([1f, 3f], p);
        model.PredictProbabilities([1f, 2f, 3f], q);
        Assert.Equal(p, q);
        Assert.Throws<ArgumentException>("features", () => model.PredictClass([1f, 3f]));
        Assert.Throws<ArgumentException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, [0]));
        Assert.Throws<ArgumentException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, [0, 3]));
        Assert.Throws<ArgumentException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, [-1, 0]));
        Assert.Throws<ArgumentException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, [2, 0]));
        Assert.Throws<ArgumentException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, [1, 1]));
        Assert.Throws<ArgumentException>("featureNames", () => new ClassificationModel(n, ["a", "b", "a"], Classes, [0, 1]));
        Assert.Throws<ArgumentNullException>("inputFeatures", () => new ClassificationModel(n, Features, Classes, null!));
        Assert.Throws<ArgumentException>("Preprocessor", () => new ClassificationModel(n, Features, Classes, [0, 1]) { Preprocessor = new Standardizer().Fit(Dataset.FromLabels(new float[,] { { 1, 2 }, { 3, 5 } }, [0, 1], 3)) });
    }

    [Fact]
    public void Predicts_from_raw_features_exactly_as_the_network_on_standardized_features()
    {
        (ClassificationModel model, Dataset raw, Standardizer scaler) = Trained();
        Dataset scaled = scaler.Transform(raw);
        var expected = new float[3];
        var probabilities = new float[3];
        for (int r = 0; r < raw.Count; r++)
        {
            // The model predicts through the network's batched product (PredictBatch), whatever the number of rows.
            model.Network.PredictBatch(scaled.GetFeatures(r), expected);
            int k = model.PredictClass(raw.GetFeatures(r), probabilities);
            Assert.Equal(expected, probabilities);
            Assert.Equal(TensorPrimitives.IndexOfMax(expected), k);
            Assert.Equal(k, model.PredictClass(raw.GetFeatures(r)));
            Assert.Equal(Classes[k], model.PredictClassName(raw.GetFeatures(r)));
            ClassPrediction p = model.Predict(raw.GetFeatures(r));
            Assert.Equal((k, Classes[k]), (p.ClassIndex, p.ClassName));
            Assert.Equal(expected, p.Probabilities);
        }

        Assert.True(Metrics.Accuracy(model, raw) > 0.9);
        Assert.Equal(Metrics.Accuracy(model.Network, scaled), Metrics.Accuracy(model, raw));
        Assert.Equal(Metrics.CrossEntropy(model.Network, scaled), Metrics.CrossEntropy(model, raw));
        Assert.Equal(Metrics.MeanLoss(model.Network, scaled, LossFunction.SquaredError), Metrics.MeanLoss(model, raw, LossFunction.SquaredError));
    }

    [Fact]
    public void Batch_predictions_match_row_by_row_across_chunk_boundaries()
    {
        (ClassificationModel model, Dataset raw, _) = Trained();
        int[] rows = [.. Enumerable.Range(0, 600).Select(i => i % raw.Count)];
        Dataset many = raw.Subset(rows);
        var probabilities = new float[many.Count * 3];
        var classes = new int[many.Count];

        model.PredictProbabilities(many.Features, probabilities);
        model.PredictClasses(many.Features, classes);

        var one = new float[3];
        for (int r = 0; r < many.Count; r++)
        {
            int k = model.PredictClass(many.GetFeatures(r), one);
            Assert.Equal(one, probabilities.AsSpan(r * 3, 3).ToArray());
            Assert.Equal(k, classes[r]);
        }
    }

    [Fact]
    public void Span_predictions_allocate_nothing_per_call()
    {
        (ClassificationModel model, Dataset raw, _) = Trained();
        var probabilities = new float[raw.Count * 3];
        var classes = new int[raw.Count];
        var one = new float[3];
        ReadOnlySpan<float> row = raw.GetFeatures(0);
        for (int warm = 0; warm < 3; warm++)
        {
            model.PredictClass(row, one);
            model.PredictClassName(row);
            model.PredictProbabilities(raw.Features, probabilities);
            model.PredictClasses(raw.Features, classes);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            model.PredictClass(row, one);
            model.PredictClass(row);
            model.PredictClassName(row);
            model.PredictProbabilities(raw.Features, probabilities);
            model.PredictClasses(raw.Features, classes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Class_names_look_up_and_an_unknown_class_is_a_clear_error()
    {
        (ClassificationModel model, _, _) = Trained();
        Assert.Equal(1, model.GetClassIndex("dog"));
        Assert.True(model.TryGetClassIndex("fox", out int fox));
        Assert.Equal(2, fox);
        Assert.False(model.TryGetClassIndex("Dog", out int none));
        Assert.Equal(-1, none);
        ArgumentException e = Assert.Throws<ArgumentException>("className", () => model.GetClassIndex("wolf"));
        Assert.Contains("no class 'wolf'; its classes are cat, dog, fox", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_keeps_its_own_copy_of_the_network()
    {
        (ClassificationModel model, Dataset raw, Standardizer scaler) = Trained();
        DenseNetwork network = model.Network.Clone();
        var copy = new ClassificationModel(network, Features, Classes) { Preprocessor = scaler };
        int before = copy.PredictClass(raw.GetFeatures(0));
        network.Parameters.Clear();
        Assert.Equal(before, copy.PredictClass(raw.GetFeatures(0)));
    }

    [Theory]
    [InlineData(100)] // one chunk
    [InlineData(400)] // the second chunk of 256 rows: it used to throw after the first chunk's outputs were written
    public void A_row_that_preprocessing_overflows_throws_before_any_output_is_written_and_names_its_row(int badRow)
    {
        (ClassificationModel trained, _, _) = Trained();
        var model = new ClassificationModel(trained.Network, Features, Classes) { Preprocessor = Standardizer.FromStatistics([0f, 0f, 0f], [1f, 1e-30f, 1f]) };
        const int rows = 600;
        float[] features = Enumerable.Range(0, rows * 3).Select(i => (i % 7) * 0.25f).ToArray();
        features[(badRow * 3) + 1] = 3e38f;

        float[] probabilities = Enumerable.Repeat(-7f, rows * 3).ToArray();
        ArgumentException e = Assert.Throws<ArgumentException>("features", () => model.PredictProbabilities(features, probabilities));
        Assert.Contains($"row {badRow}, feature 'width'", e.Message, StringComparison.Ordinal);
        Assert.All(probabilities, p => Assert.Equal(-7f, p));

        int[] classes = Enumerable.Repeat(-1, rows).ToArray();
        e = Assert.Throws<ArgumentException>("features", () => model.PredictClasses(features, classes));
        Assert.Contains($"row {badRow}, feature 'width'", e.Message, StringComparison.Ordinal);
        Assert.All(classes, c => Assert.Equal(-1, c));

        // In place: the caller's rows are left as they were.
        float[] before = features.ToArray();
        Assert.Throws<ArgumentException>("features", () => model.PredictProbabilities(features, features.AsSpan(0, rows * 3)));
        Assert.Equal(before, features);
    }

    [Theory]
    [InlineData(100, false)] // one chunk
    [InlineData(600, false)] // three chunks: the rows used to be preprocessed twice (once to check, once to predict)
    [InlineData(600, true)] // in place
    public void Batch_predictions_preprocess_each_row_once(int rows, bool inPlace)
    {
        (ClassificationModel trained, Dataset raw, Standardizer scaler) = Trained();
        var counting = new CountingPreprocessor(scaler);
        var model = new ClassificationModel(trained.Network, Features, Classes) { Preprocessor = counting };
        Dataset many = raw.Subset([.. Enumerable.Range(0, rows).Select(i => i % raw.Count)]);
        float[] expected = new float[rows * 3];
        new ClassificationModel(trained.Network, Features, Classes) { Preprocessor = scaler }.PredictProbabilities(many.Features, expected);

        float[] features = many.Features.ToArray();
        float[] probabilities = inPlace ? features : new float[rows * 3];
        model.PredictProbabilities(features, probabilities.AsSpan(0, rows * 3));
        Assert.Equal(rows, counting.Rows);
        Assert.Equal(expected, probabilities.AsSpan(0, rows * 3).ToArray());

        counting.Rows = 0;
        var classes = new int[rows];
        model.PredictClasses(many.Features, classes);
        Assert.Equal(rows, counting.Rows);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(TensorPrimitives.IndexOfMax(expected.AsSpan(r * 3, 3)), classes[r]);
        }
    }

    /// <summary>A fitted preprocessing step that delegates to a <see cref="Standardizer"/> and counts the rows it transforms.</summary>
    private sealed class CountingPreprocessor(Standardizer inner) : IPreprocessor
    {
        public int Rows { get; set; }

        public string Name => "counting";

        public bool IsFitted => true;

        public int FeatureCount => inner.FeatureCount;

        public IPreprocessor Fit(Dataset trainingRows) => throw new NotSupportedException();

        public void Transform(ReadOnlySpan<float> features, Span<float> destination)
        {
            Rows += features.Length / inner.FeatureCount;
            inner.Transform(features, destination);
        }

        public Dataset Transform(Dataset data) => throw new NotSupportedException();
    }

    [Fact]
    public void Bad_construction_and_bad_rows_are_refused_with_the_parameter_named()
    {
        (ClassificationModel model, _, Standardizer scaler) = Trained();
        DenseNetwork n = model.Network;
        Assert.Throws<ArgumentNullException>("network", () => new ClassificationModel(null!, Features, Classes));
        Assert.Throws<ArgumentException>("featureNames", () => new ClassificationModel(n, ["a", "b"], Classes));
        Assert.Throws<ArgumentException>("featureNames", () => new ClassificationModel(n, ["a", "a", "b"], Classes));
        Assert.Throws<ArgumentException>("classNames", () => new ClassificationModel(n, Features, ["x", " ", "z"]));
        Assert.Throws<ArgumentException>("classNames", () => new ClassificationModel(n, Features, ["x", "y"]));
        Assert.Throws<ArgumentException>("network", () => new ClassificationModel(NetworkBuilder.Input(3).Dense(1, Activation.Sigmoid).Build(new GlorotUniformInitializer(1)), Features, ["only"]));
        Assert.Throws<ArgumentException>("Preprocessor", () => new ClassificationModel(n, Features, Classes) { Preprocessor = new Standardizer() });
        Assert.Throws<ArgumentException>("Preprocessor", () => new ClassificationModel(n, Features, Classes) { Preprocessor = Standardizer.FromStatistics([0f], [1f]) });
        Assert.Throws<ArgumentException>("LabelName", () => new ClassificationModel(n, Features, Classes) { LabelName = " " });

        Assert.Throws<ArgumentException>("features", () => model.PredictClass(new float[2]));
        Assert.Throws<ArgumentException>("features", () => model.PredictClass([1f, float.NaN, 2f]));
        Assert.Throws<ArgumentException>("probabilities", () => model.PredictClass(new float[3], new float[2]));
        Assert.Throws<ArgumentException>("classes", () => model.PredictClasses(new float[6], new int[3]));
        Assert.Throws<ArgumentException>("features", () => model.PredictProbabilities([], []));
        var tiny = new ClassificationModel(n, Features, Classes) { Preprocessor = Standardizer.FromStatistics([0f, 0f, 0f], [1f, 1e-30f, 1f]) };
        ArgumentException overflow = Assert.Throws<ArgumentException>("features", () => tiny.PredictClass([1f, 3e38f, 1f]));
        Assert.Contains("row 0, feature 'width'", overflow.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("data", () => Metrics.Accuracy(model, Dataset.FromLabels(new float[,] { { 1, 2 } }, [0], 3)));
        _ = scaler;
    }

    [Fact]
    public void Predictions_from_many_threads_at_once_agree_with_one_thread()
    {
        (ClassificationModel model, Dataset raw, _) = Trained();
        var expected = new int[raw.Count];
        model.PredictClasses(raw.Features, expected);
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 20; i++)
            {
                var classes = new int[raw.Count];
                model.PredictClasses(raw.Features, classes);
                Assert.Equal(expected, classes);
                Assert.Equal(expected[i], model.PredictClass(raw.GetFeatures(i)));
            }
        });
    }
}
