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

    [Fact]
    public void Predicts_from_raw_features_exactly_as_the_network_on_standardized_features()
    {
        (ClassificationModel model, Dataset raw, Standardizer scaler) = Trained();
        Dataset scaled = scaler.Transform(raw);
        var expected = new float[3];
        var probabilities = new float[3];
        for (int r = 0; r < raw.Count; r++)
        {
            model.Network.Predict(scaled.GetFeatures(r), expected);
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
