using System.Text;
using CsCheck;
using L1Net.Serialization;
using L1Net.Tests.Networks;
using L1Net.Tests.Support;

namespace L1Net.Tests.Serialization;

/// <summary>Model file format v2: round trips, atomic one-file saves, version 1 files, hostile documents.</summary>
public sealed class ModelSerializerTests : IDisposable
{
    private const string Valid = """
        {"format":"L1Net.Model","version":2,"featureNames":["a","b"],"inputFeatures":[0,1],"classNames":["no","yes"],"labelName":"answer",
         "preprocessing":{"kind":"Standardizer","means":[1,2],"scales":[0.5,4]},
         "provenance":{"regularizer":"L1(0.001)","lambda":0.001,"epochs":10,"optimizer":"SGD(lr=0.05)","learningRate":0.05,"batchSize":4,"momentum":0,
           "loss":"CrossEntropy","regularizeBiases":false,"seed":3,"libraryVersion":"0.1.0","trainingRows":120,
           "trainedAt":"2026-11-26T01:00:00.0000000+00:00","notes":"iris"},
         "network":{"format":"L1Net.Network","version":1,"inputSize":2,"layers":[
          {"units":2,"activation":"Tanh","weights":[0.5,-0.25,1,0],"biases":[0.125,-1]},
          {"units":2,"activation":"Softmax","weights":[1,2,3,4],"biases":[0,0]}]}}
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("l1net-model-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ClassificationModel WithProvenance(ClassificationModel m) =>
        new(m.Network, m.FeatureNames, m.ClassNames)
        {
            Preprocessor = m.Preprocessor,
            LabelName = m.LabelName,
            Provenance = ModelProvenance.From(
                new BackPropTrainer(new TrainerOptions { Epochs = 40, LearningRate = 0.1f, BatchSize = 8, Seed = 1, Momentum = 0.5f }, Regularizer.L1(0.001f)),
                90,
                0.001f,
                new FixedTime(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero))),
        };

    [Fact]
    public void A_model_round_trips_bit_for_bit_with_names_preprocessing_and_provenance()
    {
        ClassificationModel model = WithProvenance(ClassificationModelTests.Trained().Model);
        ClassificationModel loaded = ModelSerializer.FromJson(ModelSerializer.ToJson(model));

        Assert.Equal(model.Network.Parameters.ToArray(), loaded.Network.Parameters.ToArray());
        Assert.Equal(model.Network.ToString(), loaded.Network.ToString());
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal("animal", loaded.LabelName);
        var scaler = Assert.IsType<Standardizer>(loaded.Preprocessor);
        Assert.Equal(((Standardizer)model.Preprocessor!).Means.ToArray(), scaler.Means.ToArray());
        Assert.Equal(((Standardizer)model.Preprocessor!).Scales.ToArray(), scaler.Scales.ToArray());
        ModelProvenance p = loaded.Provenance!;
        Assert.Equal(("L1(0.001)", 0.001f, 40, 0.1f, 8, 0.5f, 1, 90), (p.Regularizer, p.Lambda, p.Epochs, p.LearningRate, p.BatchSize, p.Momentum, p.Seed, p.TrainingRows));
        Assert.Equal(LossFunction.CrossEntropy, p.Loss);
        Assert.Equal(ModelProvenance.CurrentLibraryVersion, p.LibraryVersion);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero), p.TrainedAt);
        Assert.Matches(@"^\d+\.\d+\.\d+", p.LibraryVersion);
        Assert.StartsWith("SGD(lr=0.1", p.Optimizer, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pruned_model_round_trips_with_its_input_features_and_predicts_from_full_rows()
    {
        (ClassificationModel pruned, Dataset raw) = ClassificationModelTests.TrainedWithDeadInput();
        string json = ModelSerializer.ToJson(pruned);
        ClassificationModel loaded = ModelSerializer.FromJson(json);

        Assert.Contains("\"inputFeatures\": [", json, StringComparison.Ordinal);
        Assert.Equal(pruned.Network.Parameters.ToArray(), loaded.Network.Parameters.ToArray());
        Assert.Equal(pruned.FeatureNames, loaded.FeatureNames);
        Assert.Equal(pruned.InputFeatures, loaded.InputFeatures);
        Assert.Equal(["length", "width"], loaded.InputFeatureNames);
        Assert.Equal(3, loaded.FeatureCount);
        Assert.Equal(3, ((Standardizer)loaded.Preprocessor!).FeatureCount);
        var expected = new float[raw.Count * 3];
        var actual = new float[raw.Count * 3];
        pruned.PredictProbabilities(raw.Features, expected);
        loaded.PredictProbabilities(raw.Features, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(json, ModelSerializer.ToJson(loaded));
    }

    [Fact]
    public void A_model_trained_with_Adam_records_the_optimizer_and_its_learning_rate()
    {
        ClassificationModel m = ClassificationModelTests.Trained().Model;
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 5, BatchSize = 8, Optimizer = Optimizer.Adam(0.003f) }, Regularizer.L1(0.001f));
        var model = new ClassificationModel(m.Network, m.FeatureNames, m.ClassNames) { Provenance = ModelProvenance.From(trainer, 90, 0.001f) };

        ModelProvenance p = ModelSerializer.FromJson(ModelSerializer.ToJson(model)).Provenance!;

        Assert.Equal(Optimizer.Adam(0.003f).Name, p.Optimizer);
        Assert.StartsWith("Adam(", p.Optimizer, StringComparison.Ordinal);
        Assert.Equal(0.003f, p.LearningRate);
        Assert.Equal(0f, p.Momentum);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void The_file_is_the_same_and_loads_the_same_under_any_culture(string culture)
    {
        ClassificationModel model = WithProvenance(ClassificationModelTests.Trained().Model);
        string invariant = ModelSerializer.ToJson(model);
        using var scope = new CultureScope(culture);
        Assert.Equal(invariant, ModelSerializer.ToJson(model));
        ClassificationModel loaded = ModelSerializer.FromJson(invariant);
        Assert.Equal(model.Network.Parameters.ToArray(), loaded.Network.Parameters.ToArray());
        Assert.Equal(model.Provenance!.LearningRate, loaded.Provenance!.LearningRate);
    }

    [Fact]
    public void SaveToFile_writes_one_file_atomically_and_replaces_the_previous_one_whole()
    {
        (ClassificationModel model, Dataset raw, _) = ClassificationModelTests.Trained();
        string path = Path.Combine(_dir.FullName, "model.json");
        ModelSerializer.SaveToFile(new ClassificationModel(model.Network, ["p", "q", "r"], ["1", "2", "3"]), path);
        ModelSerializer.SaveToFile(model, path);

        Assert.Equal(["model.json"], _dir.GetFiles().Select(f => f.Name));
        ClassificationModel loaded = ModelSerializer.LoadFromFile(path);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(Metrics.Accuracy(model, raw), Metrics.Accuracy(loaded, raw));
    }

    [Fact]
    public void A_model_that_cannot_be_saved_leaves_the_previous_file_untouched()
    {
        (ClassificationModel model, _, _) = ClassificationModelTests.Trained();
        string path = Path.Combine(_dir.FullName, "model.json");
        ModelSerializer.SaveToFile(model, path);
        byte[] before = File.ReadAllBytes(path);

        var custom = new ClassificationModel(model.Network, model.FeatureNames, model.ClassNames) { Preprocessor = new Shift(3) };
        Assert.Throws<ArgumentException>("model", () => ModelSerializer.SaveToFile(custom, path));
        Assert.Throws<ArgumentException>("model", () => ModelSerializer.ToJson(custom));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.json"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void A_committed_version_1_network_file_loads_as_a_model_with_default_names()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "network-v1.json");
        ClassificationModel model = ModelSerializer.LoadFromFile(path);
        DenseNetwork network = NetworkSerializer.LoadFromFile(path);

        Assert.Equal(["x0", "x1", "x2", "x3"], model.FeatureNames);
        Assert.Equal(["0", "1", "2"], model.ClassNames);
        Assert.Null(model.Preprocessor);
        Assert.Null(model.Provenance);
        Assert.Null(model.LabelName);
        Assert.Equal(network.Parameters.ToArray(), model.Network.Parameters.ToArray());
        Assert.Equal(0.0625f, model.Network.GetWeights(0)[0]);
        Assert.Equal(-1.3125f, model.Network.GetWeights(0)[1]);

        var expected = new float[3];
        network.PredictBatch([1f, -2f, 0.5f, 3f], expected);
        var actual = new float[3];
        model.PredictClass([1f, -2f, 0.5f, 3f], actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_network_loader_refuses_a_model_file_and_points_to_the_model_loader()
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(Valid));
        Assert.Contains("ModelSerializer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_base_document_loads()
    {
        ClassificationModel model = ModelSerializer.FromJson(Valid);
        Assert.Equal(["a", "b"], model.FeatureNames);
        Assert.Equal(["no", "yes"], model.ClassNames);
        Assert.Equal([0.5f, 4f], ((Standardizer)model.Preprocessor!).Scales.ToArray());
        Assert.Equal("iris", model.Provenance!.Notes);
        Assert.InRange(model.PredictClass([1f, 2f]), 0, 1);

        ClassificationModel bare = ModelSerializer.FromJson(Valid
            .Replace("\"labelName\":\"answer\"", "\"labelName\":null", StringComparison.Ordinal)
            .Replace("\"preprocessing\":{\"kind\":\"Standardizer\",\"means\":[1,2],\"scales\":[0.5,4]}", "\"preprocessing\":null", StringComparison.Ordinal)
            .Replace(Valid[Valid.IndexOf("{\"regularizer\"", StringComparison.Ordinal)..(Valid.IndexOf("\"notes\":\"iris\"}", StringComparison.Ordinal) + 15)], "null", StringComparison.Ordinal));
        Assert.Null(bare.LabelName);
        Assert.Null(bare.Preprocessor);
        Assert.Null(bare.Provenance);
    }

    public static TheoryData<string, string> Hostile() => new()
    {
        { "version 3", Valid.Replace("\"version\":2", "\"version\":3", StringComparison.Ordinal) },
        { "version 1 with model members", Valid.Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal) },
        { "format misspelt", Valid.Replace("\"L1Net.Model\"", "\"L1Net.model\"", StringComparison.Ordinal) },
        { "missing network", Valid[..Valid.IndexOf(",\n \"network\"", StringComparison.Ordinal)] + "}" },
        { "network not an object", Valid[..Valid.IndexOf("\"network\":", StringComparison.Ordinal)] + "\"network\":[]}" },
        { "extra root member", Valid.Replace("\"version\":2,", "\"version\":2,\"comment\":1,", StringComparison.Ordinal) },
        { "duplicate member", Valid.Replace("\"version\":2,", "\"version\":2,\"version\":2,", StringComparison.Ordinal) },
        { "one feature name short", Valid.Replace("[\"a\",\"b\"]", "[\"a\"]", StringComparison.Ordinal) },
        { "one class name long", Valid.Replace("[\"no\",\"yes\"]", "[\"no\",\"yes\",\"maybe\"]", StringComparison.Ordinal) },
        { "repeated class name", Valid.Replace("[\"no\",\"yes\"]", "[\"no\",\"no\"]", StringComparison.Ordinal) },
        { "empty feature name", Valid.Replace("[\"a\",\"b\"]", "[\"a\",\"\"]", StringComparison.Ordinal) },
        { "feature name a number", Valid.Replace("[\"a\",\"b\"]", "[\"a\",2]", StringComparison.Ordinal) },
        { "feature names not an array", Valid.Replace("[\"a\",\"b\"]", "\"a,b\"", StringComparison.Ordinal) },
        { "name too long", Valid.Replace("[\"a\",\"b\"]", "[\"a\",\"" + new string('b', ModelSerializer.MaxNameLength + 1) + "\"]", StringComparison.Ordinal) },
        { "label name empty", Valid.Replace("\"answer\"", "\"\"", StringComparison.Ordinal) },
        { "label name a number", Valid.Replace("\"answer\"", "7", StringComparison.Ordinal) },
        { "unknown preprocessing", Valid.Replace("\"Standardizer\"", "\"MinMax\"", StringComparison.Ordinal) },
        { "scale zero", Valid.Replace("[0.5,4]", "[0,4]", StringComparison.Ordinal) },
        { "scale negative", Valid.Replace("[0.5,4]", "[-0.5,4]", StringComparison.Ordinal) },
        { "mean NaN", Valid.Replace("\"means\":[1,2]", "\"means\":[NaN,2]", StringComparison.Ordinal) },
        { "mean beyond float", Valid.Replace("\"means\":[1,2]", "\"means\":[1e39,2]", StringComparison.Ordinal) },
        { "means one short", Valid.Replace("\"means\":[1,2]", "\"means\":[1]", StringComparison.Ordinal) },
        { "scales missing", Valid.Replace(",\"scales\":[0.5,4]", string.Empty, StringComparison.Ordinal) },
        { "preprocessing a string", Valid.Replace("\"preprocessing\":{\"kind\":\"Standardizer\",\"means\":[1,2],\"scales\":[0.5,4]}", "\"preprocessing\":\"Standardizer\"", StringComparison.Ordinal) },
        { "provenance member missing", Valid.Replace("\"notes\":\"iris\"", "\"note\":\"iris\"", StringComparison.Ordinal) },
        { "provenance date not round-trip", Valid.Replace("2026-11-26T01:00:00.0000000+00:00", "26.11.2026", StringComparison.Ordinal) },
        { "provenance loss unknown", Valid.Replace("\"CrossEntropy\"", "\"Hinge\"", StringComparison.Ordinal) },
        { "provenance rate infinite", Valid.Replace("\"learningRate\":0.05", "\"learningRate\":1e39", StringComparison.Ordinal) },
        { "provenance epochs negative", Valid.Replace("\"epochs\":10", "\"epochs\":-1", StringComparison.Ordinal) },
        { "provenance flag a string", Valid.Replace("\"regularizeBiases\":false", "\"regularizeBiases\":\"no\"", StringComparison.Ordinal) },
        { "network one weight short", Valid.Replace("[0.5,-0.25,1,0]", "[0.5,-0.25,1]", StringComparison.Ordinal) },
        { "network version 2", Valid.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal) },
        { "network with one output", Valid.Replace("[\"no\",\"yes\"]", "[\"yes\"]", StringComparison.Ordinal).Replace("{\"units\":2,\"activation\":\"Softmax\",\"weights\":[1,2,3,4],\"biases\":[0,0]}", "{\"units\":1,\"activation\":\"Sigmoid\",\"weights\":[1,2],\"biases\":[0]}", StringComparison.Ordinal) },
        { "nesting one level too deep", Valid.Replace("[0.5,-0.25,1,0]", "[[0.5],-0.25,1,0]", StringComparison.Ordinal) },
        { "huge declared network, names empty", """{"format":"L1Net.Model","version":2,"featureNames":[],"inputFeatures":[],"classNames":[],"labelName":null,"preprocessing":null,"provenance":null,"network":{"format":"L1Net.Network","version":1,"inputSize":16383,"layers":[{"units":16383,"activation":"Softmax","weights":[],"biases":[]}]}}""" },
        { "input features missing", Valid.Replace("\"inputFeatures\":[0,1],", string.Empty, StringComparison.Ordinal) },
        { "input features one short", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":[0]", StringComparison.Ordinal) },
        { "input feature out of range", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":[0,2]", StringComparison.Ordinal) },
        { "input feature negative", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":[-1,1]", StringComparison.Ordinal) },
        { "input feature repeated", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":[1,1]", StringComparison.Ordinal) },
        { "input features descending", Valid.Replace("[\"a\",\"b\"],\"inputFeatures\":[0,1]", "[\"a\",\"b\",\"c\"],\"inputFeatures\":[2,0]", StringComparison.Ordinal) },
        { "input feature fractional", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":[0,1.5]", StringComparison.Ordinal) },
        { "input features a string", Valid.Replace("\"inputFeatures\":[0,1]", "\"inputFeatures\":\"0,1\"", StringComparison.Ordinal) },
        { "pruned means per input, not per feature", Valid.Replace("[\"a\",\"b\"],\"inputFeatures\":[0,1]", "[\"a\",\"b\",\"c\"],\"inputFeatures\":[0,2]", StringComparison.Ordinal) },
        { "lone surrogate name", Valid.Replace("[\"a\",\"b\"]", "[\"a\",\"\\uD800\"]", StringComparison.Ordinal) },
        { "truncated", Valid[..(Valid.Length / 2)] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Rejects_a_hostile_model_document_with_InvalidDataException_in_bounded_memory(string what, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        long before = GC.GetAllocatedBytesForCurrentThread();

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Load(new MemoryStream(bytes)));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("model document", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < HostileModelFileTests.AllocationBound(bytes.Length), $"{what}: {allocated} bytes allocated for a {bytes.Length}-byte document");
        Assert.Throws<InvalidDataException>(() => ModelSerializer.FromJson(json));
    }

    [Fact]
    public void Random_mutations_of_a_saved_model_only_ever_throw_InvalidDataException_in_bounded_memory()
    {
        byte[] saved = Encoding.UTF8.GetBytes(ModelSerializer.ToJson(WithProvenance(ClassificationModelTests.Trained().Model)));
        int loaded = 0, rejected = 0;
        Gen.Select(Gen.Int[0, saved.Length - 1], Gen.Byte, Gen.Int[0, 3]).Array[1, 4].Sample(
            mutations =>
            {
                byte[] document = [.. saved];
                int length = document.Length;
                foreach ((int at, byte value, int kind) in mutations)
                {
                    if (kind == 0)
                    {
                        length = Math.Min(length, at); // truncate
                    }
                    else
                    {
                        document[at] = kind == 1 ? value : (byte)"0123456789-.e,[]{}\""[value % 19];
                    }
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    ClassificationModel m = ModelSerializer.Load(new MemoryStream(document, 0, length));
                    Assert.NotEmpty(ModelSerializer.ToJson(m));
                    loaded++;
                }
                catch (InvalidDataException)
                {
                    rejected++;
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < HostileModelFileTests.AllocationBound(length), $"{allocated} bytes allocated for a {length}-byte document");
            },
            iter: 1500,
            threads: 1);

        Assert.True(loaded > 0, "no mutated document loaded");
        Assert.True(rejected > loaded, $"only {rejected} of {loaded + rejected} mutated documents were rejected");
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        ClassificationModel model = ModelSerializer.FromJson(Valid);
        Assert.Throws<ArgumentNullException>("model", () => ModelSerializer.ToJson(null!));
        Assert.Throws<ArgumentException>("path", () => ModelSerializer.SaveToFile(model, " "));
        Assert.Throws<ArgumentException>("stream", () => ModelSerializer.Save(model, new MemoryStream([], writable: false)));
        Assert.Throws<FileNotFoundException>(() => ModelSerializer.LoadFromFile(Path.Combine(_dir.FullName, "missing.json")));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A fitted custom step (not savable).</summary>
    private sealed class Shift(int features) : IPreprocessor
    {
        public string Name => "shift";

        public bool IsFitted => true;

        public int FeatureCount => features;

        public IPreprocessor Fit(Dataset trainingRows) => this;

        public void Transform(ReadOnlySpan<float> source, Span<float> destination) => source.CopyTo(destination);

        public Dataset Transform(Dataset data) => data;
    }
}
